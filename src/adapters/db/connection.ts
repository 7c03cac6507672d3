// Turns DATABASE_URL into a provider and a Prisma driver adapter factory.
import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlQuery, SqlResultSet } from "@prisma/driver-adapter-utils";
import type { Database as SqliteDatabase } from "better-sqlite3";
import type { PoolConfig } from "pg";
import { parseIntoClientConfig } from "pg-connection-string";
import { recordTransactions } from "./driver.ts";
import type { Provider } from "./schemas.ts";
import { reuseStatements } from "./sqlite-statements.ts";

export function providerOf(url: string): Provider {
  if (url.startsWith("file:")) return "sqlite";
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return "postgresql";
  throw new Error("DATABASE_URL must start with file: or postgresql://");
}

/** The SQLite file path of a `file:` URL, resolved against the working directory. */
export function sqlitePath(url: string): string {
  return resolve(url.slice("file:".length).replace(/\?.*$/, ""));
}

/** pg settings as discrete fields: a connectionString would override a changed `database`. */
export function pgConfig(url: string, database?: string): PoolConfig {
  const config = parseIntoClientConfig(url);
  return database ? { ...config, database } : config;
}

/**
 * The driver adapter for DATABASE_URL's provider. Each provider's driver is loaded only when it is
 * used (a SQLite installation never loads pg, nor PostgreSQL better-sqlite3): start-up is mostly
 * module loading.
 */
export async function adapterFactory(
  url: string,
  onConnect: (adapter: SqlDriverAdapter, direct?: (query: SqlQuery) => SqlResultSet | null) => void = () => {},
  closed: () => boolean = () => false,
): Promise<PrismaBetterSqlite3 | PrismaPg> {
  // The Prisma client connects again by itself when asked anything after `$disconnect`: work
  // still running as the app closes would open a pool that nobody closes (seen as connections
  // left open on a PostgreSQL database after the app had closed). A closed database stays closed.
  const refuseIfClosed = () => {
    if (closed()) throw new Error("The database has been closed");
  };
  if (providerOf(url) === "sqlite") {
    const { PrismaBetterSqlite3 } = await import("@prisma/adapter-better-sqlite3");
    /**
     * The SQLite that better-sqlite3 builds takes 32,766 bound values in one statement, but its
     * Prisma adapter does not say so, and Prisma then assumes 999 and refuses (P2029) to read a
     * session of a thousand people. This tells Prisma the real limit.
     */
    class SqliteAdapterFactory extends PrismaBetterSqlite3 {
      override async connect() {
        refuseIfClosed();
        const adapter = await super.connect();
        const statements = reuseStatements((adapter as unknown as { client: SqliteDatabase }).client);
        Object.assign(adapter, { getConnectionInfo: () => ({ maxBindValues: 32_766, supportsRelationJoins: false }) });
        onConnect(adapter, statements.read);
        return adapter;
      }
    }
    const path = sqlitePath(url);
    mkdirSync(dirname(path), { recursive: true });
    // Wait up to 5 s for another connection's lock (another process, or the migration engine)
    // instead of failing with SQLITE_BUSY at once.
    return new SqliteAdapterFactory({ url: `file:${path}`, timeout: 5000 });
  }
  const { PrismaPg } = await import("@prisma/adapter-pg");
  class PgAdapterFactory extends PrismaPg {
    override async connect() {
      refuseIfClosed();
      const adapter = await super.connect();
      onConnect(recordTransactions(adapter));
      return adapter;
    }
  }
  const config = pgConfig(url);
  // The planner's cost of a random read as for data on SSD or in memory (1.1; PostgreSQL's default
  // of 4 is for spinning disks): a batch's reads by a list of 32 keys were sequential scans of the
  // whole table at 4 (the people 1.9 → 1.1 ms, the links 1.1 → 0.5 ms). First, so that a
  // `-c random_page_cost=…` in the URL's `options` still decides.
  const options = ["-c random_page_cost=1.1", config.options].filter(Boolean).join(" ");
  return new PgAdapterFactory({ ...config, options }, { statementNameGenerator: preparedName as StatementNames });
}

/** The adapter's type for the generator says a name is always given; pg takes none (undefined) as "do not keep". */
type StatementNames = NonNullable<NonNullable<ConstructorParameters<typeof PrismaPg>[1]>["statementNameGenerator"]>;

/** Statements with more values than this (long lists) are not kept prepared: each list length is a text of its own. */
export const preparedArgsAtMost = 16;
const preparedNames = new Map<string, string>();

/**
 * PostgreSQL: the name each statement is kept prepared under, on each connection (pg sends its
 * text and PostgreSQL plans it once; afterwards only the values travel), or none. Every decision
 * sends the same few statements, so parsing and planning them each time was work done again and
 * again. Statements with long lists of values are left unnamed, so that what each connection
 * keeps stays bounded.
 */
function preparedName(query: SqlQuery): string | undefined {
  if (query.args.length > preparedArgsAtMost) return undefined;
  let name = preparedNames.get(query.sql);
  if (name === undefined) {
    name = `gk_${createHash("sha256").update(query.sql).digest("base64url").slice(0, 24)}`;
    preparedNames.set(query.sql, name);
  }
  return name;
}
