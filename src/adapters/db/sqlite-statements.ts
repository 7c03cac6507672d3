// Prisma's SQLite adapter compiles every statement anew (`prepare(sql).bind(args)`), and a
// statement better-sqlite3 has bound cannot be bound again, so none is ever reused: compiling was
// a tenth of the server's CPU in the join storm (bench/history.md). Prisma sends the same few
// hundred SQL texts over and over; this keeps each compiled statement and binds its values at each
// run instead. Same SQL, same values, same driver: only the compiling is saved.
import type { Database, Statement } from "better-sqlite3";

/** How many compiled statements are kept (the least recently used go first). */
const kept = 1000;

/** What the adapter does with a prepared statement: bind once, then run or read raw rows. */
function runWith(statement: Statement, args: unknown[]) {
  return {
    reader: statement.reader,
    run: () => statement.run(args),
    columns: () => statement.columns(),
    raw: () => ({ all: () => statement.raw(true).all(args) }),
  };
}

/** Makes `database.prepare` reuse compiled statements. Returns how many were compiled, for tests. */
export function reuseStatements(database: Database): { compiled: () => number } {
  const compile = database.prepare.bind(database);
  const cache = new Map<string, Statement>();
  let compiled = 0;
  const prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (statement) cache.delete(sql);
    else {
      statement = compile(sql);
      compiled++;
      if (cache.size >= kept) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, statement);
    return { ...runWith(statement, []), bind: (args: unknown[]) => runWith(statement, args) };
  };
  Object.assign(database, { prepare });
  return { compiled: () => compiled };
}
