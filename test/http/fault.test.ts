// A standing fault test: the service, in a process of its own, is killed with SIGKILL in the
// middle of a burst of admissions and consent writes, then started again on the same database.
// Every write it acknowledged is there; no one is admitted without their decision and its audit
// event; the audit chain verifies; and a waiting page that connects again resumes.
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/adapters/db/client.ts";
import type { Provider } from "../../src/adapters/db/schemas.ts";
import { verifyChain } from "../../src/domain/audit.ts";
import { createStaff } from "../../src/domain/staff.ts";
import { storeOf } from "../../src/domain/unit-of-work.ts";
import { password } from "../helpers/app.ts";
import { liveSession } from "../helpers/crowd.ts";
import { providers, scratchDatabase } from "../helpers/db.ts";
import { freePort } from "../helpers/livekit.ts";
import { spawnService } from "../helpers/service.ts";
import { TestSocket } from "../helpers/socket.ts";
import { LiveKitStandIn } from "../livekit/stand-in.ts";

async function startServer(url: string, port: number, livekitUrl: string): Promise<ChildProcess> {
  const { child } = spawnService({
    ...process.env,
    DATABASE_URL: url,
    PORT: String(port),
    LIVEKIT_URL: livekitUrl,
    RECONCILE_SECONDS: "0",
    LOG_LEVEL: "error",
    LINK_RATE_LIMIT: "100000",
    LOGIN_RATE_LIMIT: "1000",
  });
  for (let i = 0; i < 200; i++) {
    if (
      await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error("the service did not start");
}

describe.each(providers)("SIGKILL in the middle of admissions on %s", (provider: Provider) => {
  const stopping: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const stop of stopping.reverse()) await stop();
  });

  it("loses no acknowledged write, leaves no admission without its decision and audit event, and the chain verifies", async () => {
    const scratch = await scratchDatabase(provider);
    const livekit = new LiveKitStandIn();
    const livekitUrl = (await livekit.start()).replace("http:", "ws:");
    stopping.push(
      () => scratch.drop(),
      () => livekit.stop(),
    );
    const setup = await openDatabase(scratch.url);
    const lead = await createStaff(
      storeOf(setup),
      { email: "lead@example.org", name: "Lee Lead", password, roles: ["staff", "dsl"] },
      null,
    );
    const crowd = await liveSession(setup, lead.id, 60, new Date());
    const carers = await setup.db.carer.findMany({ include: { member: true } });
    await setup.close();

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let server = await startServer(scratch.url, port, livekitUrl);
    stopping.push(async () => server.kill("SIGKILL"));
    const login = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base },
      body: JSON.stringify({ email: "lead@example.org", password }),
    });
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const post = (path: string, body: object) =>
      fetch(`${base}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: base, cookie },
        body: JSON.stringify(body),
      });

    // The last person keeps a waiting page open across the crash.
    const waiter = crowd.attendees.at(-1)!;
    const page = await TestSocket.open(`${base.replace("http:", "ws:")}/ws/join/${waiter.invite}`);
    await page.next((m) => m.type === "state");

    const acknowledged = { admits: [] as string[], consents: [] as string[] };
    const burst = [
      ...crowd.attendees.slice(0, 50).map((a) =>
        post(`/api/sessions/${crowd.sessionId}/attendees/${a.id}/admit`, {}).then(
          (r) => r.status === 200 && acknowledged.admits.push(a.id),
          () => undefined,
        ),
      ),
      ...carers.slice(0, 40).map((c) =>
        post(`/api/members/${c.memberId}/consents`, { type: "recording", givenBy: "carer", carerId: c.id, method: "written" }).then(
          async (r) => r.status === 201 && acknowledged.consents.push((await r.json()).consent.id),
          () => undefined,
        ),
      ),
    ];
    // Kill it once some writes of both kinds are acknowledged and others are still in flight.
    while (acknowledged.admits.length < 5 || acknowledged.consents.length < 3) await new Promise((r) => setTimeout(r, 2));
    server.kill("SIGKILL");
    await once(server, "exit");
    await Promise.all(burst);
    expect(acknowledged.admits.length + acknowledged.consents.length, "the crash came after every write").toBeLessThan(90);
    expect(await page.closed).toBeGreaterThan(0);

    server = await startServer(scratch.url, port, livekitUrl);
    const db = await openDatabase(scratch.url);
    stopping.push(() => db.close());
    const admitted = await db.db.attendee.findMany({ where: { sessionId: crowd.sessionId, state: "admitted" }, select: { id: true } });
    const admittedIds = new Set(admitted.map((a) => a.id));
    for (const id of acknowledged.admits) expect(admittedIds.has(id), `acknowledged admission of ${id} was lost`).toBe(true);
    for (const id of admittedIds) {
      expect(await db.db.admissionDecision.count({ where: { attendeeId: id, action: "admit" } }), `no decision for ${id}`).toBeGreaterThan(
        0,
      );
      expect(
        await db.db.auditEvent.count({ where: { subjectId: id, action: "attendee.admit" } }),
        `no audit event for ${id}`,
      ).toBeGreaterThan(0);
    }
    const consents = new Set((await db.db.consent.findMany({ where: { type: "recording" }, select: { id: true } })).map((c) => c.id));
    for (const id of acknowledged.consents) expect(consents.has(id), `acknowledged consent ${id} was lost`).toBe(true);
    expect(await verifyChain(db.db)).toMatchObject({ ok: true });

    // The waiting page connects again and resumes where it was.
    const again = await TestSocket.open(`${base.replace("http:", "ws:")}/ws/join/${waiter.invite}`);
    expect(await again.next((m) => m.type === "state")).toMatchObject({ state: "waiting" });
    again.ws.close();
  }, 120_000);
});
