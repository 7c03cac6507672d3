// Applies the checked-in Prisma migrations at start-up, offline, through the WASM schema engine.
// Migrations are recorded in `_prisma_migrations`, so `prisma migrate deploy` on a connected
// machine agrees with what ran here. Writing new migrations is tooling: scripts/migrations.ts.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { adapterFactory, pgConfig, providerOf, sqlitePath } from "./connection.ts";
import { openSchemaEngine, type SchemaEngine } from "./schema-engine.ts";
import { migrationsDir, type Provider, renderSchema } from "./schemas.ts";

export const filters = { externalTables: [], externalEnums: [] };

/** The checked-in migration folders of one provider, in the schema engine's format. */
export function loadMigrations(provider: Provider, through?: string) {
  const baseDir = migrationsDir(provider);
  const names = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .filter((name) => through === undefined || name <= through)
        .sort()
    : [];
  const lockPath = join(baseDir, "migration_lock.toml");
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: names.map((path) => ({
      path,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok" as const, value: readFileSync(join(baseDir, path, "migration.sql"), "utf8") },
      },
    })),
  };
}

export function migrationNames(provider: Provider): string[] {
  return loadMigrations(provider).migrationDirectories.map((d) => d.path);
}

export async function withEngine<T>(
  url: string,
  factory: SqlMigrationAwareDriverAdapterFactory,
  run: (engine: SchemaEngine, provider: Provider) => Promise<T>,
): Promise<T> {
  const provider = providerOf(url);
  // The engine opens connections through the factory but never closes them (a SQLite file would
  // stay locked, a pg pool would stay open): they are tracked here and disposed when it is done.
  const opened: SqlDriverAdapter[] = [];
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    opened.push(adapter);
    return adapter;
  };
  const engine = await openSchemaEngine(factory, [["schema.prisma", renderSchema(provider)]]);
  try {
    return await run(engine, provider);
  } finally {
    engine.free();
    await Promise.all(opened.map((adapter) => adapter.dispose()));
  }
}

/** A database that cannot be opened as it is, with what to do about it in words. */
export class DatabaseSetupError extends Error {
  override name = "DatabaseSetupError";
}

/** The migrations recorded as applied, in `_prisma_migrations` (the schema engine's own table). */
export const appliedQuery = `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;

/**
 * The migrations recorded as applied, read with an ordinary connection (the schema engine takes
 * an exclusive lock on SQLite, which a running Gatekeeper holds up). A PostgreSQL database that
 * does not exist is created when the role may, else the error says how.
 */
export async function appliedMigrations(url: string): Promise<Set<string>> {
  if (providerOf(url) === "sqlite") {
    const path = sqlitePath(url);
    if (!existsSync(path)) return new Set();
    const { default: Sqlite } = await import("better-sqlite3");
    const file = new Sqlite(path, { readonly: true, timeout: 5000 });
    try {
      const table = file.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
      if (!table) return new Set();
      return new Set((file.prepare(appliedQuery).all() as { migration_name: string }[]).map((r) => r.migration_name));
    } finally {
      file.close();
    }
  }
  const { default: pg } = await import("pg");
  const client = new pg.Client(pgConfig(url));
  try {
    await client.connect();
  } catch (err) {
    if ((err as { code?: string }).code !== "3D000") throw err;
    await createPostgresDatabase(url);
    return new Set();
  }
  try {
    const table = await client.query("SELECT to_regclass('_prisma_migrations') AS t");
    if (table.rows[0].t === null) return new Set();
    return new Set((await client.query<{ migration_name: string }>(appliedQuery)).rows.map((r) => r.migration_name));
  } finally {
    await client.end();
  }
}

async function createPostgresDatabase(url: string): Promise<void> {
  const { host, port, user, database } = pgConfig(url);
  try {
    await adminQuery(url, `CREATE DATABASE "${String(database).replaceAll('"', '""')}"`);
  } catch (err) {
    throw new DatabaseSetupError(
      `The PostgreSQL database "${database}" does not exist, and ${user ?? "this role"} may not create it (${(err as Error).message}). ` +
        `Create the database first: createdb -h ${host ?? "localhost"} -p ${port ?? 5432} -U ${user ?? "postgres"} ${database}`,
    );
  }
}

/**
 * Applies every checked-in migration not yet applied (or those up to `through`, to make a
 * database as an older version left it); returns the names applied now.
 */
export async function applyMigrations(url: string, through?: string): Promise<string[]> {
  const provider = providerOf(url);
  const applied = await appliedMigrations(url);
  const wanted = loadMigrations(provider, through);
  if (wanted.migrationDirectories.every((d) => applied.has(d.path))) return [];
  try {
    return await withEngine(url, await adapterFactory(url), async (engine) => {
      const out = await engine.applyMigrations({ migrationsList: wanted, filters });
      return out.appliedMigrationNames;
    });
  } catch (err) {
    if (provider === "sqlite" && /SocketTimeout|locked|busy/i.test(String(err)))
      throw new DatabaseSetupError(
        `The database needs migrating, and another process is using it (${sqlitePath(url)}): stop Gatekeeper first, then run this again.`,
      );
    throw err;
  }
}

export async function adminQuery(url: string, sql: string): Promise<void> {
  const { default: pg } = await import("pg");
  const client = new pg.Client(pgConfig(url, "postgres"));
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
