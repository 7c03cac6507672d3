// Opens the database named by DATABASE_URL: the generated Prisma client of its provider over
// its driver adapter. The rest of the code sees one `Db` type; both clients come from one model.

import { adapterFactory, providerOf } from "./connection.ts";
import { type Bare, bindClient, queryableOf, runBare } from "./driver.ts";
import { databaseTrouble } from "./errors.ts";
import type { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import { appliedQuery, applyMigrations, migrationNames } from "./migrate.ts";
import type { Provider } from "./schemas.ts";

export type Db = SqliteClient;
/** Tagged SQL for the few statements written by hand (the same on both providers' clients). */
export { join, raw, sql } from "./generated/sqlite/internal/prismaNamespace.ts";
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
/** A transaction for hand-written statements only: Prisma's, or one on the adapter alone (driver.ts). */
export type AnyTx = Tx | Bare;

/**
 * A Json column's value, handed to Prisma whole. Prisma otherwise walks every key of a plain
 * object or array to build its query, one context object per key (a decision's checks cost
 * ≈0.15 ms each, a sixth of "admit all"); a value with `toJSON` is taken as it is (Prisma's
 * InputJsonValue allows it). Plain JSON only: no Dates, BigInts or Decimals inside.
 */
export function wholeJson<T>(value: T): { toJSON(): T } {
  return { toJSON: () => value };
}

export interface Database {
  provider: Provider;
  db: Db;
  /**
   * Runs `work` in one interactive transaction. If the connection is lost before `work` has
   * finished, nothing was committed, so it runs once more on a fresh connection; a loss during
   * the commit itself is not retried (the commit may have happened) and reaches the caller.
   */
  transaction<T>(work: (tx: Tx) => Promise<T>, options?: { timeout?: number }): Promise<T>;
  /**
   * The same, for work whose every statement is written by hand (it cannot call Prisma's
   * methods): on PostgreSQL the transaction is opened on the adapter alone, without Prisma's
   * interactive transaction (≈ 0.5 ms of CPU each, driver.ts); on SQLite it is `transaction`.
   */
  bareTransaction<T>(work: (tx: AnyTx) => Promise<T>, options?: { timeout?: number }): Promise<T>;
  /** True when every checked-in migration is recorded as applied. */
  migrationsApplied(): Promise<boolean>;
  close(): Promise<void>;
}

type ClientClass = typeof import("./generated/sqlite/client.ts").PrismaClient;

async function sqliteClient(): Promise<ClientClass> {
  return (await import("./generated/sqlite/client.ts")).PrismaClient;
}

/**
 * PostgreSQL's client, used through the SQLite client's type. Both are generated from one model;
 * the compiler cannot equate the two clients (their delegates are deferred conditional types, and
 * PostgreSQL's offer more, such as other isolation levels and case-insensitive filters, which this
 * code never uses), so same-model.ts checks what can be checked: every model's row is the same on
 * both. A second client type would make every domain function generic over two clients for
 * nothing; every test runs on both providers.
 */
async function postgresClient(): Promise<ClientClass> {
  const { PrismaClient } = await import("./generated/postgresql/client.ts");
  return PrismaClient as unknown as ClientClass;
}

// Prisma's defaults (2 s to get a connection, 5 s to finish) fail requests under bursts of
// load; decisions are short, but they queue behind one session's lock. The bare transactions
// keep the same limits.
const transactionMaxWait = 10_000;
const transactionTimeout = 20_000;

/**
 * Runs a transaction (`run`, which passes its work's result through `finished`) and, if the
 * connection is lost before the work has finished, once more: nothing was committed. A loss
 * during the commit itself is not retried (the commit may have happened).
 */
async function onceMoreIfLost<T>(run: (finished: (result: T) => T) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let done = false;
    try {
      return await run((result) => {
        done = true;
        return result;
      });
    } catch (err) {
      if (attempt > 1 || done || databaseTrouble(err) !== "unavailable") throw err;
    }
  }
}

export async function openDatabase(url: string, options: { migrate?: boolean } = {}): Promise<Database> {
  const provider = providerOf(url);
  if (options.migrate ?? true) await applyMigrations(url);
  let closed = false;
  let direct: Parameters<typeof bindClient>[2];
  const factory = await adapterFactory(
    url,
    (_, d) => {
      direct = d;
    },
    () => closed,
  );
  // The connection is made here, and the Prisma client is handed that one connection: the
  // hand-written reads and writes (driver.ts) and the client share it from the first statement,
  // and the client loads its query compiler (WebAssembly: read, compiled, then the schema parsed,
  // ≈ 70 ms) only when it is first asked something, not while the service starts. Start-up and
  // readiness ask nothing of the client (bench/history.md, start-up).
  const connected = await factory.connect();
  // The client disposes of the connection when it is closed, if it ever connected; close() then
  // makes sure, so the connection is let go once either way.
  const dispose = connected.dispose.bind(connected);
  let disposed: Promise<void> | undefined;
  connected.dispose = () => {
    disposed ??= dispose();
    return disposed;
  };
  const PrismaClient = provider === "sqlite" ? await sqliteClient() : await postgresClient();
  const handed = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      if (closed) throw new Error("The database has been closed");
      return connected;
    },
  };
  const db = new PrismaClient({
    adapter: handed as typeof factory,
    transactionOptions: { maxWait: transactionMaxWait, timeout: transactionTimeout },
  });
  const transactions = bindClient(db, connected, direct);
  const queryable = queryableOf(db);
  if (provider === "sqlite") {
    // WAL lets readers run beside the writer; synchronous=FULL because these rows are
    // safeguarding records: a power cut must not lose a committed admission or consent.
    await connected.executeScript("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
  }
  const expected = migrationNames(provider);
  const transaction: Database["transaction"] = (work, options) =>
    onceMoreIfLost((finished) =>
      transactions.open(() =>
        db.$transaction(async (tx) => {
          transactions.bind(tx);
          return finished(await work(tx));
        }, options),
      ),
    );
  return {
    provider,
    db,
    transaction,
    bareTransaction: (work, options) =>
      provider === "postgresql"
        ? onceMoreIfLost((finished) =>
            runBare(connected, async (tx) => finished(await work(tx)), {
              maxWaitMs: transactionMaxWait,
              timeoutMs: options?.timeout ?? transactionTimeout,
            }),
          )
        : transaction(work, options),
    async migrationsApplied() {
      const result = await queryable.queryRaw({ sql: appliedQuery, args: [], argTypes: [] });
      const applied = new Set(result.rows.map((row: unknown[]) => row[0]));
      return expected.every((name) => applied.has(name));
    },
    async close() {
      closed = true;
      await db.$disconnect();
      await connected.dispose();
    },
  };
}
