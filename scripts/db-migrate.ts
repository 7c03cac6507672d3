// `npm run db:migrate -- --name add_x`: after editing prisma/models.prisma, writes one new
// migration folder per provider with the SQL that brings the checked-in migrations up to the
// model. Offline: the schema engine replays migrations into throwaway shadow databases (a temp
// SQLite file; a temp database on the PostgreSQL at MIGRATE_POSTGRES_URL, local by default).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { migrationsDir, type Provider } from "../src/adapters/db/schemas.ts";
import { lockfileContent, pendingSql } from "./migrations.ts";

const { values } = parseArgs({ options: { name: { type: "string" } } });
if (!values.name || !/^[a-z0-9_]+$/.test(values.name)) {
  console.error("usage: npm run db:migrate -- --name some_change (lower-case letters, digits, _)");
  process.exit(2);
}

const urls: Record<Provider, string> = {
  sqlite: `file:${join(tmpdir(), `gatekeeper-migrate-${process.pid}.db`)}`,
  postgresql: process.env.MIGRATE_POSTGRES_URL ?? "postgresql://gatekeeper_test@127.0.0.1:5432/postgres",
};
const sqliteScratch = urls.sqlite.slice("file:".length);
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);

for (const [provider, url] of Object.entries(urls) as [Provider, string][]) {
  const sql = await pendingSql(url);
  if (!sql) {
    console.log(`${provider}: migrations already match prisma/models.prisma`);
    continue;
  }
  const dir = join(migrationsDir(provider), `${stamp}_${values.name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "migration.sql"), sql);
  writeFileSync(join(migrationsDir(provider), "migration_lock.toml"), lockfileContent(provider));
  console.log(`${provider}: wrote ${dir}/migration.sql`);
}
rmSync(sqliteScratch, { force: true });
