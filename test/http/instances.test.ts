// Two instances behind a load balancer share one waiting room through Redis; and attendance
// stays true when LiveKit's webhooks are lost.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reconcile } from "../../src/domain/attendance.ts";
import { providers, redisAvailable, redisUrl, type ScratchDatabase, scratchDatabase } from "../helpers/db.ts";
import { call, type Org, readyToAdmit, signIn, startOrg } from "../helpers/scenario.ts";
import { state, TestSocket } from "../helpers/socket.ts";

const provider = providers.includes("postgresql") ? "postgresql" : "sqlite";

describe.skipIf(!redisAvailable)(`two instances on one Redis and one ${provider} database`, () => {
  let scratch: ScratchDatabase;
  let a: Org;
  let b: Org;
  let baseA: string;
  beforeAll(async () => {
    scratch = await scratchDatabase(provider);
    a = await startOrg(provider, { REDIS_URL: redisUrl }, scratch);
    b = await startOrg(provider, { REDIS_URL: redisUrl }, scratch, { reuseStaff: true });
    baseA = (await a.app.listen({ port: 0, host: "127.0.0.1" })).replace("http:", "ws:");
  });
  afterAll(async () => {
    await a?.t.close();
    await b?.t.close();
    await scratch?.drop();
  });

  it("a person waiting on instance A is admitted by staff on instance B and gets their token on A", async () => {
    const { s, a: person } = await readyToAdmit(a);
    const page = await TestSocket.open(`${baseA}/ws/join/${person.invite}`);
    await page.next(state("waiting"));
    const lead = await signIn(b.app, "lead@example.org");
    const res = await b.app.inject({
      method: "POST",
      url: `/api/sessions/${s.id}/attendees/${person.id}/admit`,
      headers: { cookie: lead },
    });
    expect(res.statusCode, res.body).toBe(200);
    const admitted = await page.next(state("admitted"));
    expect(admitted.token).toEqual(expect.any(String));
    await call(b, "POST", `/api/sessions/${s.id}/message`, lead, { text: "Hello from B", attendeeId: person.id });
    expect((await page.next((m) => m.type === "message")).text).toBe("Hello from B");
    await page.close();
  });

  it("a call for help on instance A reaches a console on instance B at once; B's answer reaches the page on A", async () => {
    const { s, a: person } = await readyToAdmit(a);
    const baseB = (await b.app.listen({ port: 0, host: "127.0.0.1" })).replace("http:", "ws:");
    const lead = await signIn(b.app, "lead@example.org");
    const consoleB = await TestSocket.open(`${baseB}/ws/console/sessions/${s.id}`, { cookie: lead });
    await consoleB.next((m) => m.type === "snapshot");
    const page = await TestSocket.open(`${baseA}/ws/join/${person.invite}`);
    await page.next(state("waiting"));
    page.ws.send(JSON.stringify({ type: "help" }));
    expect(await consoleB.next((m) => m.type === "help")).toMatchObject({ attendeeId: person.id });
    await page.next((m) => m.type === "help" && m.state === "sent");
    const answered = await b.app.inject({
      method: "POST",
      url: `/api/sessions/${s.id}/attendees/${person.id}/help/answer`,
      headers: { cookie: lead },
    });
    expect(answered.statusCode, answered.body).toBe(204);
    expect(await page.next((m) => m.type === "help" && m.state === "answered")).toMatchObject({ by: "Lee" });
    await page.close();
    await consoleB.close();
  });
});

describe.each(providers)("reconciliation on %s", (p) => {
  let org: Org;
  beforeAll(async () => {
    org = await startOrg(p);
  });
  afterAll(async () => org.t.close());

  it("removes a participant whose admission is not current even when every webhook was lost", async () => {
    const { s, a } = await readyToAdmit(org);
    await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/admit`, org.lead);
    const token = (await call(org, "POST", `/api/join/${a.invite}/connection`)).json().participant_token;
    await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/return-to-waiting`, org.lead);
    const deliver = org.livekit.deliver;
    org.livekit.deliver = async () => 200; // LiveKit's webhooks are lost
    try {
      const { room } = await org.livekit.connect(token);
      expect(org.livekit.identities(room)).toContain(a.id);
      await reconcile(org.app.ctx);
      expect(org.livekit.identities(room)).not.toContain(a.id);
      // The lead, whose join was seen, stays.
      expect(org.livekit.identities(room)).toEqual([`staff:${org.leadId}`]);
    } finally {
      org.livekit.deliver = deliver;
    }
  });

  it("records a staff member who left while webhooks were lost, so R5 stops admissions", async () => {
    const { s, a } = await readyToAdmit(org);
    const room = (await org.t.database.db.session.findUniqueOrThrow({ where: { id: s.id } })).roomName;
    const deliver = org.livekit.deliver;
    org.livekit.deliver = async () => 200;
    try {
      org.livekit.disconnect(room, `staff:${org.leadId}`);
      await org.livekit.flushWebhooks();
      await reconcile(org.app.ctx);
    } finally {
      org.livekit.deliver = deliver;
    }
    const res = await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/admit`, org.lead);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.checks.find((c: { rule: string }) => c.rule === "R5.staff-in-room").outcome).toBe("fail");
  });
});
