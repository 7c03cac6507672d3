// The driver adapter under the Prisma client, for the few reads written by hand where Prisma's own
// cost was measured to matter (reads/), and the statements every decision makes (the audit
// chain's append, the session lock). Prisma runs every statement through its query compiler and
// interpreter (0.2–1 ms each, bench/history.md); the adapter runs SQL straight on the driver.
// A hand-written statement runs on the same connection, in the same transaction, as the Prisma
// client it is asked with: `queryableOf(tx)` inside `database.transaction`, `queryableOf(db)` outside.
import { AsyncLocalStorage } from "node:async_hooks";
import type { SqlDriverAdapter, SqlQuery, SqlQueryable, SqlResultSet, Transaction } from "@prisma/driver-adapter-utils";

/** What a hand-written read needs of a connection: a `queryRaw` as the adapter's, and its SQL dialect. */
export type Reader = Pick<SqlQueryable, "provider" | "queryRaw">;

/** A connection as the adapter's: reads, and the few writes made by hand (the audit chain's appends). */
export type Queryable = Pick<SqlQueryable, "provider" | "queryRaw" | "executeRaw">;

/** The adapter (for the client) or the adapter's transaction (for a transaction's client). */
const queryables = new WeakMap<object, Queryable>();

/**
 * PostgreSQL: the adapter transaction started for the `database.transaction` running in this async
 * context. (AsyncLocalStorage slows every promise a little, so SQLite, whose transactions run on
 * the adapter's one connection, does without it.)
 */
const starting = new AsyncLocalStorage<{ started?: Transaction }>();

/**
 * Makes a PostgreSQL adapter record the transactions it starts, so that `database.transaction`
 * can pair the Prisma transaction client it is given with the adapter transaction under it.
 */
export function recordTransactions<A extends SqlDriverAdapter>(adapter: A): A {
  const start = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => {
    const started = await start(isolationLevel);
    const store = starting.getStore();
    if (store) store.started = started;
    return started;
  };
  return adapter;
}

/**
 * Registers a Prisma client's adapter; returns how its transactions are paired with their
 * clients: `open` wraps the `$transaction` call, `bind` is called first thing inside it. On
 * SQLite, `direct` runs the reads on the driver (sqlite-statements.ts), on the adapter's one
 * connection; a read it cannot take, or one that fails, goes to the adapter (whose errors are
 * the ones the rest of the code knows).
 */
export function bindClient(client: object, adapter: SqlDriverAdapter, direct?: (query: SqlQuery) => SqlResultSet | null) {
  if (adapter.provider === "sqlite") {
    const reader: Queryable = {
      provider: "sqlite",
      executeRaw: (query) => adapter.executeRaw(query),
      async queryRaw(query) {
        try {
          const result = direct?.(query);
          if (result) return result;
        } catch {
          // Asked again of the adapter, below, for its error.
        }
        return adapter.queryRaw(query);
      },
    };
    queryables.set(client, reader);
    return { open: <T>(run: () => Promise<T>) => run(), bind: (tx: object) => queryables.set(tx, reader) };
  }
  queryables.set(client, adapter);
  return {
    open: <T>(run: () => Promise<T>) => starting.run({}, run),
    bind(tx: object) {
      const started = starting.getStore()?.started;
      if (!started) throw new Error("bindClient: no adapter transaction was started in this context");
      queryables.set(tx, started);
    },
  };
}

/** The connection under a Prisma client or transaction client: the same connection. */
export function queryableOf(client: object): Queryable {
  const queryable = queryables.get(client);
  if (!queryable) throw new Error("queryableOf: a Prisma client not opened through openDatabase");
  return queryable;
}
