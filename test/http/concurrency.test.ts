// Races that must never hand out a second admission or a token for an ended session.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgConfig } from "../../src/adapters/db/connection.ts";
import { admissionGrouping } from "../../src/domain/admission.ts";
import { verifyChain } from "../../src/domain/audit.ts";
import { connectionGrouping } from "../../src/domain/invitee.ts";
import { liveSession } from "../helpers/crowd.ts";
import { providers, type ScratchDatabase, scratchDatabase } from "../helpers/db.ts";
import {
  addMember,
  call,
  clock,
  confirmCarer,
  enterWaiting,
  failingRules,
  type Org,
  readyToAdmit,
  schedule,
  startOrg,
  startSession,
} from "../helpers/scenario.ts";

describe.each(providers)("concurrency on %s", (provider) => {
  let org: Org;
  beforeAll(async () => {
    org = await startOrg(provider);
  });
  afterAll(async () => org.t.close());

  it("50 simultaneous admits of one person make exactly one admission and one token", async () => {
    const { s, a } = await readyToAdmit(org);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/admit`, i % 2 ? org.lead : org.second),
      ),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(49);
    expect(await org.t.database.db.admissionDecision.count({ where: { attendeeId: a.id, action: "admit" } })).toBe(1);
    const attendee = await org.t.database.db.attendee.findUniqueOrThrow({ where: { id: a.id } });
    expect(attendee.admissionSeq).toBe(1);

    const tokens = await Promise.all(Array.from({ length: 10 }, () => call(org, "POST", `/api/join/${a.invite}/connection`)));
    // Every page request for the one admission gets a token for that same admission.
    const admissions = new Set(
      await Promise.all(tokens.map(async (t) => JSON.parse(atob(t.json().participant_token.split(".")[1])).metadata)),
    );
    expect(admissions).toEqual(new Set([JSON.stringify({ admission: 1 })]));
  });

  it("admit racing with end never yields a token for an ended session", async () => {
    for (let round = 0; round < 5; round++) {
      const { s, a } = await readyToAdmit(org, { name: `Racer${"abcde"[round]}` });
      const [, , conn1, conn2] = await Promise.all([
        call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/admit`, org.lead),
        call(org, "POST", `/api/sessions/${s.id}/end`, org.second),
        call(org, "POST", `/api/join/${a.invite}/connection`),
        call(org, "POST", `/api/join/${a.invite}/connection`),
      ]);
      const after = await call(org, "POST", `/api/join/${a.invite}/connection`);
      expect(after.statusCode).toBe(409);
      const session = await org.t.database.db.session.findUniqueOrThrow({ where: { id: s.id } });
      expect(session.status).toBe("ended");
      // Any token that was issued was issued before the end was recorded.
      const issued = await org.t.database.db.auditEvent.findMany({
        where: { sessionId: s.id, action: { in: ["token.issued", "session.ended"] } },
        orderBy: { seq: "asc" },
      });
      expect(issued.at(-1)?.action).toBe("session.ended");
      for (const conn of [conn1, conn2]) expect([201, 409]).toContain(conn.statusCode);
    }
  });

  it("admits and token requests arriving together are decided together, each on their own facts", async () => {
    const members = [await addMember(org, { name: "Ana" }), await addMember(org, { name: "Ben" }), await addMember(org, { name: "Cal" })];
    const s = await schedule(
      org,
      members.map((m) => m.id),
    );
    const [ana, ben, cal] = s.attendees as [(typeof s.attendees)[number], (typeof s.attendees)[number], (typeof s.attendees)[number]];
    // Ben's carer has not said they are there (R2 fails for Ben alone).
    for (const a of [ana, cal]) await confirmCarer(org, a.carer!);
    for (const a of s.attendees) await enterWaiting(org, a.invite);
    await startSession(org, s.id);

    const before = admissionGrouping(org.app.ctx);
    const admits = await Promise.all([
      call(org, "POST", `/api/sessions/${s.id}/attendees/${ana.id}/admit`, org.lead),
      call(org, "POST", `/api/sessions/${s.id}/attendees/${ben.id}/admit`, org.second),
      call(org, "POST", `/api/sessions/${s.id}/attendees/${cal.id}/admit`, org.second),
      call(org, "POST", `/api/sessions/${s.id}/attendees/${crypto.randomUUID()}/admit`, org.lead),
      // Staff not assigned to this session cannot let anyone in, even in company.
      call(org, "POST", `/api/sessions/${s.id}/attendees/${cal.id}/admit`, org.other),
    ]);
    const after = admissionGrouping(org.app.ctx);
    expect(after.items - before.items).toBe(5);
    expect(after.batches - before.batches, "the admits shared transactions").toBeLessThan(5);
    expect(admits.map((r) => r.statusCode)).toEqual([200, 409, 200, 404, 403]);
    expect(failingRules(admits[1]!.json())).toEqual(["R2.carer-present"]);

    const decisions = await org.t.database.db.admissionDecision.findMany({ where: { sessionId: s.id }, orderBy: { createdAt: "asc" } });
    expect(decisions.map((d) => [d.attendeeId, d.action, d.staffId]).sort()).toEqual(
      [
        [ana.id, "admit", org.leadId],
        [ben.id, "denied", org.secondId],
        [cal.id, "admit", org.secondId],
      ].sort(),
    );

    // Ana's link is reissued: her old link and her new one ask at the same moment as the others.
    const reissued = await call(org, "POST", `/api/sessions/${s.id}/attendees/${ana.id}/reissue`, org.lead);
    expect(reissued.statusCode, reissued.body).toBe(200);
    const newInvite = new URL(reissued.json().attendee.inviteUrl).pathname.split("/").pop()!;
    const beforeTokens = connectionGrouping(org.app.ctx);
    const tokens = await Promise.all(
      [ana.invite, newInvite, ben.invite, cal.invite, "x".repeat(43)].map((t) => call(org, "POST", `/api/join/${t}/connection`)),
    );
    const afterTokens = connectionGrouping(org.app.ctx);
    expect(afterTokens.batches - beforeTokens.batches, "the token requests shared transactions").toBeLessThan(5);
    expect(tokens.map((r) => r.statusCode)).toEqual([409, 201, 409, 201, 404]);
    expect(failingRules(tokens[0]!.json())).toContain("R10.valid-invite");
    const identity = (r: (typeof tokens)[number]) => JSON.parse(atob(r.json().participant_token.split(".")[1])).sub;
    expect([identity(tokens[1]!), identity(tokens[3]!)]).toEqual([ana.id, cal.id]);
    const issued = await org.t.database.db.auditEvent.findMany({ where: { sessionId: s.id, action: "token.issued" } });
    expect(issued.map((e) => e.subjectId).sort()).toEqual([ana.id, cal.id].sort());
  });

  it("token requests in two waves (on PostgreSQL, two batches at once): one token and one record each, the trail one chain", async () => {
    const crowd = await liveSession(org.t.database, org.leadId, 60, clock.now);
    expect((await call(org, "POST", `/api/sessions/${crowd.sessionId}/admit-all`, org.lead)).statusCode).toBe(200);
    const ask = (people: typeof crowd.attendees) => people.map((p) => call(org, "POST", `/api/join/${p.invite}/connection`));
    const before = connectionGrouping(org.app.ctx).batches;
    const first = ask(crowd.attendees.slice(0, 30));
    // The second wave once the first one's batch has started (on SQLite it waits for it to end).
    while (connectionGrouping(org.app.ctx).batches === before) await new Promise((resolve) => setImmediate(resolve));
    const answers = await Promise.all([...first, ...ask(crowd.attendees.slice(30))]);
    expect(answers.map((r) => r.statusCode)).toEqual(crowd.attendees.map(() => 201));
    const issued = await org.t.database.db.auditEvent.findMany({ where: { sessionId: crowd.sessionId, action: "token.issued" } });
    expect(issued.map((e) => e.subjectId).sort()).toEqual(crowd.attendees.map((p) => p.id).sort());
    expect(await verifyChain(org.t.database.db)).toMatchObject({ ok: true });
  });

  it("a session of 1,200 waiting people is listed, and admit all lets every one of them in", async () => {
    const crowd = await liveSession(org.t.database, org.leadId, 1200, clock.now);
    const listed = await call(org, "GET", `/api/sessions/${crowd.sessionId}`, org.lead);
    expect(listed.statusCode, listed.body.slice(0, 300)).toBe(200);
    expect(listed.json().session.attendees).toHaveLength(1200);
    const all = await call(org, "POST", `/api/sessions/${crowd.sessionId}/admit-all`, org.lead);
    expect(all.statusCode, all.body.slice(0, 300)).toBe(200);
    expect(all.json().admitted).toHaveLength(1200);
    expect(await org.t.database.db.attendee.count({ where: { sessionId: crowd.sessionId, state: "admitted" } })).toBe(1200);
    // Their 1,200 decisions went into the trail in two INSERTs (a thousand rows each at most), the head moved after the last.
    expect(await verifyChain(org.t.database.db)).toMatchObject({ ok: true });
  });
});

// A request reads its link, then waits for the session's lock. What commits while it waits (a
// reissue or an admission holds the session's lock) must count: on PostgreSQL the rows read before
// the wait are out of date by then. Another connection plays the other side, holding the lock
// while the request arrives, so the order is certain rather than likely.
describe.skipIf(!providers.includes("postgresql"))("changes committed while a request waits for its session's lock", () => {
  let scratch: ScratchDatabase;
  let org: Org;
  beforeAll(async () => {
    scratch = await scratchDatabase("postgresql");
    org = await startOrg("postgresql", {}, scratch);
  });
  afterAll(async () => {
    await org.t.close();
    await scratch.drop();
  });

  async function whileLocked(sessionId: string, during: (db: pg.Client) => Promise<void>) {
    const db = new pg.Client(pgConfig(scratch.url));
    await db.connect();
    try {
      await db.query("BEGIN");
      await db.query(`SELECT 1 FROM "Session" WHERE "id" = $1 FOR UPDATE`, [sessionId]);
      await during(db);
      await db.query("COMMIT");
    } finally {
      await db.end();
    }
  }

  /** Resolves once some statement of this database waits for a lock (the token request, on the session). */
  async function someoneWaits(db: pg.Client) {
    for (let i = 0; i < 200; i++) {
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (rows[0].n > 0) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error("the token request never waited for the session's lock");
  }

  it.each([
    ["the link revoked and a new one issued (a reissue)", true],
    ["the link revoked", false],
  ])("a token request, %s meanwhile: no token", async (_name, issueNew) => {
    const { s, a } = await readyToAdmit(org, { name: issueNew ? "Reissued" : "Revoked" });
    expect((await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/admit`, org.lead)).statusCode).toBe(200);
    let asked: ReturnType<typeof call> | undefined;
    await whileLocked(s.id, async (db) => {
      asked = call(org, "POST", `/api/join/${a.invite}/connection`);
      await someoneWaits(db);
      await db.query(
        `UPDATE "Link" SET "revokedAt" = now(), "revokedReason" = 'reissued' WHERE "attendeeId" = $1 AND "revokedAt" IS NULL`,
        [a.id],
      );
      if (issueNew)
        await db.query(`INSERT INTO "Link" ("id", "attendeeId", "kind", "tokenHash", "createdAt") VALUES ($1, $2, 'invite', $3, now())`, [
          randomUUID(),
          a.id,
          randomUUID(),
        ]);
    });
    const answer = await asked!;
    expect(answer.json().participant_token).toBeUndefined();
    expect(answer.statusCode).toBe(409);
    expect(failingRules(answer.json())).toEqual(["R10.valid-invite"]);
    expect(await org.t.database.db.auditEvent.count({ where: { subjectId: a.id, action: "token.issued" } })).toBe(0);
  });

  it("a carer's confirmation through a link replaced meanwhile does not stand", async () => {
    const member = await addMember(org, { name: "Carer Raced" });
    const s = await schedule(org, [member.id]);
    const a = s.attendees[0]!;
    let asked: ReturnType<typeof call> | undefined;
    await whileLocked(s.id, async (db) => {
      asked = call(org, "POST", `/api/carer/${a.carer}/confirm`, undefined, { present: true, agreedToTerms: true });
      await someoneWaits(db);
      await db.query(
        `UPDATE "Link" SET "revokedAt" = now(), "revokedReason" = 'reissued' WHERE "attendeeId" = $1 AND "revokedAt" IS NULL`,
        [a.id],
      );
    });
    expect((await asked!).statusCode).toBe(410);
    expect(await org.t.database.db.carerConfirmation.count({ where: { attendeeId: a.id } })).toBe(0);
  });

  it("a carer's withdrawal sees the member let in while it waited (the alert's case)", async () => {
    const { s, a } = await readyToAdmit(org, { name: "Withdraw Raced" });
    let asked: ReturnType<typeof call> | undefined;
    await whileLocked(s.id, async (db) => {
      asked = call(org, "POST", `/api/carer/${a.carer}/withdraw`);
      await someoneWaits(db);
      await db.query(`UPDATE "Attendee" SET "state" = 'admitted' WHERE "id" = $1`, [a.id]);
    });
    expect((await asked!).statusCode).toBe(200);
    const [event] = await org.t.database.db.auditEvent.findMany({ where: { subjectId: a.id, action: "carer.withdrew" } });
    expect(JSON.parse(event!.data)).toEqual({ memberInRoom: true });
  });
});
