// What the in-process profiles share (kept apart from bench/app.ts, which the server process
// loads: the test helpers probe PostgreSQL and Redis when imported).
import { openDatabase } from "../src/adapters/db/client.ts";
import type { Provider } from "../src/adapters/db/schemas.ts";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { createStaff } from "../src/domain/staff.ts";
import { storeOf } from "../src/domain/unit-of-work.ts";
import { liveSession } from "../test/helpers/crowd.ts";
import { scratchDatabase } from "../test/helpers/db.ts";

/**
 * For the in-process profiles: a scratch database of `provider`, the app on it (not listening),
 * a lead, and a live session of `people` ready to be admitted (`arriving`: who have not opened
 * their links yet). The per-address limits are lifted: every profile client is one address.
 * `close()` drops it all.
 */
export async function profileSetup(provider: Provider, people: number, options: { arriving?: boolean } = {}) {
  const scratch = await scratchDatabase(provider);
  const database = await openDatabase(scratch.url);
  const app = await buildApp({
    config: loadConfig({
      DATABASE_URL: scratch.url,
      LOG_LEVEL: "silent",
      RECONCILE_SECONDS: "0",
      LINK_RATE_LIMIT: "10000000",
      PAGES_PER_ADDRESS: "10000000",
    }),
    database,
  });
  const staff = await createStaff(
    storeOf(database),
    { email: "lead@bench.example", name: "Lead", password: "bench password 12345", roles: ["staff"] },
    null,
  );
  const session = await liveSession(database, staff.id, people, new Date(), options);
  // As bench/run.ts does: the statistics of the database the statements will run on.
  if (provider === "postgresql") await database.db.$executeRawUnsafe("ANALYZE");
  return {
    app,
    ctx: app.ctx,
    staff,
    session,
    async close() {
      await app.close();
      await scratch.drop();
    },
  };
}
