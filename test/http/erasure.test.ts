// Erasure (#19.4), on both providers: an admin asks, the DSL approves, and the member's and their
// carer's details are nowhere in the database (every table read from the database's own catalogue,
// the audit trail included) while every decision, consent and audit event stays and the chain
// verifies. Blocked while the member is expected somewhere; declined changes nothing; the
// append-only triggers still refuse every other change; the retention schedule erases by itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyChain } from "../../src/domain/audit.ts";
import { eraseByRetention } from "../../src/domain/erasure.ts";
import { providers } from "../helpers/db.ts";
import { countEveryTable, findEverywhere } from "../helpers/every-table.ts";
import {
  addDsl,
  call,
  clock,
  confirmCarer,
  endsAt,
  enterWaiting,
  joinRoom,
  type Org,
  schedule,
  startOrg,
  startSession,
} from "../helpers/scenario.ts";

const quilla = { name: "Quilla Zedmore", carer: "Pat Yarrowby", email: "pat.yarrowby@example.org", phone: "07700 900777" };
const theirs = [quilla.name, quilla.carer, quilla.email, quilla.phone];

describe.each(providers)("erasure on %s", (provider) => {
  let org: Org;
  let dsl: string;
  beforeAll(async () => {
    org = await startOrg(provider);
    dsl = await addDsl(org);
  });
  afterAll(async () => org.t.close());

  async function addPerson(name: string, carer: { name: string; email: string; phone: string }, note: string) {
    const res = await call(org, "POST", "/api/members", org.lead, { displayName: name, livesWithCarer: true, carers: [carer] });
    expect(res.statusCode, res.body).toBe(201);
    const member = res.json().member as { id: string; carers: { id: string }[] };
    const consent = await call(org, "POST", `/api/members/${member.id}/consents`, org.lead, {
      type: "video",
      givenBy: "carer",
      carerId: member.carers[0]!.id,
      method: "verbal",
      note,
    });
    expect(consent.statusCode, consent.body).toBe(201);
    return { ...member, consentId: consent.json().consent.id as string };
  }

  it("replaces a member's and their carer's details everywhere, keeps every record, and the chain verifies", async () => {
    const q = await addPerson(
      quilla.name,
      { name: quilla.carer, email: quilla.email, phone: quilla.phone },
      `${quilla.carer} said yes by phone.`,
    );
    const bo = await addPerson(
      "Bo Otherling",
      { name: "Sam Keeping", email: "sam.keeping@example.org", phone: "07700 900888" },
      "Sam said yes.",
    );
    // A recording consent given and withdrawn, with words that name them.
    const rec = await call(org, "POST", `/api/members/${q.id}/consents`, org.lead, {
      type: "recording",
      givenBy: "carer",
      carerId: q.carers[0]!.id,
      method: "written",
    });
    const withdrawn = await call(org, "POST", `/api/members/${q.id}/consents/${rec.json().consent.id}/withdraw`, org.lead, {
      reason: `${quilla.carer} changed their mind about ${quilla.name} being recorded.`,
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(201);

    // A session that happens: waiting, admitted, in the room, a message, a concern, a keep-apart.
    const s = await schedule(org, [q.id, bo.id]);
    const [a, b] = [s.attendees.find((x) => x.displayName === quilla.name)!, s.attendees.find((x) => x.displayName === "Bo Otherling")!];
    await confirmCarer(org, a.carer!);
    await confirmCarer(org, b.carer!);
    await enterWaiting(org, a.invite);
    await enterWaiting(org, b.invite);
    await startSession(org, s.id);
    expect(
      (
        await call(org, "POST", `/api/sessions/${s.id}/message`, org.lead, {
          text: `${quilla.name}, we will start soon.`,
          attendeeId: a.id,
        })
      ).statusCode,
    ).toBe(201);
    expect((await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/admit`, org.lead)).statusCode).toBe(200);
    await joinRoom(org, (await call(org, "POST", `/api/join/${a.invite}/connection`)).json().participant_token);
    const concern = await call(org, "POST", "/api/concerns", org.lead, {
      text: `${quilla.name} seemed tired. Bo Otherling helped.`,
      memberId: q.id,
    });
    expect(concern.statusCode, concern.body).toBe(201);
    const note = await call(org, "POST", `/api/concerns/${concern.json().concern.id}/notes`, dsl, {
      note: `Rang ${quilla.carer} on ${quilla.phone}.`,
    });
    expect(note.statusCode, note.body).toBe(201);
    const apart = await call(org, "POST", "/api/keep-apart", dsl, {
      a: { type: "member", id: q.id },
      b: { type: "member", id: bo.id },
      reason: `${quilla.name} and Bo Otherling argued.`,
    });
    expect(apart.statusCode, apart.body).toBe(201);

    // A second session, cancelled with a reason that names them (it goes to their carer).
    const later = await schedule(org, [q.id], { title: `${quilla.name}'s review`, startsAt: endsAt, endsAt: "2026-03-03T16:00:00Z" });
    const cancel = await call(org, "POST", `/api/sessions/${later.id}/cancel`, org.lead, { reason: `${quilla.name} is unwell today.` });
    expect(cancel.statusCode, cancel.body).toBe(200);

    // Not while they are expected somewhere; nothing changes.
    const early = await call(org, "POST", "/api/erasures", org.admin, {
      subjectType: "member",
      subjectId: q.id,
      reason: "They asked us to.",
    });
    expect(early.statusCode, early.body).toBe(409);
    expect(early.json().error.code).toBe("erasure_blocked");
    expect(await org.t.database.db.erasure.count()).toBe(0);
    expect((await call(org, "POST", `/api/sessions/${s.id}/end`, org.lead)).statusCode).toBe(200);

    // An admin asks; only the DSL answers, and not the one who asked.
    expect((await call(org, "POST", "/api/erasures", dsl, { subjectType: "member", subjectId: q.id, reason: "x" })).statusCode).toBe(403);
    expect(
      (await call(org, "POST", "/api/erasures", org.admin, { subjectType: "member", subjectId: "nobody", reason: "x" })).statusCode,
    ).toBe(404);
    expect((await call(org, "POST", "/api/erasures", org.admin, { subjectType: "someone", subjectId: q.id, reason: "x" })).statusCode).toBe(
      400,
    );
    const asked = await call(org, "POST", "/api/erasures", org.admin, {
      subjectType: "member",
      subjectId: q.id,
      reason: `${quilla.carer} asked on the phone for ${quilla.name}'s details to be erased.`,
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const id = asked.json().erasure.id;
    expect(asked.json().erasure).toMatchObject({
      subject: { type: "member", id: q.id, name: quilla.name },
      status: "waiting",
      erasedAt: null,
    });
    const twice = await call(org, "POST", "/api/erasures", org.admin, { subjectType: "member", subjectId: q.id, reason: "again" });
    expect(twice.json().error.code).toBe("erasure_pending");
    expect((await call(org, "POST", `/api/erasures/${id}/approve`, org.admin)).statusCode).toBe(403);
    expect((await call(org, "POST", `/api/erasures/${id}/approve`, org.lead)).statusCode).toBe(403);
    expect(await findEverywhere(org.t.database, theirs)).not.toHaveLength(0);

    const before = await countEveryTable(org.t.database);
    const approved = await call(org, "POST", `/api/erasures/${id}/approve`, dsl);
    expect(approved.statusCode, approved.body).toBe(200);
    const done = approved.json().erasure;
    expect(done).toMatchObject({
      subject: { name: "erased" },
      status: "approved",
      summary: expect.objectContaining({ "Member.displayName": 1, "Carer.name": 1 }),
    });
    expect(done.erasedAt).not.toBeNull();

    // Nowhere in the database, in any case; everyone else's details are untouched.
    expect(await findEverywhere(org.t.database, theirs)).toEqual([]);
    expect(await findEverywhere(org.t.database, ["Bo Otherling", "Sam Keeping", "sam.keeping@example.org"])).not.toEqual([]);
    // Every row is still there. The new ones: the trail's two (approved, completed), and a
    // "skipped" attempt for each message to them that had not gone (none is sent to "erased").
    const after = await countEveryTable(org.t.database);
    expect({ ...after, AuditEvent: 0, OutboxAttempt: 0 }).toEqual({ ...before, AuditEvent: 0, OutboxAttempt: 0 });
    expect(after.AuditEvent).toBe(before.AuditEvent! + 2);
    const skipped = await org.t.database.db.outboxAttempt.findMany({ include: { message: true } });
    expect(skipped.length).toBe(after.OutboxAttempt! - before.OutboxAttempt!);
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.every((x) => x.outcome === "skipped" && x.message.recipientId === q.carers[0]!.id)).toBe(true);
    const chain = await verifyChain(org.t.database.db);
    expect(chain).toMatchObject({ ok: true, count: after.AuditEvent });
    expect((await call(org, "GET", "/api/audit/verify", dsl)).json()).toMatchObject({ ok: true });

    // The records keep their facts: consents, the withdrawal, the decisions, the concern.
    const member = await org.t.database.db.member.findUniqueOrThrow({
      where: { id: q.id },
      include: { consents: { include: { withdrawal: true } }, carers: true },
    });
    expect(member).toMatchObject({ displayName: "erased", email: null, carers: [{ name: "erased", email: null, phone: null }] });
    expect(member.consents.map((c) => [c.type, c.givenBy, c.note, c.withdrawal?.reason ?? null])).toEqual([
      ["video", "carer", "erased", null],
      ["recording", "carer", null, "erased changed their mind about erased being recorded."],
    ]);
    const decisions = await org.t.database.db.admissionDecision.findMany({ where: { attendeeId: a.id } });
    expect(decisions.map((d) => d.action)).toEqual(["admit"]);
    expect((await org.t.database.db.concern.findFirstOrThrow({ where: { memberId: q.id } })).text).toBe(
      "erased seemed tired. Bo Otherling helped.",
    );

    // Answered once; the append-only triggers still refuse any other change, here and after.
    expect((await call(org, "POST", `/api/erasures/${id}/approve`, dsl)).json().error.code).toBe("already_decided");
    await expect(org.t.database.db.consent.update({ where: { id: q.consentId }, data: { note: "edited" } })).rejects.toThrow(/append-only/);
    // Even with the erasure marker present, deleting stays impossible.
    const db = org.t.database.db;
    await db.erasureInProgress.create({ data: { id: "x" } });
    await expect(db.$executeRaw`DELETE FROM "Consent" WHERE "id" = ${q.consentId}`).rejects.toThrow(/append-only/);
    await org.t.database.db.erasureInProgress.deleteMany();

    // Declined: nothing erased; the list is the log of both.
    const bosRequest = await call(org, "POST", "/api/erasures", org.admin, {
      subjectType: "carer",
      subjectId: bo.carers[0]!.id,
      reason: "Sam asked.",
    });
    expect(bosRequest.statusCode, bosRequest.body).toBe(201);
    const declined = await call(org, "POST", `/api/erasures/${bosRequest.json().erasure.id}/decline`, dsl);
    expect(declined.json().erasure).toMatchObject({ status: "declined", erasedAt: null, subject: { name: "Sam Keeping" } });
    const list = await call(org, "GET", "/api/erasures", org.admin);
    expect(list.json().erasures.map((e: { status: string }) => e.status)).toEqual(["declined", "approved"]);
    expect((await call(org, "GET", "/api/erasures", org.lead)).statusCode).toBe(403);
  });

  it("the retention schedule erases members with no session for the set number of years, and logs it", async () => {
    const old = await addPerson(
      "Élodie Longago",
      { name: "Rhys Longago", email: "rhys.longago@example.org", phone: "07700 900999" },
      "Rhys said yes.",
    );
    const recent = await addPerson(
      "Nia Recently",
      { name: "Dai Recently", email: "dai.recently@example.org", phone: "07700 900555" },
      "Dai said yes.",
    );
    const s = await schedule(org, [old.id]);
    expect((await call(org, "POST", `/api/sessions/${s.id}/cancel`, org.lead, { reason: "Élodie Longago is away." })).statusCode).toBe(200);
    // Written in small letters: found in any case, accented letters too (SQLite folds only A-Z).
    const upset = await call(org, "POST", "/api/concerns", org.lead, { text: "élodie longago was upset.", memberId: old.id });
    expect(upset.statusCode, upset.body).toBe(201);
    expect(await eraseByRetention(org.app.ctx)).toEqual([]); // no retention set: never

    const settings = (await call(org, "GET", "/api/settings", org.admin)).json().settings;
    const set = await call(org, "PUT", "/api/settings", org.admin, { ...settings, retentionYears: 2 });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().settings.retentionYears).toBe(2);
    expect((await call(org, "PUT", "/api/settings", org.admin, { ...settings, retentionYears: 0 })).statusCode).toBe(400);

    // Nia has a session three years on (scheduled now, while staff are signed in); Élodie none since.
    const saved = clock.now;
    const threeYears = 3 * 366 * 24 * 3600_000;
    const at = (ms: number) => new Date(saved.getTime() + threeYears + ms).toISOString();
    await schedule(org, [recent.id], { startsAt: at(3600_000), endsAt: at(7200_000) });
    try {
      clock.now = new Date(saved.getTime() + threeYears);
      const erased = await eraseByRetention(org.app.ctx);
      const ids = erased.map((e) => e.subject.id);
      expect(ids).toContain(old.id);
      expect(ids).not.toContain(recent.id);
      expect(erased.find((e) => e.subject.id === old.id)).toMatchObject({
        origin: "retention",
        status: "approved",
        subject: { name: "erased" },
      });
      expect(await findEverywhere(org.t.database, ["Élodie Longago", "Rhys Longago", "rhys.longago@example.org"])).toEqual([]);
      expect(await findEverywhere(org.t.database, ["Nia Recently"])).not.toEqual([]);
      expect(await eraseByRetention(org.app.ctx)).toEqual([]); // once
      expect((await verifyChain(org.t.database.db)).ok).toBe(true);
    } finally {
      clock.now = saved;
    }
  });

  it("two answers at once approve once, and two retention runs at once erase each person once", async () => {
    const one = await addPerson(
      "Kit Twiceover",
      { name: "Kit", email: "kit.twiceover@example.org", phone: "07700 900111" },
      "Kit said yes.",
    );
    // Their carer is named as part of their name: the longer goes first, leaving no surname behind.
    const rang = await call(org, "POST", "/api/concerns", org.lead, { text: "Kit Twiceover rang about Kit.", memberId: one.id });
    expect(rang.statusCode, rang.body).toBe(201);
    const asked = await call(org, "POST", "/api/erasures", org.admin, { subjectType: "member", subjectId: one.id, reason: "Asked." });
    const answers = await Promise.all([1, 2].map(() => call(org, "POST", `/api/erasures/${asked.json().erasure.id}/approve`, dsl)));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(await org.t.database.db.auditEvent.count({ where: { action: "erasure.completed", subjectId: one.id } })).toBe(1);
    expect(await findEverywhere(org.t.database, ["Twiceover"])).toEqual([]);

    const two = await addPerson(
      "Una Twiceover",
      { name: "Lou Twiceover", email: "lou.twiceover@example.org", phone: "07700 900222" },
      "Lou said yes.",
    );
    const settings = (await call(org, "GET", "/api/settings", org.admin)).json().settings;
    expect((await call(org, "PUT", "/api/settings", org.admin, { ...settings, retentionYears: 1 })).statusCode).toBe(200);
    const saved = clock.now;
    try {
      clock.now = new Date(saved.getTime() + 10 * 366 * 24 * 3600_000);
      const runs = await Promise.all([eraseByRetention(org.app.ctx), eraseByRetention(org.app.ctx)]);
      expect(runs.flat().filter((e) => e.subject.id === two.id)).toHaveLength(1);
      expect(await org.t.database.db.erasure.count({ where: { subjectId: two.id } })).toBe(1);
      expect((await verifyChain(org.t.database.db)).ok).toBe(true);
    } finally {
      clock.now = saved;
    }
  });
});
