// Prisma's SQLite adapter compiles every statement anew (`prepare(sql).bind(args)`), and a
// statement better-sqlite3 has bound cannot be bound again, so none is ever reused: compiling was
// a tenth of the server's CPU in the join storm (bench/history.md). Prisma sends the same few
// hundred SQL texts over and over; this keeps each compiled statement and binds its values at each
// run instead. Same SQL, same values, same driver: only the compiling is saved.
//
// The hand-written reads (reads/) run here too, straight on the driver: the adapter's own
// `queryRaw` asks the driver for a statement's columns and converts every row at every run, which
// cost more than the SQLite work of those reads (bench/history.md). `read` returns what the
// adapter's `queryRaw` returns for the same statement, with the columns' types worked out once.
import { type ColumnType, ColumnTypeEnum, type SqlQuery, type SqlResultSet } from "@prisma/driver-adapter-utils";
import type { ColumnDefinition, Database, Statement } from "better-sqlite3";

/** How many compiled statements are kept (the least recently used go first). */
const kept = 1000;

/** A statement's columns: the same for every run of it, so asked of the driver once. */
const columnsOf = new WeakMap<Statement, ColumnDefinition[]>();
function columns(statement: Statement): ColumnDefinition[] {
  let found = columnsOf.get(statement);
  if (!found) {
    found = statement.columns();
    columnsOf.set(statement, found);
  }
  return found;
}

/** What the adapter does with a prepared statement: bind once, then run or read raw rows. */
class Bound {
  readonly reader: boolean;
  constructor(
    private readonly statement: Statement,
    private readonly args: unknown[],
  ) {
    this.reader = statement.reader;
  }
  run() {
    return this.statement.run(this.args);
  }
  columns() {
    return columns(this.statement);
  }
  raw() {
    return this;
  }
  all() {
    return this.statement.raw(true).all(this.args);
  }
}

/** The adapter's column type for a declared SQLite type (its `mapDeclType`); null when it guesses from the values. */
const declaredTypes: Record<string, ColumnType> = {
  DATETIME: ColumnTypeEnum.DateTime,
  TIMESTAMP: ColumnTypeEnum.DateTime,
  TEXT: ColumnTypeEnum.Text,
  INTEGER: ColumnTypeEnum.Int32,
  INT: ColumnTypeEnum.Int32,
  BIGINT: ColumnTypeEnum.Int64,
  BOOLEAN: ColumnTypeEnum.Boolean,
  JSONB: ColumnTypeEnum.Json,
  BLOB: ColumnTypeEnum.Bytes,
  REAL: ColumnTypeEnum.Double,
};

/** A read's result shape, once per statement: its column names and types, or null to leave it to the adapter. */
const shapes = new WeakMap<Statement, { columnNames: string[]; columnTypes: ColumnType[] } | null>();
function shapeOf(statement: Statement) {
  let shape = shapes.get(statement);
  if (shape === undefined) {
    const defined = columns(statement);
    const types = defined.map((c) => (c.type === null ? undefined : declaredTypes[c.type.toUpperCase()]));
    shape = types.every((t) => t !== undefined) ? { columnNames: defined.map((c) => c.name), columnTypes: types as ColumnType[] } : null;
    shapes.set(statement, shape);
  }
  return shape;
}

/** A value as the adapter's `mapRow` hands it on, for a column of a known type. */
function adapted(value: unknown, type: ColumnType): unknown {
  if (typeof value === "bigint") {
    if (type === ColumnTypeEnum.DateTime) return new Date(Number(value)).toISOString();
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value.toString();
  }
  if (typeof value === "number") {
    if (type === ColumnTypeEnum.DateTime) return new Date(value).toISOString();
    if ((type === ColumnTypeEnum.Int32 || type === ColumnTypeEnum.Int64) && !Number.isInteger(value)) return Math.trunc(value);
  }
  return value;
}

/** Makes `database.prepare` reuse compiled statements; `read` runs a hand-written read on them. */
export function reuseStatements(database: Database): {
  compiled: () => number;
  /** The adapter's `queryRaw` result for a read whose values are all strings; null if it must ask the adapter. */
  read: (query: SqlQuery) => SqlResultSet | null;
} {
  const compile = database.prepare.bind(database);
  const cache = new Map<string, Statement>();
  let compiled = 0;
  const statement = (sql: string) => {
    let found = cache.get(sql);
    if (found) cache.delete(sql);
    else {
      found = compile(sql);
      compiled++;
      if (cache.size >= kept) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, found);
    return found;
  };
  const prepare = (sql: string) => {
    const found = statement(sql);
    return Object.assign(new Bound(found, []), { bind: (args: unknown[]) => new Bound(found, args) });
  };
  Object.assign(database, { prepare });
  return {
    compiled: () => compiled,
    read(query) {
      if (!query.args.every((arg, i) => typeof arg === "string" && query.argTypes[i]?.scalarType === "string")) return null;
      const found = statement(query.sql);
      const shape = found.reader ? shapeOf(found) : null;
      if (!shape) return null;
      const { columnTypes } = shape;
      const rows = found.raw(true).all(query.args) as unknown[][];
      for (const row of rows) for (let i = 0; i < row.length; i++) row[i] = adapted(row[i], columnTypes[i]!);
      return { columnNames: shape.columnNames, columnTypes, rows };
    },
  };
}
