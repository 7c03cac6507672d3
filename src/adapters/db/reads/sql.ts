// What the hand-written reads share: column lists taken from the Prisma model (so the model and its
// migrations stay the one source of the schema), placeholders in each provider's style, and values
// decoded as the Prisma client decodes them, by the column types the adapter reports.
import { ColumnTypeEnum, type SqlQueryable, type SqlResultSet } from "@prisma/driver-adapter-utils";

/** `t."f" AS "t.f"` for each field: a joined row's columns, told apart by their table's alias. */
export function columns(alias: string, fields: Record<string, string>): string {
  return Object.keys(fields)
    .map((f) => `${alias}."${f}" AS "${alias}.${f}"`)
    .join(", ");
}

/** Placeholders for `count` values, numbered from `from` on PostgreSQL, `?` on SQLite. */
function placeholders(queryable: SqlQueryable, count: number, from = 1): string {
  return Array.from({ length: count }, (_, i) => (queryable.provider === "postgres" ? `$${from + i}` : "?")).join(", ");
}

function decode(value: unknown, type: number): unknown {
  if (value === null) return null;
  switch (type) {
    case ColumnTypeEnum.DateTime:
      return new Date(value as string);
    case ColumnTypeEnum.Boolean:
      return value === true || value === 1 || value === 1n || value === "1";
    case ColumnTypeEnum.Json:
      return typeof value === "string" ? JSON.parse(value) : value;
    case ColumnTypeEnum.Int32:
      return Number(value);
    default:
      return value;
  }
}

/**
 * Enum values stored under another name (`@map` in prisma/models.prisma), by enum, as the client
 * names them; a test holds this in step with the model.
 */
export const mappedEnums: Record<string, Record<string, string>> = {
  ConsentType: { "social-media": "social_media" },
};

/**
 * Each row as one object per alias (`{ a: {…}, s: {…} }`), its values decoded; `enums` names the
 * enum of each column (`"n.type": "ConsentType"`) whose enum has values stored under another name.
 */
export function byAlias(result: SqlResultSet, enums: Record<string, string> = {}): Record<string, Record<string, unknown>>[] {
  const renamed = result.columnNames.map((name) => (enums[name] ? mappedEnums[enums[name]] : undefined));
  const names = result.columnNames.map((name) => {
    const dot = name.indexOf(".");
    return [name.slice(0, dot), name.slice(dot + 1)] as const;
  });
  return result.rows.map((row) => {
    const out: Record<string, Record<string, unknown>> = {};
    for (const [i, [alias, field]] of names.entries()) {
      out[alias] ??= {};
      const value = decode(row[i], result.columnTypes[i]!);
      out[alias][field] = renamed[i]?.[value as string] ?? value;
    }
    return out;
  });
}

/**
 * Runs a read whose `:name`s stand for lists of string values (an empty list matches nothing) and
 * returns its rows by alias, decoded (`enums` as for byAlias).
 */
export async function select(
  queryable: SqlQueryable,
  sql: string,
  values: Record<string, string[]>,
  enums: Record<string, string> = {},
): Promise<Record<string, Record<string, unknown>>[]> {
  const args: string[] = [];
  const text = sql.replace(/:(\w+)/g, (_, name: string) => {
    const list = values[name];
    if (!list) throw new Error(`select: no values for :${name}`);
    const from = args.length + 1;
    args.push(...list);
    return list.length ? placeholders(queryable, list.length, from) : "NULL";
  });
  const result = await queryable.queryRaw({ sql: text, args, argTypes: args.map(() => ({ scalarType: "string", arity: "scalar" })) });
  return byAlias(result, enums);
}
