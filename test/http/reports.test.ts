// Reports (#19.2), counted from what is stored, on both providers: a month of sessions with a
// wait, a refusal by rule and one by staff, a call for help, an R3 waiver, a keep-apart refusal
// and a group's occurrence; the figures per group and in total, as JSON and as CSV; bad ranges
// are a 400 and only the DSL and admins may look.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providers } from "../helpers/db.ts";
import {
  addDsl,
  addMember,
  call,
  clock,
  confirmCarer,
  enterWaiting,
  joinRoom,
  type Org,
  schedule,
  startOrg,
  startSession,
} from "../helpers/scenario.ts";

describe.each(providers)("reports on %s", (provider) => {
  let org: Org;
  let dsl: string;
  beforeAll(async () => {
    clock.now = new Date("2026-03-03T13:50:00Z");
    org = await startOrg(provider);
    dsl = await addDsl(org);
  });
  afterAll(async () => {
    clock.now = new Date("2026-03-03T13:50:00Z");
    await org.t.close();
  });

  it("counts a month's sessions, people, waits, refusals, waivers, calls for help and keep-apart refusals, per group and in total", async () => {
    // A one-off session: Alex waits ten minutes and comes in; Bo's carer never confirms (R2),
    // then staff refuse Bo; Alex asks for help.
    const [alex, bo] = [await addMember(org, { name: "Alex" }), await addMember(org, { name: "Bo" })];
    const s = await schedule(org, [alex.id, bo.id]);
    const [a, b] = [s.attendees.find((x) => x.displayName === "Alex")!, s.attendees.find((x) => x.displayName === "Bo")!];
    await confirmCarer(org, a.carer!);
    await enterWaiting(org, a.invite);
    await enterWaiting(org, b.invite);
    await startSession(org, s.id);
    clock.now = new Date("2026-03-03T14:00:00Z");
    const admitted = await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/admit`, org.lead);
    expect(admitted.statusCode).toBe(200);
    await joinRoom(org, (await call(org, "POST", `/api/join/${a.invite}/connection`)).json().participant_token);
    expect((await call(org, "POST", `/api/sessions/${s.id}/attendees/${b.id}/admit`, org.lead)).statusCode).toBe(409);
    expect(
      (await call(org, "POST", `/api/sessions/${s.id}/attendees/${b.id}/refuse`, org.lead, { message: "Not today." })).statusCode,
    ).toBe(200);
    expect((await call(org, "POST", `/api/join/${a.invite}/help`)).statusCode).toBe(202);

    // Another one-off, started without a second member of staff (an R3 waiver), nobody comes.
    clock.now = new Date("2026-03-03T13:50:00Z");
    const lone = await schedule(org, [(await addMember(org, { name: "Cy" })).id], { secondStaffId: undefined });
    await startSession(org, lone.id, { secondStaffWaiverReason: "Second worker is off sick today" });

    // A session that could not be scheduled: two people the DSL keeps apart (R15).
    const [dee, eve] = [await addMember(org, { name: "Dee" }), await addMember(org, { name: "Eve" })];
    const kept = await call(org, "POST", "/api/keep-apart", dsl, {
      a: { type: "member", id: dee.id },
      b: { type: "member", id: eve.id },
      reason: "They fell out",
    });
    expect(kept.statusCode).toBe(201);
    const notScheduled = await call(org, "POST", "/api/sessions", org.lead, {
      title: "Art club",
      startsAt: "2026-03-03T14:00:00Z",
      endsAt: "2026-03-03T15:00:00Z",
      delivery: "home",
      leadStaffId: org.leadId,
      secondStaffId: org.secondId,
      memberIds: [dee.id, eve.id],
    });
    expect(notScheduled.statusCode).toBe(409);

    // A group whose one occurrence is held the same day.
    const group = await call(org, "POST", "/api/groups", org.lead, {
      title: "Music group",
      delivery: "venue",
      leadStaffId: org.leadId,
      secondStaffId: org.secondId,
      memberIds: [dee.id],
      schedule: { weekday: "tue", start: "14:00", end: "15:00", from: "2026-03-03", until: "2026-03-03" },
    });
    expect(group.statusCode, group.body).toBe(201);
    const occurrence = (await org.t.database.db.session.findFirstOrThrow({ where: { groupId: group.json().group.id } })).id;
    await startSession(org, occurrence);

    const res = await call(org, "GET", "/api/reports?from=2026-01&to=2026-03", dsl);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report.timeZone).toBe("Europe/London");
    expect(report.rows).toEqual([
      {
        month: "2026-03",
        groupId: group.json().group.id,
        group: "Music group",
        sessionsHeld: 1,
        peopleCame: 0,
        medianWaitSeconds: null,
        longestWaitSeconds: null,
        refusalsByRule: {},
        staffRefusals: 0,
        r3Waivers: 0,
        helpAlerts: 0,
        keepApartRefusals: 0,
      },
      {
        month: "2026-03",
        groupId: null,
        group: "One-off sessions",
        sessionsHeld: 2,
        peopleCame: 1,
        medianWaitSeconds: 600,
        longestWaitSeconds: 600,
        refusalsByRule: { "R2.carer-present": 1 },
        staffRefusals: 1,
        r3Waivers: 1,
        helpAlerts: 1,
        keepApartRefusals: 1,
      },
    ]);
    expect(report.totals.map((t: { month: string }) => t.month)).toEqual(["2026-01", "2026-02", "2026-03"]);
    expect(report.totals[0]).toMatchObject({ sessionsHeld: 0, peopleCame: 0, medianWaitSeconds: null });
    expect(report.totals[2]).toMatchObject({
      group: "All groups",
      sessionsHeld: 3,
      peopleCame: 1,
      medianWaitSeconds: 600,
      keepApartRefusals: 1,
    });

    // The same figures as CSV; without a range, the twelve months up to this one.
    const csv = await call(org, "GET", "/api/reports?from=2026-03&to=2026-03&format=csv", org.admin);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.body.split("\r\n")[0]).toBe(
      "month,group,sessionsHeld,peopleCame,medianWaitSeconds,longestWaitSeconds,refusalsByRule,staffRefusals,r3Waivers,helpAlerts,keepApartRefusals",
    );
    expect(csv.body).toContain("2026-03,One-off sessions,2,1,600,600,R2.carer-present: 1,1,1,1,1");
    const year = (await call(org, "GET", "/api/reports", dsl)).json();
    expect([year.from, year.to, year.totals.length]).toEqual(["2025-04", "2026-03", 12]);
  });

  it("bad ranges are a 400; only the DSL and admins may look", async () => {
    for (const q of ["from=2026-13&to=2026-03", "from=2026-04&to=2026-03", "from=2020-01&to=2026-03", "from=March"])
      expect((await call(org, "GET", `/api/reports?${q}`, dsl)).statusCode, q).toBe(400);
    expect((await call(org, "GET", "/api/reports", org.lead)).statusCode).toBe(403);
    expect((await call(org, "GET", "/api/reports")).statusCode).toBe(401);
  });
});
