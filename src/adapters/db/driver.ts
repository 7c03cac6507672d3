// The driver adapter under the Prisma client, for the few reads written by hand where Prisma's own
// cost was measured to matter (reads/), and the statements every decision makes (the audit
// chain's append, the session lock). Prisma runs every statement through its query compiler and
// interpreter (0.2–1 ms each, bench/history.md); the adapter runs SQL straight on the driver.
// A hand-written statement runs on the same connection, in the same transaction, as the Prisma
// client it is asked with: `queryableOf(tx)` inside `database.transaction`, `queryableOf(db)` outside;
// work written by hand throughout can run in a transaction of the adapter's alone (`runBare`).
import { AsyncLocalStorage } from "node:async_hooks";
import type { SqlDriverAdapter, SqlQuery, SqlQueryable, SqlResultSet, Transaction } from "@prisma/driver-adapter-utils";

/** What a hand-written read needs of a connection: a `queryRaw` as the adapter's, and its SQL dialect. */
export type Reader = Pick<SqlQueryable, "provider" | "queryRaw">;

/** A connection as the adapter's: reads, and the few writes made by hand (the audit chain's appends). */
export type Queryable = Pick<SqlQueryable, "provider" | "queryRaw" | "executeRaw">;

/** The adapter (for the client) or the adapter's transaction (for a transaction's client). */
const queryables = new WeakMap<object, Queryable>();

/**
 * PostgreSQL: the adapter transaction (its guard, `guardOf`) started for the `database.transaction`
 * running in this async context. (AsyncLocalStorage slows every promise a little, so SQLite, whose
 * transactions run on the adapter's one connection, does without it.)
 */
type Pairing = { started?: Queryable; paired?: boolean };
const starting = new AsyncLocalStorage<Pairing>();

/**
 * Prisma transactions opened and not yet paired, of every client in the process (they share
 * `starting`). While there are none, `starting` is disabled: AsyncLocalStorage's hooks slow every
 * promise in the process while any store is enabled (CPU per token request at groups of four,
 * alternating in one process: 1.07 → 0.92 and 0.91 → 0.86 ms with it disabled), and the busiest
 * transactions, the token and admit batches, are bare.
 */
let unpaired = 0;
const paired = () => {
  if (--unpaired === 0) starting.disable();
};

const guards = new WeakMap<Transaction, Queryable>();

/**
 * What a transaction's hand-written statements run on: its adapter transaction, refusing every
 * statement once the transaction is ending (its COMMIT or ROLLBACK asked for, by Prisma's
 * transaction manager, also when the transaction's time has run out, or by `runBare`). Without
 * this, a statement asked for after a timeout ran on the connection outside any transaction (an
 * audit event was committed for work that had failed), or inside whichever transaction the pool
 * had handed that connection to next (test/adapters/db/transaction.test.ts).
 */
function guardOf(started: Transaction): Queryable {
  const known = guards.get(started);
  if (known) return known;
  let ending = false;
  const executeRaw = started.executeRaw.bind(started);
  started.executeRaw = (query) => {
    if (query.sql === "COMMIT" || query.sql === "ROLLBACK") ending = true;
    return executeRaw(query);
  };
  for (const end of ["commit", "rollback"] as const) {
    const close = started[end].bind(started);
    started[end] = () => {
      ending = true;
      return close();
    };
  }
  const refused = () => Promise.reject(new Error("The transaction has ended: its statements can no longer run"));
  const guard: Queryable = {
    provider: started.provider,
    queryRaw: (query) => (ending ? refused() : started.queryRaw(query)),
    executeRaw: (query) => (ending ? refused() : executeRaw(query)),
  };
  guards.set(started, guard);
  return guard;
}

/**
 * Makes a PostgreSQL adapter record the transactions it starts, so that `database.transaction`
 * can pair the Prisma transaction client it is given with the adapter transaction under it.
 */
export function recordTransactions<A extends SqlDriverAdapter>(adapter: A): A {
  const start = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => {
    const started = await start(isolationLevel);
    const store = starting.getStore();
    // The first one only: a bare transaction begun inside a Prisma transaction's work is not it.
    if (store && !store.started) store.started = guardOf(started);
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
    async open<T>(run: () => Promise<T>) {
      unpaired++;
      const store: Pairing = {};
      try {
        return await starting.run(store, run);
      } finally {
        if (!store.paired) paired();
      }
    },
    bind(tx: object) {
      const store = starting.getStore();
      if (!store?.started) throw new Error("bindClient: no adapter transaction was started in this context");
      queryables.set(tx, store.started);
      store.paired = true;
      paired();
    },
  };
}

declare const bare: unique symbol;

/**
 * A transaction opened on the adapter alone, without the Prisma client (`runBare`): it has no
 * Prisma methods, so only hand-written statements run in it, through `queryableOf`. Prisma's
 * interactive transaction costs ≈ 0.5 ms of this process's CPU a transaction on PostgreSQL (its
 * transaction manager, the proxy client, their promises), measured against this, alternating
 * slices in one process: 19 % of a lone token request, 13–19 % at groups of four.
 */
export type Bare = { readonly [bare]: true };

/**
 * Runs `work` in a transaction on one of the adapter's pooled connections (BEGIN as Prisma's own
 * transactions begin), then COMMIT; ROLLBACK when `work` throws. As Prisma's do, a transaction
 * still open after `timeoutMs` is rolled back, and every statement it asks for after that is
 * refused (`guardOf`), so none of them can run outside it.
 */
export async function runBare<T>(
  adapter: SqlDriverAdapter,
  work: (tx: Bare) => Promise<T>,
  { maxWaitMs, timeoutMs }: { maxWaitMs: number; timeoutMs: number },
): Promise<T> {
  const started = await withinWait(adapter.startTransaction(), maxWaitMs);
  const tx = {} as Bare;
  queryables.set(tx, guardOf(started));
  let ended = false;
  const end = async (statement: "COMMIT" | "ROLLBACK") => {
    if (ended) return;
    ended = true;
    try {
      await started.executeRaw({ sql: statement, args: [], argTypes: [] });
    } finally {
      await (statement === "COMMIT" ? started.commit() : started.rollback());
    }
  };
  const timer = setTimeout(() => void end("ROLLBACK").catch(() => undefined), timeoutMs);
  try {
    const result = await work(tx);
    if (ended) throw new Error(`The transaction ran for more than ${timeoutMs} ms and was rolled back`);
    await end("COMMIT");
    return result;
  } catch (error) {
    // A rollback that fails (the connection is gone) leaves the error that caused it to the caller.
    await end("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The transaction once begun, or, when no connection was free within `maxWaitMs`, Prisma's error
 * for that (P2024, which the callers take as the database being unavailable); a transaction begun
 * after that is rolled back at once.
 */
async function withinWait(begun: Promise<Transaction>, maxWaitMs: number): Promise<Transaction> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(Object.assign(new Error(`no database connection was free within ${maxWaitMs} ms`), { code: "P2024" }));
      void begun
        .then((late) => late.executeRaw({ sql: "ROLLBACK", args: [], argTypes: [] }).finally(() => late.rollback()))
        .catch(() => undefined);
    }, maxWaitMs);
  });
  try {
    return await Promise.race([begun, waited]);
  } finally {
    clearTimeout(timer);
  }
}

/** The connection under a Prisma client or transaction client: the same connection. */
export function queryableOf(client: object): Queryable {
  const queryable = queryables.get(client);
  if (!queryable) throw new Error("queryableOf: a Prisma client not opened through openDatabase");
  return queryable;
}
