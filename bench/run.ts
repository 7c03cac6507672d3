// `npm run bench` (or `npm run bench -- --quick` for a smoke run): measures the gatekeeper on
// SQLite and PostgreSQL and writes bench/RESULTS.md. These machines are shared and noisy, so
// every figure that matters is a median or a ratio measured in the same run, and nothing here
// fails on speed.
import { type ChildProcess, execFileSync, fork, spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { FastifyInstance } from "fastify";
import { Pool } from "undici";
import type { Database } from "../src/adapters/db/client.ts";
import type { Provider } from "../src/adapters/db/schemas.ts";
import { admissionGrouping } from "../src/domain/admission.ts";
import type { GroupCommitStats } from "../src/domain/group-commit.ts";
import { connectionGrouping } from "../src/domain/invitee.ts";
import { createStaff } from "../src/domain/staff.ts";
import { storeOf } from "../src/domain/unit-of-work.ts";
import { heartbeatIntervalMs } from "../src/http/sockets/heartbeat.ts";
import { liveSession } from "../test/helpers/crowd.ts";
import { postgresAvailable, redisAvailable, redisUrl, type ScratchDatabase, scratchDatabase } from "../test/helpers/db.ts";
import { LiveKitStandIn } from "../test/livekit/stand-in.ts";
import { benchApp } from "./app.ts";

const { values } = parseArgs({
  options: { quick: { type: "boolean", default: false }, providers: { type: "string" }, phases: { type: "string" } },
});
// --phases throughput,pages,redis,startup,storm,sessions (all by default); results are written only for a full run of all.
const allPhases = ["throughput", "pages", "redis", "startup", "storm", "sessions"];
const phases = new Set(values.phases ? values.phases.split(",") : allPhases);
const quick = values.quick;
const scale = quick
  ? {
      admissions: 150,
      tokens: 300,
      floor: 1500,
      throughputSlices: 2,
      sockets: [100, 300],
      latencyAdmits: 20,
      admitAll: 50,
      redisAdmits: 20,
      storm: [5, 20],
      sessions: [1, 10],
      sessionAdmits: 20,
    }
  : {
      admissions: 1500,
      // Token requests for 3,000 people and 15,000 of the floor, in six alternating slices of each.
      tokens: 3000,
      floor: 15000,
      throughputSlices: 6,
      // BENCH_SOCKETS=5000, to measure admit → token without the 10,000 step.
      sockets: process.env.BENCH_SOCKETS?.split(",").map(Number) ?? [1000, 5000, 10000],
      latencyAdmits: 200,
      admitAll: 500,
      redisAdmits: 200,
      storm: [50, 100],
      sessions: [1, 100, 1000],
      // 600, not 200: a p99 of 200 was set by two admissions, so one slow one in a noisy second
      // moved the ratio by half; of 600, by six.
      sessionAdmits: 600,
    };
const providers: Provider[] = values.providers
  ? (values.providers.split(",") as Provider[])
  : postgresAvailable
    ? ["sqlite", "postgresql"]
    : ["sqlite"];
const password = "bench password 12345";
/** Rest windows span a whole heartbeat round, and the timed admissions are paced to span more. */
const restMs = quick ? 2000 : heartbeatIntervalMs + 1000;
const admitPaceMs = quick ? 0 : 100;
const now = () => performance.timeOrigin + performance.now();

const lines: string[] = [];
const out = (line = "") => {
  lines.push(line);
  console.log(line);
};

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
const ms = (n: number) => `${n.toFixed(1)} ms`;

interface Running {
  app: FastifyInstance;
  base: string;
  database: Database;
  leadId: string;
  cookie: string;
}

async function login(base: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "lead@bench.example", password }),
  });
  return (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}

async function start(url: string, env: Record<string, string> = {}, existingLead?: string): Promise<Running> {
  const { app, database, base } = await benchApp(url, env);
  const leadId =
    existingLead ??
    (await createStaff(storeOf(database), { email: "lead@bench.example", name: "Lead", password, roles: ["staff"] }, null)).id;
  return { app, base, database, leadId, cookie: await login(base) };
}

/** bench/server.ts in a child process: the capacity phase measures that process alone. */
class ServerProcess {
  private replies: ((m: Record<string, unknown>) => void)[] = [];
  private constructor(
    private child: ChildProcess,
    readonly base: string,
    readonly cookie = "",
  ) {}
  /** `floor`: bench/storm-floor.ts instead, the server that does no work. */
  static async start(url: string, { floor = false } = {}): Promise<ServerProcess> {
    // BENCH_PROFILE=<folder>: the server process writes a CPU profile there when it exits.
    const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
    const child = fork(new URL(floor ? "./storm-floor.ts" : "./server.ts", import.meta.url).pathname, [], {
      execArgv: ["--expose-gc", "--import", "tsx", ...profile],
      env: { ...process.env, DATABASE_URL: url },
    });
    const base = await new Promise<string>((resolve, reject) => {
      child.once("message", (m: { base: string }) => resolve(m.base));
      child.once("exit", () => reject(new Error("the server process exited")));
    });
    const server = new ServerProcess(child, base, floor ? "" : await login(base));
    child.on("message", (m: Record<string, unknown>) => server.replies.shift()?.(m));
    return server;
  }
  private ask<T>(type: string): Promise<T> {
    return new Promise((resolve) => {
      this.replies.push(resolve as (m: Record<string, unknown>) => void);
      this.child.send({ type });
    });
  }
  stats() {
    return this.ask<{ rss: number; heap: number; cpu: NodeJS.CpuUsage }>("stats");
  }
  startDelay() {
    this.child.send({ type: "delay.start" });
  }
  stopDelay(): Promise<{ p99: number; max: number }> {
    return this.ask<{ p99: number; max: number }>("delay.stop");
  }
  async close() {
    this.child.send({ type: "exit" });
    await new Promise((resolve) => this.child.once("exit", resolve));
  }
}

/** Some requests' count, wall time and per-request latencies; `rate` sums slices of one load. */
interface Slice {
  count: number;
  seconds: number;
  latencies: number[];
}

function rate(slices: Slice[]) {
  const count = slices.reduce((sum, s) => sum + s.count, 0);
  const seconds = slices.reduce((sum, s) => sum + s.seconds, 0);
  const latencies = slices.flatMap((s) => s.latencies);
  return { perSecond: count / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/**
 * Runs requests `from` to `to` (exclusive) with `concurrency` keep-alive connections; per-request
 * latencies in ms. Every connection is open before the clock starts: the load shares the
 * server's event loop, so connections opened under load were set up one per batch, and their
 * first requests made up the whole p99 (seconds at 64 clients), a cost real clients in their own
 * processes do not see.
 */
async function loadSlice(
  base: string,
  from: number,
  to: number,
  concurrency: number,
  request: (pool: Pool, i: number) => Promise<void>,
): Promise<Slice> {
  const pool = new Pool(base, { connections: concurrency, pipelining: 1 });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const res = await pool.request({ method: "GET", path: "/healthz" });
      await res.body.dump();
    }),
  );
  const latencies: number[] = [];
  let next = from;
  const started = now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < to) {
        const i = next++;
        const t = now();
        await request(pool, i);
        latencies.push(now() - t);
      }
    }),
  );
  const seconds = (now() - started) / 1000;
  await pool.close();
  return { count: to - from, seconds, latencies };
}

const load = async (base: string, total: number, concurrency: number, request: (pool: Pool, i: number) => Promise<void>) =>
  rate([await loadSlice(base, 0, total, concurrency, request)]);

async function post(pool: Pool, path: string, cookie?: string): Promise<number> {
  const res = await pool.request({
    method: "POST",
    path,
    headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
    body: "{}",
  });
  await res.body.dump();
  return res.statusCode;
}

/** Mean admits and token requests per transaction since `before` (group commit at work). */
function grouping(r: Running, before: { admit: GroupCommitStats; connect: GroupCommitStats }) {
  const mean = (now: GroupCommitStats, then: GroupCommitStats) => (now.items - then.items) / Math.max(1, now.batches - then.batches);
  return { admit: mean(admissionGrouping(r.app.ctx), before.admit), connect: mean(connectionGrouping(r.app.ctx), before.connect) };
}
const groupingNow = (r: Running) => ({ admit: admissionGrouping(r.app.ctx), connect: connectionGrouping(r.app.ctx) });

/**
 * The token requests and the floor, in alternating slices (`slices` of each): the machine's pace
 * drifts over seconds (the floor alone moved 2,200–5,800 a second between runs of the same code),
 * so measured one after the other the ratio took the drift between them; alternating, both see
 * the same seconds.
 */
async function tokensAgainstFloor(r: Running, invites: string[], concurrency: number, slices: number, onFailure: () => void) {
  const tokens: Slice[] = [];
  const floor: Slice[] = [];
  const floorPer = Math.round(scale.floor / slices);
  for (let k = 0; k < slices; k++) {
    floor.push(
      await loadSlice(r.base, 0, floorPer, concurrency, async (p) => {
        if ((await post(p, "/bench/floor")) !== 200) throw new Error("floor failed");
      }),
    );
    const from = Math.floor((k * invites.length) / slices);
    const to = Math.floor(((k + 1) * invites.length) / slices);
    tokens.push(
      await loadSlice(r.base, from, to, concurrency, async (p, i) => {
        if ((await post(p, `/api/join/${invites[i]}/connection`)) !== 201) onFailure();
      }),
    );
  }
  return { tokens: rate(tokens), floor: rate(floor) };
}

/**
 * PostgreSQL's statistics brought up to date after the bench has written its people. Thousands of
 * rows written in a second leave the planner with the statistics of a far smaller database until
 * autovacuum analyses the tables, up to a minute later and often in the middle of a measurement.
 * On such statistics PostgreSQL planned the decision's shared-facts statement afresh at every
 * execution (0 of 401 executions on its kept plan; 396 of 401 once analysed), ≈ 0.3 ms a batch.
 * A running organisation grows a session at a time, its tables analysed as they grow.
 */
async function analyse(database: Database) {
  if (database.provider === "postgresql") await database.db.$executeRawUnsafe("ANALYZE");
}

/**
 * At each number of concurrent clients: whole admissions (the staff admit, then that person's
 * token request), the token request alone for people already admitted (facts gathered, all
 * thirteen rules decided, the decision stored, the token minted), and the floor.
 */
async function admissionThroughput(r: Running) {
  const rows = [];
  let failures = 0;
  for (const concurrency of [8, 64]) {
    const pairs = await liveSession(r.database, r.leadId, scale.admissions, new Date());
    await analyse(r.database);
    const before = groupingNow(r);
    const admissions = await load(r.base, scale.admissions, concurrency, async (pool, i) => {
      const a = pairs.attendees[i]!;
      const admitted = await post(pool, `/api/sessions/${pairs.sessionId}/attendees/${a.id}/admit`, r.cookie);
      const token = await post(pool, `/api/join/${a.invite}/connection`);
      if (admitted !== 200 || token !== 201) failures++;
    });
    const grouped = grouping(r, before);

    const ready = await liveSession(r.database, r.leadId, scale.tokens, new Date());
    const pool = new Pool(r.base, { connections: 1 });
    if ((await post(pool, `/api/sessions/${ready.sessionId}/admit-all`, r.cookie)) !== 200) throw new Error("admit all failed");
    await pool.close();
    await analyse(r.database);
    const tokensBefore = groupingNow(r);
    const { tokens, floor } = await tokensAgainstFloor(
      r,
      ready.attendees.map((a) => a.invite),
      concurrency,
      scale.throughputSlices,
      () => failures++,
    );
    const tokenGrouping = grouping(r, tokensBefore).connect;
    rows.push({ concurrency, admissions, tokens, floor, grouped, tokenGrouping });
  }
  return { rows, failures };
}

class Clients {
  private child: ChildProcess;
  private admitted = new Map<string, number>();
  private waiters: ((m: { count: number; ms: number }) => void)[] = [];
  constructor() {
    this.child = fork(new URL("./clients.ts", import.meta.url).pathname, [], { execArgv: ["--import", "tsx"] });
    this.child.on("message", (m: { type: string; token?: string; at?: number; count?: number; ms?: number }) => {
      if (m.type === "admitted" && m.token && m.at && !this.admitted.has(m.token)) this.admitted.set(m.token, m.at);
      if (m.type === "opened") this.waiters.shift()?.({ count: m.count!, ms: m.ms! });
    });
  }
  /** Pages opened as browsers do (invite, entry, socket), all starting within `spreadMs`. */
  storm(
    base: string,
    tokens: string[],
    spreadMs: number,
  ): Promise<{ results: ({ ms: number } | { error: string })[]; retries: string[]; wallMs: number }> {
    return new Promise((resolve) => {
      this.child.once("message", (m: { type: string }) => m.type === "storm" && resolve(m as never));
      this.child.send({ type: "storm", base, tokens, spreadMs });
    });
  }
  open(base: string, tokens: string[]): Promise<{ count: number; ms: number }> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.child.send({ type: "open", base: base.replace("http:", "ws:"), tokens, concurrency: 100 });
    });
  }
  async admittedAt(token: string, timeoutMs = 30_000): Promise<number> {
    const until = now() + timeoutMs;
    while (!this.admitted.has(token)) {
      if (now() > until) throw new Error("token never arrived");
      await new Promise((r) => setTimeout(r, 1));
    }
    return this.admitted.get(token)!;
  }
  close() {
    this.child.send({ type: "exit" });
  }
}

/**
 * The top of the hour: `sessions` sessions of `per` people each, all live, and everyone opens
 * their link within one second. Each page: GET the invite, POST the entry (agreeing to the
 * guidelines), open the socket; timed from its first request to its first state.
 */
async function joinStorm(r: Running, url: string) {
  // BENCH_STORM=<sessions>x<people>, to profile a storm of another size.
  const [sessions, per] = (process.env.BENCH_STORM?.split("x").map(Number) ?? scale.storm) as [number, number];
  const tokens: string[] = [];
  for (let i = 0; i < sessions; i++)
    tokens.push(...(await liveSession(r.database, r.leadId, per, new Date(), { arriving: true })).attendees.map((a) => a.invite));
  await analyse(r.database);
  // The same storm first against the server that does no work: what this machine allows.
  const floor = await stormAgainst(await ServerProcess.start(url, { floor: true }), tokens);
  return { sessions, floor, ...(await stormAgainst(await ServerProcess.start(url), tokens)) };
}

/** Everyone in `tokens` opens their page within a second, against `server` (closed after). */
async function stormAgainst(server: ServerProcess, tokens: string[]) {
  const clients = new Clients();
  try {
    const before = await server.stats();
    const wall = now();
    const { results, retries, wallMs } = await clients.storm(server.base, tokens, 1000);
    const after = await server.stats();
    const cpu = (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / 1000;
    const times = results.flatMap((x) => ("ms" in x ? [x.ms] : []));
    const failures = new Map<string, number>();
    for (const x of results) if ("error" in x) failures.set(x.error, (failures.get(x.error) ?? 0) + 1);
    const retried = new Map<string, number>();
    for (const why of retries) retried.set(why, (retried.get(why) ?? 0) + 1);
    return {
      pages: tokens.length,
      allMs: wallMs,
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      failed: results.length - times.length,
      failures: [...failures].map(([e, n]) => `${n} × ${e}`).join("; "),
      retries: retries.length,
      retriedWhy: [...retried].map(([e, n]) => `${n} × ${e}`).join("; "),
      cpuPerPageMs: cpu / tokens.length,
      cpuShare: cpu / (now() - wall),
    };
  } finally {
    clients.close();
    await server.close();
  }
}

async function capacityAndLatency(r: Running, url: string) {
  const total = scale.sockets.at(-1)!;
  const s = await liveSession(r.database, r.leadId, total, new Date());
  await analyse(r.database);
  const server = await ServerProcess.start(url);
  const clients = new Clients();
  const rows: string[] = [];
  const base = await server.stats();
  let opened = 0;
  let latency: { p50: number; p99: number; n: number; waiting: number; answered: number[]; delivered: number[] } | undefined;
  for (const step of scale.sockets) {
    server.startDelay();
    const before = await server.stats();
    const wall = now();
    const { ms: openMs } = await clients.open(
      server.base,
      s.attendees.slice(opened, step).map((a) => a.invite),
    );
    const after = await server.stats();
    const cpuShare = (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / 1000 / (now() - wall);
    const opening = await server.stopDelay();
    opened = step;
    await new Promise((res) => setTimeout(res, 1000));
    // At rest for a whole heartbeat round, so that periodic work shows in the maximum.
    server.startDelay();
    await new Promise((res) => setTimeout(res, restMs));
    const idle = await server.stopDelay();
    const stats = await server.stats();
    rows.push(
      `| ${step} | ${((stats.rss - base.rss) / step / 1024).toFixed(1)} KiB | ${((stats.heap - base.heap) / step / 1024).toFixed(1)} KiB | ${(openMs / 1000).toFixed(1)} s | ${(cpuShare * 100).toFixed(0)} % | ${ms(opening.p99)} | ${ms(idle.p99)} | ${ms(idle.max)} |`,
    );
    // Admit → token on the waiting page, one at a time, while this many are waiting.
    if (!latency && (step >= 5000 || step === scale.sockets.at(-1))) {
      const pool = new Pool(server.base, { connections: 1 });
      const samples: number[] = [];
      // Each admission in its two halves: the admit's response, then the token on the page after it.
      const answered: number[] = [];
      const delivered: number[] = [];
      for (const a of s.attendees.slice(0, scale.latencyAdmits)) {
        const sent = now();
        if ((await post(pool, `/api/sessions/${s.sessionId}/attendees/${a.id}/admit`, server.cookie)) !== 200)
          throw new Error("admit failed");
        const response = now();
        const token = await clients.admittedAt(a.invite);
        samples.push(token - sent);
        answered.push(response - sent);
        delivered.push(token - response);
        // Paced, so that the admissions span more than a heartbeat round (periodic work counts).
        await new Promise((res) => setTimeout(res, Math.max(0, sent + admitPaceMs - now())));
      }
      await pool.close();
      latency = { p50: percentile(samples, 50), p99: percentile(samples, 99), n: samples.length, waiting: step, answered, delivered };
    }
  }
  clients.close();
  await server.close();
  return { rows, latency: latency! };
}

async function admitAllOf(r: Running) {
  const s = await liveSession(r.database, r.leadId, scale.admitAll, new Date());
  await analyse(r.database);
  const clients = new Clients();
  await clients.open(
    r.base,
    s.attendees.map((a) => a.invite),
  );
  const pool = new Pool(r.base, { connections: 1 });
  const sent = now();
  const res = await pool.request({ method: "POST", path: `/api/sessions/${s.sessionId}/admit-all`, headers: { cookie: r.cookie } });
  const body = (await res.body.json()) as { admitted: unknown[] };
  const responded = now() - sent;
  const arrivals = await Promise.all(s.attendees.map((a) => clients.admittedAt(a.invite, 120_000)));
  await pool.close();
  clients.close();
  return { admitted: body.admitted.length, responded, lastToken: Math.max(...arrivals) - sent };
}

async function twoInstances(scratch: ScratchDatabase, leadId: string) {
  const a = await start(scratch.url, { REDIS_URL: redisUrl }, leadId);
  const b = await start(scratch.url, { REDIS_URL: redisUrl }, leadId);
  const s = await liveSession(a.database, leadId, scale.redisAdmits, new Date());
  await analyse(a.database);
  const clients = new Clients();
  await clients.open(
    a.base,
    s.attendees.map((x) => x.invite),
  );
  const pool = new Pool(b.base, { connections: 1 });
  const samples: number[] = [];
  for (const x of s.attendees) {
    const sent = now();
    if ((await post(pool, `/api/sessions/${s.sessionId}/attendees/${x.id}/admit`, b.cookie)) !== 200) throw new Error("admit on B failed");
    samples.push((await clients.admittedAt(x.invite)) - sent);
  }
  await pool.close();
  clients.close();
  await a.app.close();
  await b.app.close();
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), n: samples.length };
}

/**
 * Many sessions: 1, 100 and 1,000 live sessions of 10 people on one PostgreSQL, two instances with
 * Redis, the LiveKit stand-in (sending back removes the person from the room). Staff on instance B
 * admit one person at a time, each from the next session in turn (the newest ones included), and
 * send them back, so that every size admits as often; a first round, not counted, warms up. Timed:
 * each admit request; counted: this process's CPU (both instances and the client) per admission
 * with its sending back. An admission should cost what its session costs, whatever else is live.
 */
async function manySessions(scratch: ScratchDatabase, leadId: string) {
  const livekit = new LiveKitStandIn();
  const env = { REDIS_URL: redisUrl, LIVEKIT_URL: (await livekit.start()).replace("http:", "ws:") };
  const a = await start(scratch.url, env, leadId);
  const b = await start(scratch.url, env, leadId);
  const pool = new Pool(b.base, { connections: 1 });
  type Live = Awaited<ReturnType<typeof liveSession>>;
  const round = async (sessions: Live[], admits = scale.sessionAdmits) => {
    const samples: number[] = [];
    const cpu = process.cpuUsage();
    for (let i = 0; i < admits; i++) {
      // Round the sessions from the newest, each time the next person of the session.
      const s = sessions[sessions.length - 1 - (i % sessions.length)]!;
      const x = s.attendees[Math.floor(i / sessions.length) % s.attendees.length]!;
      const path = `/api/sessions/${s.sessionId}/attendees/${x.id}`;
      const sent = now();
      if ((await post(pool, `${path}/admit`, b.cookie)) !== 200) throw new Error("admit failed");
      samples.push(now() - sent);
      if ((await post(pool, `${path}/return-to-waiting`, b.cookie)) !== 200) throw new Error("sending back failed");
    }
    const used = process.cpuUsage(cpu);
    return { p50: percentile(samples, 50), p99: percentile(samples, 99), cpuMs: (used.user + used.system) / 1000 / admits };
  };
  // Each step analyses the sessions it added and warms up (50 admits not counted) before it is measured.
  const settle = async (sessions: Live[]) => {
    await analyse(a.database);
    await round(sessions, Math.min(50, scale.sessionAdmits));
  };
  const rows: { sessions: number; p50: number; p99: number; cpuMs: number }[] = [];
  try {
    await round([await liveSession(a.database, leadId, 10, new Date())]);
    const sessions: Live[] = [];
    for (const size of scale.sessions) {
      while (sessions.length < size) sessions.push(await liveSession(a.database, leadId, 10, new Date()));
      await settle(sessions);
      rows.push({ sessions: size, ...(await round(sessions)) });
    }
  } finally {
    await pool.close();
    await a.app.close();
    await b.app.close();
    await livekit.stop();
  }
  return rows;
}

/** How the service is started: as the image does (the bundle `npm run build` makes), or through tsx as `npm start` does. */
const entryPoints = { bundled: ["--enable-source-maps", "dist/server.js"], tsx: ["--import", "tsx", "src/server.ts"] };

/**
 * Start-up to /readyz 200, the bundle's code cache kept in `codeCache` (src/start-bundled.ts).
 * LIVEKIT_URL is set (to an address nothing answers, which does not make the service unready):
 * without it, in development, the service would start a LiveKit server beside itself, and that
 * server's start-up was being measured as ours before 2026-11-27.
 */
async function startup(url: string, how: keyof typeof entryPoints, codeCache: string): Promise<number> {
  // Below Linux's ephemeral range (32768 on): the bench's own client connections hold ports there.
  const port = 20000 + Math.floor(Math.random() * 12000);
  const t = now();
  const child = spawn(process.execPath, entryPoints[how], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      LOG_LEVEL: "silent",
      NODE_ENV: "development",
      LIVEKIT_URL: "ws://127.0.0.1:1",
      NODE_COMPILE_CACHE: codeCache,
    },
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return now() - t;
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`the server exited before it was ready (${child.exitCode ?? child.signalCode})`);
      if (now() - t > 60_000) throw new Error("server never became ready");
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

async function startups(
  url: string,
  how: keyof typeof entryPoints,
  codeCache: string,
  n: number,
): Promise<{ median: number; min: number; max: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(await startup(url, how, codeCache));
  return { median: percentile(times, 50), min: Math.min(...times), max: Math.max(...times) };
}

async function benchProvider(provider: Provider) {
  out(`## ${provider === "sqlite" ? "SQLite" : "PostgreSQL"}`);
  out();
  const scratch = await scratchDatabase(provider);
  // The first start ever (a fresh database, no code cache yet), then five starts on the migrated
  // database from the code cache the first one left (one start varies by ± 20 % on this machine),
  // one that compiles afresh (an empty cache folder), and one through tsx.
  const codeCaches = join(os.tmpdir(), `gk-bench-code-cache-${process.pid}`);
  const started = phases.has("startup")
    ? {
        fresh: await startup(scratch.url, "bundled", join(codeCaches, "kept")),
        upToDate: await startups(scratch.url, "bundled", join(codeCaches, "kept"), 5),
        upToDateCold: await startup(scratch.url, "bundled", join(codeCaches, "empty")),
        upToDateTsx: await startup(scratch.url, "tsx", join(codeCaches, "kept")),
      }
    : null;
  rmSync(codeCaches, { recursive: true, force: true });
  const r = await start(scratch.url);
  try {
    if (phases.has("throughput")) {
      const { rows, failures } = await admissionThroughput(r);
      const pct = (x: { perSecond: number }, floor: { perSecond: number }) => `${((x.perSecond / floor.perSecond) * 100).toFixed(1)} %`;
      out("### 1. Admission throughput against the floor (a route that only mints the token)");
      out();
      out(
        "| clients | token requests / s (p50, p99) | whole admissions / s (p50, p99) | floor / s (p50, p99) | **token requests ÷ floor** | whole admissions ÷ floor | per transaction: admits, tokens |",
      );
      out("|---|---|---|---|---|---|---|");
      const cell = (x: { perSecond: number; p50: number; p99: number }) => `${x.perSecond.toFixed(0)} (${ms(x.p50)}, ${ms(x.p99)})`;
      for (const row of rows)
        out(
          `| ${row.concurrency} | ${cell(row.tokens)} | ${cell(row.admissions)} | ${cell(row.floor)} | **${pct(row.tokens, row.floor)}** | ${pct(row.admissions, row.floor)} | ${row.grouped.admit.toFixed(1)}, ${row.tokenGrouping.toFixed(1)} |`,
        );
      out();
      out(`Failed requests: ${failures} (any failure is logged to stderr by the app).`);
      out();
      out(
        `A token request is one policy-checked admission to the room: the invite link and everything the rules need read with the session row locked, all thirteen rules decided, the decision stored in the audit chain, and the token minted (target: at least 50 % of the floor). A whole admission is two requests (the staff member's admit, then that person's token request), so it cannot pass half of a one-request floor even if the database cost nothing. Requests arriving together are decided together in one transaction (group commit); the last column is the mean number per transaction. The token requests (${scale.tokens} people) and the floor (${scale.floor} requests) run in ${scale.throughputSlices} alternating slices each, so both see the same seconds of a machine whose pace drifts. On PostgreSQL the tables are analysed once the people are written (as autovacuum would have done in a running organisation), so that the statements are planned on the statistics of the database they run on.`,
      );
      out();
    }

    if (phases.has("pages")) {
      const all = await admitAllOf(r);
      const cap = await capacityAndLatency(r, scratch.url);
      out("### 2. Waiting-room capacity (one instance)");
      out();
      out(
        "| waiting sockets | RSS per socket | heap per socket | time to open all | server CPU while opening | event-loop delay p99 while opening | event-loop delay p99 at rest | event-loop delay max at rest |",
      );
      out("|---|---|---|---|---|---|---|---|");
      for (const row of cap.rows) out(row);
      out();
      out(
        `The server runs in a process of its own for this phase (bench/server.ts), with the clients in another. Per-socket figures are (that process's RSS or heap after − before opening any) ÷ sockets, after a forced GC; the first step also carries the code loaded for the first pages, so the 10,000 row is the meaningful one. Target: 10,000 sockets at no more than 12 KiB each. “At rest” is ${(restMs / 1000).toFixed(0)} s with every page open and idle, at least one heartbeat round (every socket pinged once), so periodic work shows in the maximum.`,
      );
      out();
      out("### 3. Admit → token on the waiting page");
      out();
      out(
        `While ${cap.latency.waiting} people wait: ${cap.latency.n} admissions one at a time${admitPaceMs ? `, one every ${admitPaceMs} ms or slower (spanning a heartbeat round)` : ""}, from the admit request leaving to the token arriving on that person's socket: **p50 ${ms(cap.latency.p50)}, p99 ${ms(cap.latency.p99)}** (target p99 ≤ 50 ms). In two halves: the admit's response p50 ${ms(percentile(cap.latency.answered, 50))}, p99 ${ms(percentile(cap.latency.answered, 99))} (the decision's transaction); then the token on the page p50 ${ms(percentile(cap.latency.delivered, 50))}, p99 ${ms(percentile(cap.latency.delivered, 99))} (the news to the page's hub, the page's own decision and token).`,
      );
      out();
      out(
        `"Admit all" of ${scale.admitAll} waiting people (each with an open waiting page): ${all.admitted} admitted, response in ${ms(all.responded)}, last token on its page after **${ms(all.lastToken)}** (target ≤ 1 s).`,
      );
      out();
    }
    if (phases.has("storm")) {
      const storm = await joinStorm(r, scratch.url);
      out("### 4. Join storm: everyone opens their link at the top of the hour");
      out();
      out(
        `${storm.pages} people in ${storm.sessions} live sessions open their invite pages within one second (each page: the invite, entering the waiting room, the socket; the server in its own process, the pages in another): **every page had its first state after ${ms(storm.allMs)}** (target ≤ 5 s); per page, from its first request, **p50 ${ms(storm.p50)}, p99 ${ms(storm.p99)}** (target p99 ≤ 2 s); **failed page opens: ${storm.failed}**${storm.failed ? ` (${storm.failures})` : ""} (target 0; a page tries again after no answer, a reset or a 5xx, as the real page does, and fails after 2 minutes of trying); requests tried again: ${storm.retries}${storm.retries ? ` (${storm.retriedWhy})` : ""}. Server CPU ${ms(storm.cpuPerPageMs)} per page, ${(storm.cpuShare * 100).toFixed(0)} % of one core while it lasted.`,
      );
      out();
      const { floor } = storm;
      out(
        `The floor, in the same run: the same storm against a server that answers the three requests with fixed bodies and does no other work (bench/storm-floor.ts) took ${ms(floor.allMs)} (p50 ${ms(floor.p50)}, p99 ${ms(floor.p99)}; failed ${floor.failed}, retried ${floor.retries}; its CPU ${ms(floor.cpuPerPageMs)} a page). The gatekeeper's storm took **${(storm.allMs / floor.allMs).toFixed(1)}×** the floor's time, its p99 ${(storm.p99 / floor.p99).toFixed(1)}×.`,
      );
      out();
    }
    // Several instances share one PostgreSQL; on SQLite a second connection in the same process
    // blocks the event loop while it waits for the first one's lock.
    if (redisAvailable && provider === "postgresql" && phases.has("redis")) {
      const two = await twoInstances(scratch, r.leadId);
      out("### 5. Two instances with Redis");
      out();
      out(
        `Admit on instance B, token delivered by instance A: ${two.n} admissions, **p50 ${ms(two.p50)}, p99 ${ms(two.p99)}** (target p99 ≤ 50 ms).`,
      );
      out();
    }
    if (redisAvailable && provider === "postgresql" && phases.has("sessions")) {
      const rows = await manySessions(scratch, r.leadId);
      out("### 7. Many live sessions (two instances, Redis)");
      out();
      out("| live sessions of 10 | admit p50 | admit p99 | p99 ÷ one session's | CPU per admission (and sending back) | ÷ one session's |");
      out("|---|---|---|---|---|---|");
      const [first] = rows;
      for (const row of rows)
        out(
          `| ${row.sessions} | ${ms(row.p50)} | ${ms(row.p99)} | ${(row.p99 / first!.p99).toFixed(2)} | ${ms(row.cpuMs)} | ${(row.cpuMs / first!.cpuMs).toFixed(2)} |`,
        );
      out();
      out(
        `Staff on instance B admit ${scale.sessionAdmits} people one at a time, each from the next live session in turn, and send each back (target: p99 and CPU per admission within 20 % of one session's as sessions grow). Before each step is measured, the sessions it added are analysed (PostgreSQL's ANALYZE) and 50 admits warm it up, uncounted.`,
      );
      out();
    }
  } finally {
    await r.app.close();
  }
  if (started) {
    const { fresh, upToDate, upToDateCold, upToDateTsx } = started;
    out("### 6. Start-up: process start to `/readyz` 200");
    out();
    out(
      `Bundled (\`node --enable-source-maps dist/server.js\`, as the image runs): first start on a fresh database (all migrations, no code cache yet) ${ms(fresh)}; **up-to-date database ${ms(upToDate.median)}** (from the code cache, median of 5, ${ms(upToDate.min)}–${ms(upToDate.max)}; target ≤ 0.5 s); up-to-date, compiled afresh ${ms(upToDateCold)}. Through tsx (\`npm start\`), up-to-date: ${ms(upToDateTsx)}.`,
    );
    out();
  }
  await scratch.drop();
}

const commit = (() => {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"]).toString().trim();
  } catch {
    return "unknown";
  }
})();
out("# Benchmark results");
out();
out(`- Date: ${new Date().toISOString()}; commit ${commit}; mode: ${quick ? "quick (smoke run, small numbers)" : "full"}`);
out(
  `- Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}; Node ${process.version}`,
);
out(`- Command: \`npm run bench${quick ? " -- --quick" : ""}\` (\`node --expose-gc --import tsx bench/run.ts\`)`);
out("- Shared, noisy machine: compare the ratios and medians within this run, not absolute numbers across runs.");
out();
// The start-up phase times the bundled server: build it first, as the image does.
if (phases.has("startup")) execFileSync(process.execPath, ["--import", "tsx", "scripts/build.ts"], { stdio: "inherit" });
for (const provider of providers) await benchProvider(provider);
// The before/after record is kept by hand in history.md and carried into every full result.
const history = readFileSync(new URL("./history.md", import.meta.url), "utf8");
const results = new URL("./RESULTS.md", import.meta.url);
if (!quick && phases.size === allPhases.length) {
  writeFileSync(results, `${lines.join("\n")}\n${history}`);
  console.log(`\nWrote ${results.pathname}`);
} else {
  console.log(`\nPrinted only: ${results.pathname} is written by a full run of every phase (npm run bench).`);
}
process.exit(0);
