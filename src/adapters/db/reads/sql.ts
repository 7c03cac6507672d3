// What the hand-written reads share: column lists taken from the Prisma model (so the model and its
// migrations stay the one source of the schema), placeholders in each provider's style, and values
// decoded as the Prisma client decodes them, by the column types the adapter reports. `execute`
// is for the few hand-written writes (domain/audit.ts, the session lock in unit-of-work.ts).
import { type ArgScalarType, type ArgType, ColumnTypeEnum, type SqlResultSet } from "@prisma/driver-adapter-utils";
import { preparedArgsAtMost } from "../connection.ts";
import type { Queryable, Reader } from "../driver.ts";

/** `t."f" AS "t.f"` for each field: a joined row's columns, told apart by their table's alias. */
export function columns(alias: string, fields: Record<string, string>): string {
  return Object.keys(fields)
    .map((f) => `${alias}."${f}" AS "${alias}.${f}"`)
    .join(", ");
}

/** Placeholders for `count` values, numbered from `from` on PostgreSQL, `?` on SQLite. */
export function placeholders(queryable: Reader, count: number, from = 1): string {
  return Array.from({ length: count }, (_, i) => (queryable.provider === "postgres" ? `$${from + i}` : "?")).join(", ");
}

/** The VALUES of a multi-row INSERT: `rows` groups of `columns` placeholders, numbered on from `from`. */
export function valueRows(queryable: Reader, rows: number, columns: number, from = 1): string {
  return Array.from({ length: rows }, (_, n) => `(${placeholders(queryable, columns, from + n * columns)})`).join(", ");
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
  // Worked out once per result, not per row: which columns make up each alias's object.
  const plan = new Map<string, { index: number; field: string; type: number; renamed?: Record<string, string> }[]>();
  for (const [index, name] of result.columnNames.entries()) {
    const dot = name.indexOf(".");
    const alias = name.slice(0, dot);
    const column = {
      index,
      field: name.slice(dot + 1),
      type: result.columnTypes[index]!,
      renamed: enums[name] ? mappedEnums[enums[name]] : undefined,
    };
    const parts = plan.get(alias);
    if (parts) parts.push(column);
    else plan.set(alias, [column]);
  }
  const aliases = [...plan];
  return result.rows.map((row) => {
    const out: Record<string, Record<string, unknown>> = {};
    for (const [alias, parts] of aliases) {
      const object: Record<string, unknown> = {};
      for (const { index, field, type, renamed } of parts) {
        const value = decode(row[index], type);
        object[field] = renamed ? (renamed[value as string] ?? value) : value;
      }
      out[alias] = object;
    }
    return out;
  });
}

/** `IN (:name)` (a list) or `:name` (its values one by one), wherever a statement has them. */
const marker = /IN \(:(\w+)\)|:(\w+)/g;

/** Each statement's `:name`s in order (and whether each is an `IN` list), and its text for each set of list sizes already seen. */
const statements = new Map<string, { names: { name: string; list: boolean }[]; texts: Map<string, string> }>();

function prepared(sql: string) {
  let statement = statements.get(sql);
  if (!statement) {
    statement = { names: [...sql.matchAll(marker)].map((m) => ({ name: (m[1] ?? m[2])!, list: m[1] !== undefined })), texts: new Map() };
    statements.set(sql, statement);
  }
  return statement;
}

/**
 * Runs a read whose `:name`s stand for lists of string values (an empty list matches nothing) and
 * returns its rows by alias, decoded (`enums` as for byAlias). On PostgreSQL, when the values are
 * more than connection.ts keeps a statement prepared for (sixteen), each `IN (:name)` list is one
 * array value (`= ANY($n)`), so the text is the same whatever the lists' lengths and stays
 * prepared: a batch's 32 people were planned afresh each time (6 ms). Shorter lists keep a
 * placeholder each: PostgreSQL's generic plan for `= ANY($n)`, made without the list's length,
 * scanned whole tables for the one person a page reads (the join storm: 5.4 → 6.8 ms of server
 * CPU a page when every list was an array).
 */
export async function select(
  queryable: Reader,
  sql: string,
  values: Record<string, string[]>,
  enums: Record<string, string> = {},
): Promise<Record<string, Record<string, unknown>>[]> {
  const { names, texts } = prepared(sql);
  const lists = names.map(({ name }) => {
    const list = values[name];
    if (!list) throw new Error(`select: no values for :${name}`);
    return list;
  });
  const long = queryable.provider === "postgres" && lists.reduce((sum, list) => sum + list.length, 0) > preparedArgsAtMost;
  const asArray = names.map(({ list }) => list && long);
  const key = `${queryable.provider}:${lists.map((list, i) => (asArray[i] ? "[]" : list.length)).join(",")}`;
  let text = texts.get(key);
  if (text === undefined) {
    let at = 0;
    let from = 1;
    text = sql.replace(marker, () => {
      const i = at++;
      if (asArray[i]) return `= ANY($${from++})`;
      const count = lists[i]!.length;
      const marks = count ? placeholders(queryable, count, from) : "NULL";
      from += count;
      return names[i]!.list ? `IN (${marks})` : marks;
    });
    // The list sizes vary (a page refresh reads up to a batch's worth): at most 200 kept, then afresh.
    if (texts.size >= 200) texts.clear();
    texts.set(key, text);
  }
  const args = lists.flatMap((list, i): unknown[] => (asArray[i] ? [list] : list));
  const argTypes = lists.flatMap((list, i): ArgType[] =>
    asArray[i] ? [{ scalarType: "string", arity: "list" }] : list.map(() => ({ scalarType: "string", arity: "scalar" })),
  );
  const result = await queryable.queryRaw({ sql: text, args, argTypes });
  return byAlias(result, enums);
}

/** A statement with its values, each typed, as the adapter takes it. */
function typed(sql: string, values: [unknown, ArgScalarType][]) {
  return {
    sql,
    args: values.map(([value]) => value),
    argTypes: values.map(([, scalarType]) => ({ scalarType, arity: "scalar" as const })),
  };
}

/**
 * Runs a write with `values` for its placeholders in order, each with its type; the adapter turns
 * them into the driver's values as it does for Prisma's own writes (a `datetime` given as a Date
 * is stored exactly as the client stores it). Returns the rows changed.
 */
export function execute(queryable: Queryable, sql: string, values: [unknown, ArgScalarType][] = []): Promise<number> {
  return queryable.executeRaw(typed(sql, values));
}

/** Runs a write that returns rows (PostgreSQL's writes in a WITH), its values typed as for `execute`; the rows by alias. */
export async function executeReturning(queryable: Queryable, sql: string, values: [unknown, ArgScalarType][]) {
  return byAlias(await queryable.queryRaw(typed(sql, values)));
}
