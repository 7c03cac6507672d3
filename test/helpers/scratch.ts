// A scratch database for one describe block: created and opened before its tests, closed and
// dropped after them (kept apart from db.ts, which the benchmarks import outside vitest).
import { afterAll, beforeAll } from "vitest";
import { type Database, openDatabase } from "../../src/adapters/db/client.ts";
import type { Provider } from "../../src/adapters/db/schemas.ts";
import { type ScratchDatabase, scratchDatabase } from "./db.ts";

/**
 * The block's database (and its URL, for a second connection), opened once its `beforeAll` has
 * run; `then` runs after opening (fixtures).
 */
export function openedScratch(
  provider: Provider,
  then?: (database: Database) => Promise<void>,
): { readonly database: Database; readonly url: string } {
  let scratch: ScratchDatabase | undefined;
  let database: Database | undefined;
  beforeAll(async () => {
    scratch = await scratchDatabase(provider);
    database = await openDatabase(scratch.url);
    await then?.(database);
  });
  afterAll(async () => {
    await database?.close();
    await scratch?.drop();
  });
  return {
    get database() {
      if (!database) throw new Error("openedScratch: the database is opened in beforeAll");
      return database;
    },
    get url() {
      if (!scratch) throw new Error("openedScratch: the database is made in beforeAll");
      return scratch.url;
    },
  };
}
