// Long waits reach someone (#17.5): a wait of twice the long-wait setting that nobody answered
// (let in, refused, written to) is escalated once: an alert on the session's consoles, an entry
// in the audit trail, and a line on the DSL's Safeguarding page.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { escalateLongWaits } from "../../src/domain/escalation.ts";
import { providers } from "../helpers/db.ts";
import { addDsl, call, clock, type Org, readyToAdmit, startOrg } from "../helpers/scenario.ts";
import { TestSocket } from "../helpers/socket.ts";

describe.each(providers)("long waits on %s", (provider) => {
  let org: Org;
  let dsl: string;
  let base: string;
  beforeAll(async () => {
    org = await startOrg(provider);
    dsl = await addDsl(org);
    base = (await org.app.listen({ port: 0, host: "127.0.0.1" })).replace("http:", "ws:");
  });
  afterAll(async () => org.t.close());
  beforeEach(() => {
    clock.now = new Date("2026-03-03T13:50:00Z");
  });

  // The long-wait setting is 300 s: escalation comes after 600 s of nobody answering.
  it("escalates a wait nobody answered once, with an alert for the session's consoles and a line for the DSL", async () => {
    const { s, a } = await readyToAdmit(org, { name: "Alex" });
    const consoleSocket = await TestSocket.open(`${base}/ws/console/sessions/${s.id}`, { cookie: org.lead });
    clock.now = new Date("2026-03-03T13:59:00Z");
    expect(await escalateLongWaits(org.app.ctx)).toBe(0);
    clock.now = new Date("2026-03-03T14:00:01Z");
    expect(await escalateLongWaits(org.app.ctx)).toBe(1);
    expect(await consoleSocket.next((m) => m.type === "alert" && m.kind === "long-wait-escalated")).toMatchObject({
      attendeeId: a.id,
      text: expect.stringContaining("Alex has waited 10 minutes"),
    });
    clock.now = new Date("2026-03-03T14:20:00Z");
    expect(await escalateLongWaits(org.app.ctx)).toBe(0);
    const listed = await call(org, "GET", "/api/escalations", dsl);
    expect(listed.json().escalations[0]).toMatchObject({ name: "Alex", sessionTitle: "Art club", waitedSeconds: 601 });
    expect((await call(org, "GET", "/api/escalations", org.lead)).statusCode).toBe(403);
    await consoleSocket.close();
  });

  it("a message to the person, or to everyone waiting, answers the wait; being sent back starts a new one", async () => {
    const { s, a } = await readyToAdmit(org, { name: "Bo" });
    clock.now = new Date("2026-03-03T13:55:00Z");
    await call(org, "POST", `/api/sessions/${s.id}/message`, org.lead, { text: "We start soon." });
    clock.now = new Date("2026-03-03T14:05:00Z");
    expect(await escalateLongWaits(org.app.ctx)).toBe(0);

    await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/admit`, org.lead);
    await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/return-to-waiting`, org.lead);
    clock.now = new Date("2026-03-03T14:15:01Z");
    expect(await escalateLongWaits(org.app.ctx)).toBe(1);
    const events = await org.t.database.db.auditEvent.findMany({ where: { action: "waiting.escalated", subjectId: a.id } });
    expect(events).toHaveLength(1);
  });
});
