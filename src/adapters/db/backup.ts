// Backups of the SQLite database that restore. `backup` copies a running database with SQLite's
// online backup (through better-sqlite3): a consistent copy whatever the service is writing, the
// service never stopped. `restore` puts a copy in place only while no one has the database open,
// and keeps what it replaces beside it (decisions are never deleted, rule R8). PostgreSQL has
// its own tools for both (pg_dump and pg_restore, in the README).
import { copyFileSync, existsSync, renameSync } from "node:fs";
import Database from "better-sqlite3";
import { sqlitePath } from "./connection.ts";

export class BackupError extends Error {}

/** A file that SQLite finds whole and that holds Gatekeeper's schema, or a BackupError saying why not. */
function assertGatekeeperDatabase(path: string, what: string): void {
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const integrity = db.pragma("integrity_check", { simple: true });
    if (integrity !== "ok") throw new BackupError(`${what} is damaged: ${String(integrity)}`);
    const migrations = db.prepare(`SELECT COUNT(*) AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`).get() as { n: number };
    if (migrations.n === 0) throw new BackupError(`${what} holds no Gatekeeper schema`);
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw new BackupError(`${what} is not a Gatekeeper database: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    db?.close();
  }
}

/** Copies the live database at `url` to `destination` (which must not exist yet), then checks the copy. */
export async function backupSqlite(url: string, destination: string): Promise<{ pages: number }> {
  const source = sqlitePath(url);
  if (!existsSync(source)) throw new BackupError(`there is no database at ${source}`);
  if (existsSync(destination)) throw new BackupError(`${destination} already exists: give a new file name`);
  const db = new Database(source, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    // All the pages in one step, under one read transaction: the copy is of one moment's
    // committed state, and WAL lets the service go on writing meanwhile. (Copied in small steps,
    // SQLite starts the copy again whenever another connection writes in between: under a
    // steady stream of admissions it might never finish.)
    const { totalPages } = await db.backup(destination, { progress: () => 0x7fffffff });
    assertGatekeeperDatabase(destination, "the copy");
    return { pages: totalPages };
  } finally {
    db.close();
  }
}

/**
 * Puts the backup `source` in place of the database at `url`. Refuses while the database is open
 * elsewhere (a running Gatekeeper); the file it replaces is kept as `<name>.before-restore-<time>`.
 */
export function restoreSqlite(url: string, source: string, now = new Date()): { keptAs: string | null } {
  const target = sqlitePath(url);
  assertGatekeeperDatabase(source, "the backup");
  let keptAs: string | null = null;
  if (existsSync(target)) {
    // Leaving WAL mode needs the database to itself: it fails while any other connection has it open.
    const db = new Database(target, { fileMustExist: true, timeout: 1000 });
    try {
      const mode = db.pragma("journal_mode = DELETE", { simple: true });
      if (mode !== "delete") throw new BackupError("the database is in use: stop Gatekeeper first, then restore");
    } catch (err) {
      if (err instanceof BackupError) throw err;
      throw new BackupError(`the database is in use: stop Gatekeeper first, then restore (${err instanceof Error ? err.message : err})`);
    } finally {
      db.close();
    }
    keptAs = `${target}.before-restore-${now.toISOString().replaceAll(":", "-")}`;
    renameSync(target, keptAs);
  }
  copyFileSync(source, target);
  return { keptAs };
}
