// Subject access (#19.4, first part), on both providers: everything held about a member, or a
// carer, as JSON for the DSL or an admin: their record, consents, sessions with every decision,
// attendance, calls for help, messages, safeguarding records and their audit trail; nobody
// else's name or any link token in it; each export recorded; only the DSL and admins.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providers } from "../helpers/db.ts";
import {
  addDsl,
  addMember,
  call,
  confirmCarer,
  enterWaiting,
  joinRoom,
  type Org,
  schedule,
  startOrg,
  startSession,
} from "../helpers/scenario.ts";

describe.each(providers)("subject access on %s", (provider) => {
  let org: Org;
  let dsl: string;
  beforeAll(async () => {
    org = await startOrg(provider);
    dsl = await addDsl(org);
  });
  afterAll(async () => org.t.close());

  it("gives everything about one member, and about their carer, with nobody else's details and no link", async () => {
    const alex = await addMember(org, { name: "Alex Aardvark" });
    const bo = await addMember(org, { name: "Bo Zebrafinch" });
    const s = await schedule(org, [alex.id, bo.id]);
    const [a, b] = [
      s.attendees.find((x) => x.displayName === "Alex Aardvark")!,
      s.attendees.find((x) => x.displayName === "Bo Zebrafinch")!,
    ];
    await confirmCarer(org, a.carer!);
    await confirmCarer(org, b.carer!);
    await enterWaiting(org, a.invite);
    await enterWaiting(org, b.invite);
    await startSession(org, s.id);
    expect((await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/admit`, org.lead)).statusCode).toBe(200);
    await joinRoom(org, (await call(org, "POST", `/api/join/${a.invite}/connection`)).json().participant_token);
    expect((await call(org, "POST", `/api/join/${a.invite}/help`)).statusCode).toBe(202);
    expect((await call(org, "POST", "/api/concerns", org.lead, { text: "Alex seemed tired.", memberId: alex.id })).statusCode).toBe(201);

    const res = await call(org, "GET", `/api/members/${alex.id}/export`, dsl);
    expect(res.statusCode, res.body).toBe(200);
    const data = res.json();
    expect(data.subject).toEqual({ type: "member", id: alex.id });
    expect(data.member).toMatchObject({ id: alex.id, displayName: "Alex Aardvark", carers: [{ id: alex.carers[0]!.id }] });
    expect(data.member.consents.map((c: { type: string }) => c.type)).toEqual(["video"]);
    const [session] = data.sessions;
    expect(session).toMatchObject({ id: a.id, session: { id: s.id, title: "Art club" }, state: "admitted" });
    expect(session.decisions.map((d: { action: string }) => d.action)).toEqual(["admit"]);
    expect(session.confirmations).toHaveLength(1);
    expect(session.attendance.map((x: { event: string }) => x.event)).toEqual(["joined"]);
    expect(session.helpRequests).toHaveLength(1);
    expect(data.messages.length).toBeGreaterThan(0);
    expect(data.safeguarding.concerns.map((c: { text: string }) => c.text)).toEqual(["Alex seemed tired."]);
    expect(data.auditTrail.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(["member.created", "waiting.entered", "attendee.admit", "help.asked"]),
    );
    const text = JSON.stringify(data);
    for (const other of ["Zebrafinch", bo.id, b.id, a.invite, a.carer!, b.invite, "sealed", "tokenHash", "passwordHash"])
      expect(text.includes(other), other).toBe(false);

    const carer = await call(org, "GET", `/api/carers/${alex.carers[0]!.id}/export`, org.admin);
    expect(carer.statusCode, carer.body).toBe(200);
    const c = carer.json();
    expect(c).toMatchObject({ subject: { type: "carer", id: alex.carers[0]!.id }, caresFor: { memberId: alex.id } });
    expect(c.consentsGiven).toHaveLength(1);
    expect(c.confirmations).toHaveLength(1);
    expect(c.messages.every((m: { recipientType: string }) => m.recipientType === "carer")).toBe(true);
    expect(c.messages.length).toBeGreaterThan(0);
    expect(c.auditTrail.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(["carer.confirmed"]));
    for (const other of ["Zebrafinch", bo.id, a.invite, a.carer!]) expect(JSON.stringify(c).includes(other), other).toBe(false);

    // Each export is kept; only the DSL and admins may make one; an unknown person is a 404.
    const kept = await org.t.database.db.auditEvent.findMany({ where: { action: "subject_access.exported" } });
    expect(kept.map((e) => e.subjectId)).toEqual([alex.id, alex.carers[0]!.id]);
    expect((await call(org, "GET", `/api/members/${alex.id}/export`, org.lead)).statusCode).toBe(403);
    expect((await call(org, "GET", "/api/members/nobody/export", dsl)).statusCode).toBe(404);
    expect((await call(org, "GET", "/api/carers/nobody/export", dsl)).statusCode).toBe(404);
  });
});
