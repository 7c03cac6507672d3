// R15 keep-apart through the API on a real database: the DSL records two people who must never
// meet; scheduling, groups, starting, joining and admission refuse to put them together; staff
// are told only that the two must be kept apart (never the reason), members that staff will talk
// to them; every refusal is in the audit trail; entries are append-only and can be ended.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { pageStates } from "../../src/domain/live.ts";
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

const words = "These two people must not be in the same session. Ask the safeguarding lead.";
const secret = "Assault in 2024, police involved";

describe.each(providers)("keep-apart (R15) on %s", (provider) => {
  let org: Org;
  let dsl: string;
  const now = clock.now;
  beforeAll(async () => {
    org = await startOrg(provider);
    dsl = await addDsl(org);
  });
  afterEach(() => {
    clock.now = now;
  });
  afterAll(async () => org.t.close());

  const keepApart = async (a: object, b: object, extra: object = {}) => {
    const res = await call(org, "POST", "/api/keep-apart", dsl, { a, b, reason: secret, ...extra });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().keepApart as { id: string; active: boolean };
  };
  const member = (m: { id: string }) => ({ type: "member", id: m.id });
  const audit = async (action: string) => org.t.database.db.auditEvent.findMany({ where: { action } });
  const refusedWithWords = (res: { statusCode: number; body: string; json: () => { error: { code: string; message: string } } }) => {
    expect(res.statusCode, res.body).toBe(409);
    expect(res.body).not.toContain(secret);
    return res.json().error;
  };

  it("only the DSL records and ends entries; the DSL and admins read them with their reasons; bad input is a 400", async () => {
    const [ann, ben] = [await addMember(org, { name: "Ann" }), await addMember(org, { name: "Ben" })];
    expect((await call(org, "POST", "/api/keep-apart", org.lead, { a: member(ann), b: member(ben), reason: "x" })).statusCode).toBe(403);
    expect((await call(org, "POST", "/api/keep-apart", org.admin, { a: member(ann), b: member(ben), reason: "x" })).statusCode).toBe(403);
    const bad = [
      { a: { type: "staff", id: org.leadId }, b: { type: "staff", id: org.secondId }, reason: "x" },
      { a: member(ann), b: member(ann), reason: "x" },
      { a: member(ann), b: { type: "member", id: "nobody" }, reason: "x" },
      { a: member(ann), b: member(ben), reason: "" },
      { a: member(ann), b: member(ben), reason: "x", until: "2020-01-01T00:00:00Z" },
    ];
    for (const body of bad) expect((await call(org, "POST", "/api/keep-apart", dsl, body)).statusCode, JSON.stringify(body)).toBe(400);
    const entry = await keepApart(member(ann), member(ben));
    expect(entry.active).toBe(true);
    for (const who of [dsl, org.admin]) {
      const list = await call(org, "GET", "/api/keep-apart", who);
      expect(list.statusCode).toBe(200);
      expect(list.json().keepApart.find((k: { id: string }) => k.id === entry.id)).toMatchObject({
        reason: secret,
        a: { name: "Ann" },
        b: { name: "Ben" },
      });
    }
    expect((await call(org, "GET", "/api/keep-apart", org.lead)).statusCode).toBe(403);
    // The audit trail says who and when, not why.
    expect(JSON.stringify(await audit("keep-apart.recorded"))).not.toContain(secret);
    const ended = await call(org, "POST", `/api/keep-apart/${entry.id}/end`, dsl, { reason: "Moved away" });
    expect(ended.json().keepApart).toMatchObject({ active: false, end: { reason: "Moved away" } });
    expect((await call(org, "POST", `/api/keep-apart/${entry.id}/end`, dsl, { reason: "Again" })).statusCode).toBe(409);
    // Ended, they can be scheduled together.
    expect((await call(org, "POST", "/api/sessions", org.lead, sessionBody([ann.id, ben.id]))).statusCode).toBe(201);
    await expect(org.t.database.db.$executeRawUnsafe(`UPDATE "KeepApart" SET "reason" = 'x'`)).rejects.toThrow(/append-only/);
    await expect(org.t.database.db.$executeRawUnsafe(`DELETE FROM "KeepApartEnd"`)).rejects.toThrow(/append-only/);
  });

  const sessionBody = (memberIds: string[], over: object = {}) => ({
    title: "Art club",
    startsAt: "2026-03-03T14:00:00Z",
    endsAt: "2026-03-03T15:00:00Z",
    delivery: "home",
    leadStaffId: org.leadId,
    secondStaffId: org.secondId,
    memberIds,
    ...over,
  });

  it("scheduling two people kept apart into one session, or with staff kept apart from one, is refused and recorded", async () => {
    const [cat, dan] = [await addMember(org, { name: "Cat" }), await addMember(org, { name: "Dan" })];
    await keepApart(member(cat), member(dan));
    const before = await org.t.database.db.session.count();
    const error = refusedWithWords(await call(org, "POST", "/api/sessions", org.lead, sessionBody([cat.id, dan.id])));
    expect(error).toMatchObject({ code: "R15.keep-apart", message: words });
    expect(await org.t.database.db.session.count()).toBe(before);
    expect((await audit("session.schedule_refused")).length).toBeGreaterThan(0);

    // Member–staff: the second member of staff is kept apart from Cat.
    await keepApart(member(cat), { type: "staff", id: org.secondId });
    refusedWithWords(await call(org, "POST", "/api/sessions", org.lead, sessionBody([cat.id])));
    expect((await call(org, "POST", "/api/sessions", org.lead, sessionBody([cat.id], { secondStaffId: undefined }))).statusCode).toBe(201);

    // Member–volunteer.
    const vol = (await call(org, "POST", "/api/volunteers", org.lead, { displayName: "Vi" })).json().volunteer;
    await keepApart(member(dan), { type: "volunteer", id: vol.id });
    refusedWithWords(await call(org, "POST", "/api/sessions", org.lead, sessionBody([dan.id], { volunteerIds: [vol.id] })));
  });

  it("a group cannot be made with two people kept apart, nor can one be added to the other's group", async () => {
    const [eve, fin] = [await addMember(org, { name: "Eve" }), await addMember(org, { name: "Fin" })];
    await keepApart(member(eve), member(fin));
    const group = (memberIds: string[]) => ({
      title: "Music",
      delivery: "home",
      leadStaffId: org.leadId,
      memberIds,
      schedule: { weekday: "tue", start: "14:00", end: "15:00", from: "2026-03-10" },
    });
    refusedWithWords(await call(org, "POST", "/api/groups", org.lead, group([eve.id, fin.id])));
    expect((await audit("group.create_refused")).length).toBe(1);
    const made = await call(org, "POST", "/api/groups", org.lead, group([eve.id]));
    expect(made.statusCode, made.body).toBe(201);
    const added = await call(org, "PATCH", `/api/groups/${made.json().group.id}`, org.lead, { memberIds: [eve.id, fin.id] });
    expect(refusedWithWords(added).code).toBe("R15.keep-apart");
    expect((await audit("group.change_refused")).length).toBe(1);
  });

  it("a keep-apart recorded after scheduling: the lead cannot start, the second cannot join", async () => {
    const gus = await addMember(org, { name: "Gus" });
    const s = await schedule(org, [gus.id]);
    await keepApart(member(gus), { type: "staff", id: org.leadId });
    const start = await call(org, "POST", `/api/sessions/${s.id}/start`, org.lead, {});
    expect(start.statusCode).toBe(409);
    expect(start.body).not.toContain(secret);
    expect(start.json().error.checks.find((c: { rule: string }) => c.rule === "R15.keep-apart")).toMatchObject({
      outcome: "fail",
      reason: words,
    });

    const hal = await addMember(org, { name: "Hal" });
    const s2 = await schedule(org, [hal.id]);
    await startSession(org, s2.id, {});
    await keepApart(member(hal), { type: "staff", id: org.secondId });
    const join = await call(org, "POST", `/api/sessions/${s2.id}/join`, org.second);
    expect(refusedWithWords(join)).toMatchObject({ code: "R15.keep-apart", message: words });
    expect((await audit("session.join_refused")).some((e) => e.sessionId === s2.id)).toBe(true);
  });

  it("admission: nobody is let in while someone they must be kept apart from is admitted, nor both at once; members are told only that staff will talk to them", async () => {
    const [ivy, jon, kim] = [
      await addMember(org, { name: "Ivy" }),
      await addMember(org, { name: "Jon" }),
      await addMember(org, { name: "Kim" }),
    ];
    const s = await schedule(org, [ivy.id, jon.id, kim.id]);
    const by = (name: string) => s.attendees.find((a) => a.displayName === name)!;
    for (const a of s.attendees) {
      await confirmCarer(org, a.carer!);
      await enterWaiting(org, a.invite);
    }
    await startSession(org, s.id, {});
    const entry = await keepApart(member(ivy), member(jon));
    await keepApart(member(ivy), member(kim));

    // Jon and Kim, both apart from Ivy, may be together; once they are in, Ivy stays out.
    for (const name of ["Jon", "Kim"]) {
      const res = await call(org, "POST", `/api/sessions/${s.id}/attendees/${by(name).id}/admit`, org.lead);
      expect(res.statusCode, res.body).toBe(200);
    }
    const ivyAdmit = await call(org, "POST", `/api/sessions/${s.id}/attendees/${by("Ivy").id}/admit`, org.lead);
    expect(ivyAdmit.statusCode).toBe(409);
    expect(ivyAdmit.body).not.toContain(secret);
    expect(ivyAdmit.json().error.checks.find((c: { rule: string; outcome: string }) => c.outcome === "fail")).toMatchObject({
      rule: "R15.keep-apart",
      reason: words,
    });
    const [page] = (await pageStates(org.app.ctx, [by("Ivy").invite])).values();
    expect(page!.reasons).toContain("Staff will talk to you.");
    expect(JSON.stringify(page)).not.toMatch(/Jon|Kim|apart/);
    expect((await org.t.database.db.admissionDecision.findMany({ where: { attendeeId: by("Ivy").id, action: "denied" } })).length).toBe(1);

    // Once Jon and Kim are back in the waiting room and the entry with Jon ends, Ivy may come in.
    for (const name of ["Jon", "Kim"])
      await call(org, "POST", `/api/sessions/${s.id}/attendees/${by(name).id}/return-to-waiting`, org.lead);
    await call(org, "POST", `/api/keep-apart/${entry.id}/end`, dsl, { reason: "Resolved" });
    expect((await call(org, "POST", `/api/sessions/${s.id}/attendees/${by("Ivy").id}/admit`, org.lead)).statusCode).toBe(200);
    // Kim is still kept apart from Ivy, who is now in: Kim waits.
    expect((await call(org, "POST", `/api/sessions/${s.id}/attendees/${by("Kim").id}/admit`, org.lead)).statusCode).toBe(409);
  });

  it("two people kept apart waiting together are not both let in by one admit-all", async () => {
    const [lea, max] = [await addMember(org, { name: "Lea" }), await addMember(org, { name: "Max" })];
    const s = await schedule(org, [lea.id, max.id]);
    for (const a of s.attendees) {
      await confirmCarer(org, a.carer!);
      await enterWaiting(org, a.invite);
    }
    await startSession(org, s.id, {});
    await keepApart(member(lea), member(max));
    await call(org, "POST", `/api/sessions/${s.id}/admit-all`, org.lead);
    const states = (await org.t.database.db.attendee.findMany({ where: { sessionId: s.id } })).map((a) => a.state);
    expect(states.filter((x) => x === "admitted")).toHaveLength(0);
  });

  it("an entry ends by itself on its end date", async () => {
    const [ned, ola] = [await addMember(org, { name: "Ned" }), await addMember(org, { name: "Ola" })];
    await keepApart(member(ned), member(ola), { until: "2026-03-03T14:30:00Z" });
    const later = { startsAt: "2026-03-03T16:00:00Z", endsAt: "2026-03-03T17:00:00Z" };
    refusedWithWords(await call(org, "POST", "/api/sessions", org.lead, sessionBody([ned.id, ola.id], later)));
    clock.now = new Date("2026-03-03T14:31:00Z");
    expect((await call(org, "POST", "/api/sessions", org.lead, sessionBody([ned.id, ola.id], later))).statusCode).toBe(201);
    expect(
      (await call(org, "GET", "/api/keep-apart", dsl)).json().keepApart.find((k: { a: { name: string } }) => k.a.name === "Ned").active,
    ).toBe(false);
  });

  it("a volunteer kept apart is not admitted while the member is in the room", async () => {
    const pat = await addMember(org, { name: "Pat" });
    const vol = (await call(org, "POST", "/api/volunteers", org.lead, { displayName: "Quin" })).json().volunteer;
    const s = await schedule(org, [pat.id], { volunteerIds: [vol.id] });
    const [p, q] = [s.attendees.find((a) => a.displayName === "Pat")!, s.attendees.find((a) => a.displayName === "Quin")!];
    await confirmCarer(org, p.carer!);
    await enterWaiting(org, p.invite);
    await enterWaiting(org, q.invite);
    await startSession(org, s.id, {});
    expect((await call(org, "POST", `/api/sessions/${s.id}/attendees/${p.id}/admit`, org.lead)).statusCode).toBe(200);
    await joinRoom(org, (await call(org, "POST", `/api/join/${p.invite}/connection`)).json().participant_token);
    await keepApart(member(pat), { type: "volunteer", id: vol.id });
    expect((await call(org, "POST", `/api/sessions/${s.id}/attendees/${q.id}/admit`, org.lead)).statusCode).toBe(409);
  });
});
