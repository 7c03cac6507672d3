// CSV exports (RFC 4180 quoting). Cells that a spreadsheet would run as a formula are prefixed
// with an apostrophe, so an exported trail cannot attack the DSL's spreadsheet.
import type { FastifyReply } from "fastify";

export function toCsv<T extends Record<string, unknown>>(rows: T[], columns: (keyof T & string)[]): string {
  const cell = (value: unknown): string => {
    let text =
      value instanceof Date
        ? value.toISOString()
        : value === null || value === undefined
          ? ""
          : typeof value === "object"
            ? JSON.stringify(value)
            : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [columns.join(","), ...rows.map((row) => columns.map((c) => cell(row[c])).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}

/** Sends CSV as a download named `name`.csv. */
export function sendCsv(reply: FastifyReply, name: string, csv: string) {
  return reply
    .header("content-type", "text/csv; charset=utf-8")
    .header("content-disposition", `attachment; filename="${name}.csv"`)
    .send(csv);
}
