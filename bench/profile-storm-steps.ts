// Profiles a join storm's page requests in process, one step at a time for everyone (so each
// step's cost per page is its own), `BENCH_CONCURRENCY` pages at once (50):
//   node --cpu-prof --cpu-prof-dir=bench/profiles --import tsx bench/profile-storm-steps.ts [people] [sqlite|postgresql]
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import WebSocket from "ws";
import type { Provider } from "../src/adapters/db/schemas.ts";
import { profileSetup } from "./profile-setup.ts";

const people = Number(process.argv[2] ?? 1000);
const provider = (process.argv[3] ?? "sqlite") as Provider;
const { app, session, close } = await profileSetup(provider, people, { arriving: true });
const base = (await app.listen({ port: 0, host: "127.0.0.1" })).replace("http:", "ws:");
const sockets: WebSocket[] = [];
/** The waiting page's socket, until its first state (left open, as the page leaves it). */
const firstState = (invite: string) =>
  new Promise<{ statusCode: number; body: string }>((resolve, reject) => {
    const ws = new WebSocket(`${base}/ws/join/${invite}`);
    sockets.push(ws);
    ws.once("message", () => resolve({ statusCode: 200, body: "" }));
    ws.once("error", reject);
  });
const steps = {
  invite: (invite: string) => app.inject({ method: "GET", url: `/api/join/${invite}` }),
  entry: (invite: string) => app.inject({ method: "POST", url: `/api/join/${invite}`, payload: { agreedToGuidelines: true } }),
  socket: firstState,
};
/** Pages in flight at once, as in a storm (entries and refreshes are grouped then). */
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
// BENCH_PROFILE=<folder>: one CPU profile per step, written there.
const folder = process.env.BENCH_PROFILE;
const inspector = new Session();
inspector.connect();
for (const [name, step] of Object.entries(steps)) {
  if (folder) {
    await inspector.post("Profiler.enable");
    await inspector.post("Profiler.start");
  }
  const cpu = process.cpuUsage();
  const t = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < people) {
        const res = await step(session.attendees[next++]!.invite);
        if (res.statusCode >= 300) throw new Error(`${name}: ${res.statusCode} ${res.body}`);
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  if (folder) {
    const { profile } = await inspector.post("Profiler.stop");
    writeFileSync(`${folder}/storm-${name}-${provider}.cpuprofile`, JSON.stringify(profile));
  }
  console.log(
    `${provider} ${name}: ${((performance.now() - t) / people).toFixed(2)} ms a page, CPU ${((used.user + used.system) / 1000 / people).toFixed(2)} ms`,
  );
}
for (const ws of sockets) ws.terminate();
await close();
