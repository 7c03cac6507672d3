// Profiles policy-checked token requests arriving in groups, in process, without HTTP:
//   node --import tsx bench/profile-tokens.ts [people] [group] [sqlite|postgresql] [profile.cpuprofile]
// Prints the time and this process's CPU per token request; with a file name, writes a CPU profile of the requests
// alone (not the set-up) to open in Chrome DevTools.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import type { Provider } from "../src/adapters/db/schemas.ts";
import { admitAll } from "../src/domain/admission.ts";
import { connectionDetails, connectionGrouping } from "../src/domain/invitee.ts";
import { profileSetup } from "./profile-setup.ts";

const people = Number(process.argv[2] ?? 2000);
const group = Number(process.argv[3] ?? 32);
const provider = (process.argv[4] ?? "sqlite") as Provider;
const profileTo = process.argv[5];
const { ctx, staff, session: s, close } = await profileSetup(provider, people);
await admitAll(ctx, s.sessionId, staff);
const inspector = new Session();
if (profileTo) {
  inspector.connect();
  await inspector.post("Profiler.enable");
  await inspector.post("Profiler.start");
}
const t = performance.now();
const cpu = process.cpuUsage();
for (let i = 0; i < people; i += group) {
  const answers = await Promise.all(s.attendees.slice(i, i + group).map((a) => connectionDetails(ctx, a.invite)));
  const refused = answers.find((a) => !a.ok);
  if (refused) throw new Error(`a token was refused: ${JSON.stringify(refused)}`);
}
const elapsed = performance.now() - t;
const used = process.cpuUsage(cpu);
if (profileTo) writeFileSync(profileTo, JSON.stringify((await inspector.post("Profiler.stop")).profile));
const grouped = connectionGrouping(ctx);
console.log(
  `${provider}: ${people} token requests in groups of ${group}: ${(elapsed / people).toFixed(3)} ms each (${((used.user + used.system) / 1000 / people).toFixed(3)} ms of this process's CPU, ${(used.system / 1000 / people).toFixed(3)} ms of it system); ${(grouped.items / grouped.batches).toFixed(1)} per transaction`,
);
await close();
