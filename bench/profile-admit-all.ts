// Profiles one "admit all" of many waiting people, in process, without sockets:
//   node --cpu-prof --cpu-prof-dir=bench/profiles --import tsx bench/profile-admit-all.ts [people] [sqlite|postgresql]
// Prints where the time goes by phase; open the .cpuprofile in Chrome DevTools for the detail.
import type { Provider } from "../src/adapters/db/schemas.ts";
import { admitAll, admitAttendee } from "../src/domain/admission.ts";
import { connectionDetails } from "../src/domain/invitee.ts";
import { profileSetup } from "./profile-setup.ts";

const people = Number(process.argv[2] ?? 500);
const provider = (process.argv[3] ?? "sqlite") as Provider;
{
  const { ctx, staff, session, close } = await profileSetup(provider, people);
  const t = performance.now();
  const outcomes = await admitAll(ctx, session.sessionId, staff);
  console.log(
    `${provider}: admit all of ${people}: ${outcomes.filter((o) => o.admitted).length} admitted in ${(performance.now() - t).toFixed(0)} ms`,
  );
  await close();
}

// The single-admission path, per half: the staff admit, then the page's token.
{
  const { ctx, staff, session, close } = await profileSetup(provider, 200);
  let admitMs = 0;
  let tokenMs = 0;
  for (const a of session.attendees) {
    const t0 = performance.now();
    await admitAttendee(ctx, session.sessionId, a.id, staff);
    const t1 = performance.now();
    await connectionDetails(ctx, a.invite);
    tokenMs += performance.now() - t1;
    admitMs += t1 - t0;
  }
  console.log(
    `${provider}: one at a time, in process: admit ${(admitMs / 200).toFixed(2)} ms, token ${(tokenMs / 200).toFixed(2)} ms per person`,
  );
  await close();
}
