// Opens the database named by DATABASE_URL: the generated Prisma client of its provider over
// its driver adapter. The rest of the code sees one `Db` type; both clients come from one model.

import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";
import { adapterFactory, providerOf } from "./connection.ts";
import { bindClient } from "./driver.ts";
import { databaseTrouble } from "./errors.ts";
import type { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import { appliedQuery, applyMigrations, migrationNames } from "./migrate.ts";
import type { Provider } from "./schemas.ts";

export type Db = SqliteClient;
/** Tagged SQL for the few statements written by hand (the same on both providers' clients). */
export { join, raw, sql } from "./generated/sqlite/internal/prismaNamespace.ts";
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

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

export async function openDatabase(url: string, options: { migrate?: boolean } = {}): Promise<Database> {
  const provider = providerOf(url);
  if (options.migrate ?? true) await applyMigrations(url);
  const PrismaClient = provider === "sqlite" ? await sqliteClient() : await postgresClient();
  // Prisma's defaults (2 s to get a connection, 5 s to finish) fail requests under bursts of
  // load; decisions are short, but they queue behind one session's lock.
  let connected: SqlDriverAdapter | undefined;
  let direct: Parameters<typeof bindClient>[2];
  let closed = false;
  const adapter = await adapterFactory(
    url,
    (a, d) => {
      connected = a;
      direct = d;
    },
    () => closed,
  );
  const db = new PrismaClient({ adapter, transactionOptions: { maxWait: 10_000, timeout: 20_000 } });
  await db.$connect();
  if (!connected) throw new Error("openDatabase: the driver adapter did not connect");
  const transactions = bindClient(db, connected, direct);
  if (provider === "sqlite") {
    // WAL lets readers run beside the writer; synchronous=FULL because these rows are
    // safeguarding records: a power cut must not lose a committed admission or consent.
    await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    await db.$executeRawUnsafe("PRAGMA synchronous = FULL");
  }
  const expected = migrationNames(provider);
  return {
    provider,
    db,
    async transaction(work, options) {
      for (let attempt = 1; ; attempt++) {
        let finished = false;
        try {
          return await transactions.open(() =>
            db.$transaction(async (tx) => {
              transactions.bind(tx);
              const result = await work(tx);
              finished = true;
              return result;
            }, options),
          );
        } catch (err) {
          if (attempt > 1 || finished || databaseTrouble(err) !== "unavailable") throw err;
        }
      }
    },
    async migrationsApplied() {
      const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(appliedQuery);
      const applied = new Set(rows.map((r) => r.migration_name));
      return expected.every((name) => applied.has(name));
    },
    close: () => {
      closed = true;
      return db.$disconnect();
    },
  };
}
