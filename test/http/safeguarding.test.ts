// R8: the audit trail records every decision and communication, forms a hash chain that
// detects any edit or deletion, and the database itself refuses to change append-only rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/adapters/db/client.ts";
import { verifyChain } from "../../src/domain/audit.ts";
import { storeOf } from "../../src/domain/unit-of-work.ts";
import { ruleIds } from "../../src/policy/types.ts";
import { providers, scratchDatabase } from "../helpers/db.ts";
import {
  addDsl,
  addMember,
  call,
  confirmCarer,
  enterWaiting,
  type Org,
  readyToAdmit,
  schedule,
  signIn,
  startOrg,
  startSession,
} from "../helpers/scenario.ts";

const appendOnlyTables = [
  "AuditEvent",
  "Consent",
  "ConsentWithdrawal",
  "CarerConfirmation",
  "GuidelinesAgreement",
  "GuidelinesVersion",
  "AdmissionDecision",
  "Waiver",
  "StaffMessage",
  "Attendance",
  "Concern",
  "ConcernNote",
  "RecordingAgreement",
];

describe.each(providers)("audit trail and concerns on %s", (provider) => {
  let org: Org;
  let dsl: string;
  beforeAll(async () => {
    org = await startOrg(provider);
    dsl = await addDsl(org);
  });
  afterAll(async () => org.t.close());

  const actions = async (sessionId: string) =>
    (await org.t.database.db.auditEvent.findMany({ where: { sessionId }, orderBy: { seq: "asc" } })).map((e) => e.action);

  it("every step of a session leaves exactly the expected events, in order", async () => {
    const member = await addMember(org, { name: "Fay" });
    const s = await schedule(org, [member.id], { secondStaffId: undefined });
    const a = s.attendees[0]!;
    await confirmCarer(org, a.carer!);
    await enterWaiting(org, a.invite);
    await startSession(org, s.id, { secondStaffWaiverReason: "Second worker is on leave" });
    await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/admit`, org.lead);
    await call(org, "POST", `/api/join/${a.invite}/connection`);
    await call(org, "POST", `/api/sessions/${s.id}/message`, org.lead, { text: "Hello", attendeeId: a.id });
    await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/return-to-waiting`, org.lead);
    await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/remove`, org.lead, { reason: "Upset, carer collecting" });
    await call(org, "POST", "/api/concerns", org.lead, { text: "Fay seemed upset today", sessionId: s.id, memberId: member.id });
    await call(org, "POST", `/api/sessions/${s.id}/end`, org.lead);
    // Ending deletes the room after the commit; the lead's leaving and the room's end arrive by webhook after that.
    await org.livekit.flushWebhooks();
    expect(await actions(s.id)).toEqual([
      "session.scheduled",
      "links.issued",
      "message.queued",
      "carer.terms_agreed",
      "carer.confirmed",
      "guidelines.agreed",
      "waiting.entered",
      "waiver.recorded",
      "session.started",
      "attendance.joined",
      "attendee.admit",
      "token.issued",
      "message.sent",
      "attendee.return",
      "attendee.remove",
      "concern.raised",
      "session.ended",
      "attendance.left",
      "attendance.room_finished",
    ]);
    const admit = await org.t.database.db.auditEvent.findFirstOrThrow({ where: { sessionId: s.id, action: "attendee.admit" } });
    expect(JSON.parse(admit.data).checks).toHaveLength(ruleIds.length);
  });

  it("records sign-ins, staff and settings changes, members and consent, and refused admissions", async () => {
    const before = (await org.t.database.db.auditEvent.findFirst({ orderBy: { seq: "desc" } }))?.seq ?? 0;
    await call(org, "POST", "/api/auth/login", undefined, { email: "lead@example.org", password: "wrong password" });
    await signIn(org.app, "lead@example.org");
    await call(org, "POST", "/api/staff", org.admin, {
      email: "new@example.org",
      name: "New Person",
      password: "a long enough password",
      roles: ["staff"],
    });
    const member = await addMember(org, { name: "Gus", consent: false });
    const consent = await call(org, "POST", `/api/members/${member.id}/consents`, org.lead, {
      type: "video",
      givenBy: "carer",
      carerId: member.carers[0]!.id,
      method: "verbal",
    });
    await call(org, "POST", `/api/members/${member.id}/consents/${consent.json().consent.id}/withdraw`, org.lead, {
      reason: "Changed their mind",
    });
    const { s, a } = await readyToAdmit(org, { name: "Hal", consent: false });
    await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/admit`, org.lead);
    const after = await org.t.database.db.auditEvent.findMany({ where: { seq: { gt: before } }, orderBy: { seq: "asc" } });
    const names = after.map((e) => e.action);
    for (const expected of [
      "auth.login_failed",
      "auth.login",
      "staff.created",
      "member.created",
      "consent.recorded",
      "consent.withdrawn",
      "attendee.denied",
    ]) {
      expect(names).toContain(expected);
    }
    const failed = after.find((e) => e.action === "auth.login_failed")!;
    expect(failed.data).not.toContain("wrong password");
  });

  it("verify walks the whole chain and finds it intact", async () => {
    const res = await call(org, "GET", "/api/audit/verify", dsl);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, count: expect.any(Number) });
    expect(res.json().count).toBeGreaterThan(20);
  });

  it("the database refuses UPDATE and DELETE on every append-only table", async () => {
    // Row triggers fire only on rows: make sure every table has some.
    const concern = (await call(org, "POST", "/api/concerns", org.lead, { text: "For the trigger test" })).json().concern;
    await call(org, "POST", `/api/concerns/${concern.id}/notes`, dsl, { note: "Seen" });
    await call(org, "PUT", "/api/guidelines/carer", org.admin, { lines: ["Keep everyone in the group private."] });
    const scheduled = await schedule(org, [(await addMember(org, { name: "Rae" })).id]);
    await call(org, "POST", `/api/sessions/${scheduled.id}/recording-consent`, org.lead, { agreed: true });
    for (const table of appendOnlyTables) {
      expect(
        Number((await org.t.database.db.$queryRawUnsafe<{ n: unknown }[]>(`SELECT COUNT(*) AS n FROM "${table}"`))[0]?.n),
        table,
      ).toBeGreaterThan(0);
      const key = table === "AuditEvent" ? "seq" : "id";
      await expect(org.t.database.db.$executeRawUnsafe(`UPDATE "${table}" SET "${key}" = "${key}"`), table).rejects.toThrow(/append-only/);
      await expect(org.t.database.db.$executeRawUnsafe(`DELETE FROM "${table}"`), table).rejects.toThrow(/append-only/);
    }
  });

  it("only the DSL and admins read the trail; staff see only the concerns they raised; only the DSL follows up", async () => {
    expect((await call(org, "GET", "/api/audit", org.lead)).statusCode).toBe(403);
    expect((await call(org, "GET", "/api/audit/verify", org.lead)).statusCode).toBe(403);
    expect((await call(org, "GET", "/api/audit", org.admin)).statusCode).toBe(200);
    const mine = await call(org, "POST", "/api/concerns", org.second, { text: "A concern from the second worker" });
    expect(mine.statusCode).toBe(201);
    const concernId = mine.json().concern.id;
    const leadView = (await call(org, "GET", "/api/concerns", org.lead)).json().concerns;
    expect(leadView.some((c: { id: string }) => c.id === concernId)).toBe(false);
    expect((await call(org, "GET", `/api/concerns/${concernId}`, org.lead)).statusCode).toBe(404);
    expect((await call(org, "GET", "/api/concerns", dsl)).json().concerns.some((c: { id: string }) => c.id === concernId)).toBe(true);
    expect((await call(org, "POST", `/api/concerns/${concernId}/notes`, org.second, { note: "me too" })).statusCode).toBe(403);
    const noted = await call(org, "POST", `/api/concerns/${concernId}/notes`, dsl, { note: "Spoke to the carer", status: "in-progress" });
    expect(noted.statusCode).toBe(201);
    expect(noted.json().concern).toMatchObject({ status: "in-progress", notes: [expect.objectContaining({ note: "Spoke to the carer" })] });
    const own = (await call(org, "GET", `/api/concerns/${concernId}`, org.second)).json().concern;
    expect(own.status).toBe("in-progress");
  });

  it("filters the trail by session, person, staff and time, and exports CSV and JSON", async () => {
    const { s, a } = await readyToAdmit(org, { name: "Ivy" });
    const bySession = (await call(org, "GET", `/api/audit?sessionId=${s.id}`, dsl)).json().events;
    expect(bySession.length).toBeGreaterThan(3);
    expect(bySession.every((e: { sessionId: string }) => e.sessionId === s.id)).toBe(true);
    const byPerson = (await call(org, "GET", `/api/audit?subjectId=${a.id}`, dsl)).json().events;
    expect(byPerson.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(["carer.confirmed", "waiting.entered"]));
    const byStaff = (await call(org, "GET", `/api/audit?actorId=${org.leadId}&sessionId=${s.id}`, dsl)).json().events;
    expect(byStaff.every((e: { actorId: string }) => e.actorId === org.leadId)).toBe(true);
    const future = (await call(org, "GET", `/api/audit?from=${encodeURIComponent("2099-01-01T00:00:00Z")}`, dsl)).json().events;
    expect(future).toEqual([]);
    const csv = await call(org, "GET", `/api/audit?sessionId=${s.id}&format=csv`, dsl);
    expect(csv.headers["content-type"]).toMatch(/text\/csv/);
    const lines = csv.body.trim().split("\r\n");
    expect(lines[0]).toBe("seq,at,actorType,actorId,action,sessionId,subjectId,data,prevHash,hash");
    expect(lines).toHaveLength(bySession.length + 1);
    expect((await call(org, "GET", "/api/waivers?format=csv", dsl)).body.split("\r\n")[0]).toBe(
      "id,createdAt,sessionId,sessionTitle,rule,reason,staffId",
    );
    const concernsCsv = await call(org, "GET", "/api/concerns?format=csv", dsl);
    expect(concernsCsv.statusCode).toBe(200);
  });

  it("keeps one unbroken chain under 100 concurrent appends", async () => {
    const store = storeOf(org.t.database);
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        store.transaction(({ audit }) => audit.append({ actorType: "system", action: "test.concurrent", data: { i } })),
      ),
    );
    const verified = await verifyChain(store.database.db);
    expect(verified.ok).toBe(true);
  });
});

describe.each(providers)("tampering on %s", (provider) => {
  /** A fresh trail of ten events, with the append-only triggers lifted as a tamperer with database access would. */
  async function trail() {
    const scratch = await scratchDatabase(provider);
    const database = await openDatabase(scratch.url);
    for (let i = 0; i < 10; i++)
      await storeOf(database).transaction(({ audit }) => audit.append({ actorType: "system", action: "test.event", data: { i } }));
    if (provider === "postgresql") await database.db.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
    else for (const t of ["AuditEvent_no_update", "AuditEvent_no_delete"]) await database.db.$executeRawUnsafe(`DROP TRIGGER "${t}"`);
    return {
      database,
      async close() {
        await database.close();
        await scratch.drop();
      },
    };
  }

  it.each([
    ["editing an event's details", `UPDATE "AuditEvent" SET "data" = '{"i":99}' WHERE "seq" = 4`, 4],
    ["editing an event's time", `UPDATE "AuditEvent" SET "actorId" = 'someone-else' WHERE "seq" = 7`, 7],
    ["deleting an event in the middle", `DELETE FROM "AuditEvent" WHERE "seq" = 5`, 5],
    ["deleting the first event", `DELETE FROM "AuditEvent" WHERE "seq" = 1`, 1],
    ["deleting the newest event", `DELETE FROM "AuditEvent" WHERE "seq" = 10`, 10],
  ])("verify detects %s and names the first broken link", async (_label, sql, brokenAt) => {
    const t = await trail();
    try {
      expect((await verifyChain(t.database.db)).ok).toBe(true);
      await t.database.db.$executeRawUnsafe(sql);
      const result = await verifyChain(t.database.db);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.firstBroken.seq).toBe(brokenAt);
    } finally {
      await t.close();
    }
  });
});

describe.skipIf(!providers.includes("postgresql"))("two instances appending to one PostgreSQL", () => {
  it("interleave into one unbroken chain", async () => {
    const scratch = await scratchDatabase("postgresql");
    const [one, two] = [await openDatabase(scratch.url), await openDatabase(scratch.url)];
    try {
      const append = (d: typeof one, i: number) =>
        storeOf(d).transaction(({ audit }) => audit.append({ actorType: "system", action: "test.two", data: { i } }));
      await Promise.all(Array.from({ length: 50 }, (_, i) => [append(one, i), append(two, i)]).flat());
      const result = await verifyChain(one.db);
      expect(result).toMatchObject({ ok: true, count: 100 });
    } finally {
      await one.close();
      await two.close();
      await scratch.drop();
    }
  });
});
