// Redis goes away and comes back, for real: a redis-server of the test's own, on its own port,
// stopped and started by the test. The database is the truth and the bus only a hint: an admission
// made while Redis is down still answers 200 and still reaches the person's page; /readyz says
// Redis is unreachable (503) meanwhile; the service starts without Redis and connects when it can.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../helpers/livekit.ts";
import { call, readyToAdmit, startOrg } from "../helpers/scenario.ts";
import { TestSocket } from "../helpers/socket.ts";

const redisServer = spawnSync("redis-server", ["--version"]).status === 0;
if (!redisServer) {
  if (process.env.GATEKEEPER_REQUIRE_REDIS === "1") throw new Error("GATEKEEPER_REQUIRE_REDIS=1 but there is no redis-server on the PATH");
  console.warn("\n!!! No redis-server on the PATH: the Redis outage tests are SKIPPED\n");
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  for (let i = 0; i < 50; i++) {
    if (
      spawnSync("redis-cli", ["-p", String(port), "ping"])
        .stdout?.toString()
        .includes("PONG")
    )
      return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`redis-server did not start on ${port}`);
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

const readiness = async (org: Awaited<ReturnType<typeof startOrg>>) => {
  const res = await org.app.inject({ method: "GET", url: "/readyz" });
  return { status: res.statusCode, redis: res.json().checks.redis as string };
};

describe.skipIf(!redisServer)("when Redis goes away", () => {
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) await stopRedis(c);
  });

  it("admissions still answer and reach the page; /readyz says so; pages are refreshed when it is back", async () => {
    const port = await freePort();
    let redis = await startRedis(port);
    children.push(redis);
    const org = await startOrg("sqlite", { REDIS_URL: `redis://127.0.0.1:${port}` });
    try {
      const base = (await org.app.listen({ port: 0, host: "127.0.0.1" })).replace("http:", "ws:");
      expect(await readiness(org)).toEqual({ status: 200, redis: "ok" });
      const first = await readyToAdmit(org);
      const second = await readyToAdmit(org, { name: "Bea" });
      const page = await TestSocket.open(`${base}/ws/join/${first.a.invite}`);
      const other = await TestSocket.open(`${base}/ws/join/${second.a.invite}`);
      await page.next((m) => m.type === "state" && m.state === "waiting");

      await stopRedis(redis);
      await expect.poll(() => readiness(org), { timeout: 10_000 }).toEqual({ status: 503, redis: "unreachable" });
      const admitted = await call(org, "POST", `/api/sessions/${first.s.id}/attendees/${first.a.id}/admit`, org.lead);
      expect(admitted.statusCode, admitted.body).toBe(200);
      // This instance still hears its own news while Redis is away.
      await page.next((m) => m.type === "state" && m.state === "admitted" && typeof m.token === "string", 10_000);

      // An admission whose news was lost entirely (written straight to the database, as another
      // instance would have while Redis was down) reaches the page once Redis is back.
      await org.t.database.db.attendee.update({ where: { id: second.a.id }, data: { state: "refused" } });
      redis = await startRedis(port);
      children.push(redis);
      await expect.poll(() => readiness(org), { timeout: 15_000 }).toEqual({ status: 200, redis: "ok" });
      await other.next((m) => m.type === "state" && m.state === "refused", 10_000);
      page.ws.close();
      other.ws.close();
    } finally {
      await org.t.close();
    }
  }, 60_000);

  it("the service starts without Redis, says so, and connects when Redis arrives", async () => {
    const port = await freePort();
    const org = await startOrg("sqlite", { REDIS_URL: `redis://127.0.0.1:${port}` });
    try {
      expect(await readiness(org)).toEqual({ status: 503, redis: "unreachable" });
      const redis = await startRedis(port);
      children.push(redis);
      await expect.poll(() => readiness(org), { timeout: 15_000 }).toEqual({ status: 200, redis: "ok" });
    } finally {
      await org.t.close();
    }
  }, 60_000);
});
