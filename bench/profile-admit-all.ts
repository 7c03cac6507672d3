// Profiles one "admit all" of many waiting people, in process, without sockets:
//   node --cpu-prof --cpu-prof-dir=bench/profiles --import tsx bench/profile-admit-all.ts [people] [sqlite|postgresql]
// Prints where the time goes by phase; open the .cpuprofile in Chrome DevTools for the detail.
import { openDatabase } from "../src/adapters/db/client.ts";
import type { Provider } from "../src/adapters/db/schemas.ts";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { admitAll } from "../src/domain/admission.ts";
import { createStaff } from "../src/domain/staff.ts";
import { liveSession } from "../test/helpers/crowd.ts";
import { scratchDatabase } from "../test/helpers/db.ts";

const people = Number(process.argv[2] ?? 500);
const provider = (process.argv[3] ?? "sqlite") as Provider;
const scratch = await scratchDatabase(provider);
const database = await openDatabase(scratch.url);
const app = await buildApp({ config: loadConfig({ DATABASE_URL: scratch.url, LOG_LEVEL: "silent", RECONCILE_SECONDS: "0" }), database });
const staff = await createStaff(
  database,
  { email: "lead@bench.example", name: "Lead", password: "bench password 12345", roles: ["staff"] },
  null,
);
const s = await liveSession(database, staff.id, people, new Date());
const t = performance.now();
const outcomes = await admitAll(app.ctx, s.sessionId, staff);
console.log(
  `${provider}: admit all of ${people}: ${outcomes.filter((o) => o.admitted).length} admitted in ${(performance.now() - t).toFixed(0)} ms`,
);
await app.close();
await scratch.drop();

// The single-admission path, per half: the staff admit, then the page's token.
{
  const again = await scratchDatabase(provider);
  const db2 = await openDatabase(again.url);
  const app2 = await buildApp({
    config: loadConfig({ DATABASE_URL: again.url, LOG_LEVEL: "silent", RECONCILE_SECONDS: "0" }),
    database: db2,
  });
  const lead = await createStaff(
    db2,
    { email: "lead@bench.example", name: "Lead", password: "bench password 12345", roles: ["staff"] },
    null,
  );
  const one = await liveSession(db2, lead.id, 200, new Date());
  const { admitAttendee } = await import("../src/domain/admission.ts");
  const { connectionDetails } = await import("../src/domain/invitee.ts");
  let admitMs = 0;
  let tokenMs = 0;
  for (const a of one.attendees) {
    const t0 = performance.now();
    await admitAttendee(app2.ctx, one.sessionId, a.id, lead);
    const t1 = performance.now();
    await connectionDetails(app2.ctx, a.invite);
    tokenMs += performance.now() - t1;
    admitMs += t1 - t0;
  }
  console.log(
    `${provider}: one at a time, in process: admit ${(admitMs / 200).toFixed(2)} ms, token ${(tokenMs / 200).toFixed(2)} ms per person`,
  );
  await app2.close();
  await again.drop();
}
