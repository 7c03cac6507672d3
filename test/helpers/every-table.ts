// Reads every row of every table, whatever the schema says, for tests that must prove a value is
// nowhere in the database (erasure). Tables come from the database's own catalogue, not from
// Prisma's model, so a table the code forgot is searched too.
import type { Database } from "../../src/adapters/db/client.ts";

async function tables(database: Database): Promise<string[]> {
  const rows =
    database.provider === "sqlite"
      ? await database.db.$queryRawUnsafe<{ name: string }[]>("SELECT name FROM sqlite_master WHERE type = 'table'")
      : await database.db.$queryRawUnsafe<{ name: string }[]>(
          "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
        );
  return rows.map((r) => r.name);
}

/** Where each value still appears (any case), as "Table: row text", or an empty list. */
export async function findEverywhere(database: Database, values: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const table of await tables(database)) {
    const rows = await database.db.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM "${table}"`);
    for (const row of rows) {
      const text = JSON.stringify(row, (_k, v) => (typeof v === "bigint" ? String(v) : v)).toLowerCase();
      for (const value of values) if (text.includes(value.toLowerCase())) found.push(`${table}: ${value} in ${text}`);
    }
  }
  return found;
}

/** Row counts of every table. */
export async function countEveryTable(database: Database): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await tables(database)) {
    const [row] = await database.db.$queryRawUnsafe<{ n: bigint | number }[]>(`SELECT COUNT(*) AS n FROM "${table}"`);
    counts[table] = Number(row!.n);
  }
  return counts;
}
