// A standing fault test: the service, in a process of its own, is killed with SIGKILL in the
// middle of a burst of admissions and consent writes, then started again on the same database.
// Every write it acknowledged is there; no one is admitted without their decision and its audit
// event; the audit chain verifies; and a waiting page that connects again resumes.
import { once } from "node:events";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/adapters/db/client.ts";
import type { Provider } from "../../src/adapters/db/schemas.ts";
import { verifyChain } from "../../src/domain/audit.ts";
import { password } from "../helpers/app.ts";
import { providers } from "../helpers/db.ts";
import { freePort } from "../helpers/livekit.ts";
import { liveWorld, startService } from "../helpers/service.ts";
import { TestSocket } from "../helpers/socket.ts";

/** Crowds of requests from one test address: the limits have tests of their own. */
const quiet = { RECONCILE_SECONDS: "0", LINK_RATE_LIMIT: "100000", LOGIN_RATE_LIMIT: "1000" };

describe.each(providers)("SIGKILL in the middle of admissions on %s", (provider: Provider) => {
  const stopping: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const stop of stopping.reverse()) await stop();
  });

  it("loses no acknowledged write, leaves no admission without its decision and audit event, and the chain verifies", async () => {
    const world = await liveWorld(provider, 60, ["staff", "dsl"]);
    stopping.push(() => world.stop());
    const { scratch, livekitUrl, crowd, carers } = world;

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let server = await startService(scratch.url, port, livekitUrl, quiet);
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

    server = await startService(scratch.url, port, livekitUrl, quiet);
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
