// The admission flow through the HTTP API, on a real database: every refusal the policy names,
// and the tokens that come out when nothing fails.
import { TokenVerifier } from "livekit-server-sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ruleIds } from "../../src/policy/types.ts";
import { providers } from "../helpers/db.ts";
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

const verifier = new TokenVerifier("devkey", "secret");

describe.each(providers)("admission on %s", (provider) => {
  let org: Org;
  beforeAll(async () => {
    org = await startOrg(provider);
  });
  afterAll(async () => org.t.close());
  beforeEach(() => {
    clock.now = new Date("2026-03-03T13:50:00Z");
  });

  const admit = (sessionId: string, attendeeId: string, cookie = org.lead) =>
    call(org, "POST", `/api/sessions/${sessionId}/attendees/${attendeeId}/admit`, cookie);
  const connect = (invite: string) => call(org, "POST", `/api/join/${invite}/connection`);

  it("lets a waiting member in when every rule holds, and only then hands their page a least-privilege token", async () => {
    const { s, a } = await readyToAdmit(org);
    const before = await connect(a.invite);
    expect(before.statusCode).toBe(409);
    expect(failingRules(before.json())).toEqual(["R1.waiting-room"]);

    const res = await admit(s.id, a.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().admission.checks.every((c: { outcome: string }) => c.outcome !== "fail")).toBe(true);

    const conn = await connect(a.invite);
    expect(conn.statusCode).toBe(201);
    expect(conn.json().server_url).toBe(org.livekit.url.replace("http:", "ws:"));
    const claims = await verifier.verify(conn.json().participant_token);
    expect(claims.sub).toBe(a.id);
    expect(claims.name).toBe("Alex");
    expect(claims.video).toMatchObject({
      roomJoin: true,
      canSubscribe: true,
      canPublish: true,
      canPublishData: false,
      canPublishSources: ["camera", "microphone"],
    });
    expect(claims.video?.roomAdmin).toBeFalsy();
    expect(claims.video?.room).toMatch(/^gk_/);
    expect(Number(claims.exp) - Number(claims.nbf)).toBeLessThanOrEqual(600);
    expect(JSON.stringify(claims)).not.toMatch(/Chris|example\.org|07700/);

    const decisions = await org.t.database.db.admissionDecision.findMany({ where: { attendeeId: a.id, action: "admit" } });
    expect(decisions).toHaveLength(1);
    expect(decisions[0]!.checks).toHaveLength(ruleIds.length);
  });

  it("gives the lead a staff token naming their account, with room admin", async () => {
    const member = await addMember(org);
    const s = await schedule(org, [member.id]);
    const started = await startSession(org, s.id);
    const claims = await verifier.verify(started.token);
    expect(claims.sub).toBe(`staff:${org.leadId}`);
    expect(claims.video).toMatchObject({ roomJoin: true, roomAdmin: true, room: claims.video?.room });
    expect(started.livekitUrl).toBe(org.livekit.url.replace("http:", "ws:"));
  });

  it("R4: refuses a member with no consent on file", async () => {
    const { s, a } = await readyToAdmit(org, { consent: false });
    const res = await admit(s.id, a.id);
    expect(res.statusCode).toBe(409);
    expect(failingRules(res.json())).toEqual(["R4.consent"]);
    expect((await connect(a.invite)).statusCode).toBe(409);
  });

  it("R4: refuses a member whose consent was withdrawn, and the withdrawal is a new record", async () => {
    const { member, s, a } = await readyToAdmit(org);
    const m = (await call(org, "GET", `/api/members/${member.id}`, org.lead)).json().member;
    const w = await call(org, "POST", `/api/members/${member.id}/consents/${m.consents[0].id}/withdraw`, org.lead, {
      reason: "Carer asked us to stop",
    });
    expect(w.statusCode).toBe(201);
    const after = (await call(org, "GET", `/api/members/${member.id}`, org.lead)).json().member;
    expect(after.consents[0]).toMatchObject({ type: "video", withdrawal: { reason: "Carer asked us to stop" } });
    expect(after.consentState.video).toBe("withdrawn");
    const res = await admit(s.id, a.id);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.checks.find((c: { rule: string }) => c.rule === "R4.consent").code).toBe("R4.consent-withdrawn");
    const again = await call(org, "POST", `/api/members/${member.id}/consents/${m.consents[0].id}/withdraw`, org.lead, { reason: "twice" });
    expect(again.statusCode).toBe(409);
  });

  it("R2: refuses a member whose carer has not confirmed", async () => {
    const member = await addMember(org);
    const s = await schedule(org, [member.id]);
    const a = s.attendees[0]!;
    await enterWaiting(org, a.invite);
    await startSession(org, s.id);
    const res = await admit(s.id, a.id);
    expect(res.statusCode).toBe(409);
    expect(failingRules(res.json())).toEqual(["R2.carer-present"]);
  });

  it("R2: refuses a member whose carer withdrew, and stops the token of one already admitted", async () => {
    const { s, a } = await readyToAdmit(org);
    expect((await admit(s.id, a.id)).statusCode).toBe(200);
    const w = await call(org, "POST", `/api/carer/${a.carer}/withdraw`);
    expect(w.statusCode).toBe(200);
    expect(w.json().confirmation.present).toBe(false);
    const conn = await connect(a.invite);
    expect(conn.statusCode).toBe(409);
    expect(failingRules(conn.json())).toEqual(["R2.carer-present"]);
  });

  it("R2: a carer cannot confirm earlier than the set time before the start", async () => {
    const member = await addMember(org);
    const s = await schedule(org, [member.id]);
    clock.now = new Date("2026-03-03T12:59:00Z");
    const res = await call(org, "POST", `/api/carer/${s.attendees[0]!.carer}/confirm`, undefined, { present: true, agreedToTerms: true });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe("R2.too-early");
  });

  it("R2/R13: a carer must agree to the carer terms to confirm", async () => {
    const member = await addMember(org);
    const s = await schedule(org, [member.id]);
    const res = await call(org, "POST", `/api/carer/${s.attendees[0]!.carer}/confirm`, undefined, { present: true });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain("agreedToTerms");
    const page = (await call(org, "GET", `/api/carer/${s.attendees[0]!.carer}`)).json();
    expect(page.confirmation).toBeNull();
    expect(page.member.displayName).toBe("Alex");
    expect(page.terms.lines.length).toBeGreaterThan(0);
    expect(page.session.emergencyContact).toEqual({ name: "Duty manager", phone: "0161 496 0000" });
  });

  it("R2/R4: a member living independently needs their own consent and no carer", async () => {
    const member = await addMember(org, { livesWithCarer: false, name: "Sam" });
    const s = await schedule(org, [member.id]);
    const a = s.attendees[0]!;
    expect(a.carerUrl).toBeUndefined();
    expect(a.inviteUrl).toMatch(/^http:\/\/localhost:3000\/join\/[A-Za-z0-9_-]{43}$/);
    await enterWaiting(org, a.invite);
    await startSession(org, s.id);
    const res = await admit(s.id, a.id);
    expect(res.statusCode, res.body).toBe(200);
    const r2 = res.json().admission.checks.find((c: { rule: string }) => c.rule === "R2.carer-present");
    expect(r2.outcome).toBe("not_applicable");
  });

  it("R2/R4: a volunteer is let in without the carer and consent rules", async () => {
    const s = await schedule(org, [], { volunteers: [{ displayName: "Vic" }] });
    const v = s.attendees[0]!;
    expect(v.carerUrl).toBeUndefined();
    await enterWaiting(org, v.invite);
    await startSession(org, s.id);
    const res = await admit(s.id, v.id);
    expect(res.statusCode, res.body).toBe(200);
    const outcomes = Object.fromEntries(res.json().admission.checks.map((c: { rule: string; outcome: string }) => [c.rule, c.outcome]));
    expect(outcomes["R2.carer-present"]).toBe("not_applicable");
    expect(outcomes["R4.consent"]).toBe("not_applicable");
  });

  it("R6: refuses to schedule or start a session outside agreed hours", async () => {
    const member = await addMember(org);
    const s = await schedule(org, [member.id]);
    const narrow = { mon: [], tue: [{ start: "09:00", end: "12:00" }], wed: [], thu: [], fri: [], sat: [], sun: [] };
    const put = await call(org, "PUT", "/api/settings", org.admin, {
      timeZone: "Europe/London",
      agreedHours: narrow,
      emergencyContact: { name: "Duty manager", phone: "0161 496 0000" },
    });
    expect(put.statusCode).toBe(200);
    try {
      const start = await call(org, "POST", `/api/sessions/${s.id}/start`, org.lead, {});
      expect(start.statusCode).toBe(409);
      expect(failingRules(start.json())).toEqual(["R6.agreed-hours"]);
      const again = await call(org, "POST", "/api/sessions", org.lead, {
        title: "Late club",
        startsAt: "2026-03-03T14:00:00Z",
        endsAt: "2026-03-03T15:00:00Z",
        delivery: "venue",
        leadStaffId: org.leadId,
        memberIds: [member.id],
      });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.code).toBe("R6.outside-agreed-hours");
    } finally {
      await org.t.app.inject({
        method: "PUT",
        url: "/api/settings",
        headers: { cookie: org.admin },
        payload: {
          timeZone: "Europe/London",
          agreedHours: (await import("../helpers/scenario.ts")).allDayHours,
          emergencyContact: { name: "Duty manager", phone: "0161 496 0000" },
        },
      });
    }
  });

  it("R6: the lead cannot start more than 15 minutes early", async () => {
    const member = await addMember(org);
    const s = await schedule(org, [member.id]);
    clock.now = new Date("2026-03-03T13:44:00Z");
    const res = await call(org, "POST", `/api/sessions/${s.id}/start`, org.lead, {});
    expect(res.statusCode).toBe(409);
    expect(res.json().error.checks.find((c: { rule: string }) => c.rule === "R6.agreed-hours").code).toBe("R6.too-early");
  });

  it("R3: a session without a second member of staff starts only with a written waiver, which is kept", async () => {
    const member = await addMember(org);
    const s = await schedule(org, [member.id], { secondStaffId: undefined });
    const refused = await call(org, "POST", `/api/sessions/${s.id}/start`, org.lead, {});
    expect(refused.statusCode).toBe(409);
    expect(failingRules(refused.json())).toEqual(["R3.second-staff"]);
    const started = await startSession(org, s.id, { secondStaffWaiverReason: "Second worker is off sick today" });
    expect(started.session.waivers).toEqual([
      expect.objectContaining({ rule: "R3.second-staff", reason: "Second worker is off sick today", staffId: org.leadId }),
    ]);
    expect(await org.t.database.db.waiver.count({ where: { sessionId: s.id } })).toBe(1);
  });

  it("R1: nobody is admitted before the session is live, or after it ended", async () => {
    const member = await addMember(org);
    const s = await schedule(org, [member.id]);
    const a = s.attendees[0]!;
    await confirmCarer(org, a.carer!);
    await enterWaiting(org, a.invite);
    const early = await admit(s.id, a.id);
    expect(early.statusCode).toBe(409);
    expect(failingRules(early.json())).toContain("R1.waiting-room");
    await startSession(org, s.id);
    expect((await call(org, "POST", `/api/sessions/${s.id}/end`, org.lead)).statusCode).toBe(200);
    const late = await admit(s.id, a.id);
    expect(late.statusCode).toBe(409);
    expect(failingRules(late.json())).toEqual(expect.arrayContaining(["R1.waiting-room", "R10.valid-invite"]));
  });

  it("R10: once the session has ended, its links are dead and say so", async () => {
    const { s, a } = await readyToAdmit(org);
    expect((await admit(s.id, a.id)).statusCode).toBe(200);
    const ended = await call(org, "POST", `/api/sessions/${s.id}/end`, org.lead);
    expect(ended.json().session.summary.attendees[0]).toMatchObject({ id: a.id, finalState: "admitted", admissions: 1 });
    for (const res of [
      await call(org, "GET", `/api/join/${a.invite}`),
      await call(org, "POST", `/api/join/${a.invite}`, undefined, {}),
      await call(org, "GET", `/api/carer/${a.carer}`),
    ]) {
      expect(res.statusCode).toBe(410);
      expect(res.json().error.code).toBe("R10.session-ended");
    }
    expect((await connect(a.invite)).statusCode).toBe(409);
  });

  it("R10: a reissued link replaces the old one, which stops working at once", async () => {
    const { s, a } = await readyToAdmit(org);
    const re = await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/reissue`, org.lead);
    expect(re.statusCode).toBe(200);
    const fresh = re.json().attendee;
    expect(fresh.inviteUrl).not.toBe(a.inviteUrl);
    expect(fresh.carerUrl).toBeDefined();
    expect((await call(org, "GET", `/api/join/${a.invite}`)).statusCode).toBe(410);
    expect((await call(org, "POST", `/api/carer/${a.carer}/confirm`, undefined, { present: true, agreedToTerms: true })).statusCode).toBe(
      410,
    );
    const newInvite = new URL(fresh.inviteUrl).pathname.split("/").pop();
    expect((await call(org, "GET", `/api/join/${newInvite}`)).statusCode).toBe(200);
    expect((await admit(s.id, a.id)).statusCode).toBe(200);
    expect((await connect(a.invite)).statusCode).toBe(409);
    expect((await connect(newInvite!)).statusCode).toBe(201);
  });

  it("R10: a link reaches only its own session and its own kind", async () => {
    const one = await readyToAdmit(org);
    const other = await readyToAdmit(org, { name: "Bo" });
    expect((await admit(one.s.id, other.a.id)).statusCode).toBe(404);
    expect((await call(org, "GET", `/api/join/${one.a.carer}`)).statusCode).toBe(404);
    expect((await call(org, "GET", `/api/carer/${one.a.invite}`)).statusCode).toBe(404);
    const unknown = await call(org, "GET", `/api/join/${"A".repeat(43)}`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe("R10.unknown-link");
    expect((await call(org, "GET", "/api/join/short")).statusCode).toBe(400);
  });

  it("R13: nobody enters the waiting room without agreeing to the group guidelines", async () => {
    const member = await addMember(org);
    const s = await schedule(org, [member.id]);
    const a = s.attendees[0]!;
    const page = (await call(org, "GET", `/api/join/${a.invite}`)).json();
    expect(page.agreedToCurrentGuidelines).toBe(false);
    expect(page.guidelines.lines).toContain("Be kind.");
    expect(page.session).toMatchObject({ title: "Art club", emergencyContact: { name: "Duty manager", phone: "0161 496 0000" } });
    const res = await call(org, "POST", `/api/join/${a.invite}`, undefined, {});
    expect(res.statusCode).toBe(409);
    expect(failingRules(res.json())).toEqual(["R13.guidelines-agreed"]);
    expect(res.json().error.checks.find((c: { rule: string }) => c.rule === "R13.guidelines-agreed").easyRead).toBeTruthy();
    const ok = await call(org, "POST", `/api/join/${a.invite}`, undefined, { agreedToGuidelines: true });
    expect(ok.json().attendee).toEqual({ id: a.id, state: "waiting", displayName: "Alex" });
    expect((await call(org, "GET", `/api/join/${a.invite}`)).json().agreedToCurrentGuidelines).toBe(true);
  });

  it("R13: when the guidelines change, members are asked again before they are let in", async () => {
    const { s, a } = await readyToAdmit(org);
    const published = await call(org, "PUT", "/api/guidelines/member", org.admin, {
      lines: [
        "Be kind.",
        "Do not take photos of the screen.",
        "Tell staff if you feel upset.",
        "Keep your microphone off when others talk.",
      ],
    });
    expect(published.statusCode).toBe(201);
    const res = await admit(s.id, a.id);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.checks.find((c: { rule: string }) => c.rule === "R13.guidelines-agreed").code).toBe("R13.guidelines-changed");
    expect((await call(org, "GET", `/api/join/${a.invite}`)).json().agreedToCurrentGuidelines).toBe(false);
    await enterWaiting(org, a.invite);
    expect((await admit(s.id, a.id)).statusCode).toBe(200);
  });

  it("refuse, send back and remove change the person's state and are kept with their message", async () => {
    const { s, a } = await readyToAdmit(org);
    const refused = await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/refuse`, org.lead, { message: "Not today, sorry." });
    expect(refused.json().attendee.state).toBe("refused");
    expect((await admit(s.id, a.id)).statusCode).toBe(409);

    const two = await readyToAdmit(org, { name: "Bo" });
    expect((await admit(two.s.id, two.a.id)).statusCode).toBe(200);
    const back = await call(org, "POST", `/api/sessions/${two.s.id}/attendees/${two.a.id}/return-to-waiting`, org.lead);
    expect(back.json().attendee.state).toBe("returned");
    expect((await connect(two.a.invite)).statusCode).toBe(409);
    expect((await admit(two.s.id, two.a.id)).statusCode).toBe(200);
    const removed = await call(org, "POST", `/api/sessions/${two.s.id}/attendees/${two.a.id}/remove`, org.lead, {
      reason: "Shared the screen",
    });
    expect(removed.json()).toMatchObject({ attendee: { state: "removed" }, reminder: expect.stringContaining("carer") });
    expect((await connect(two.a.invite)).statusCode).toBe(409);
    const actions = (
      await org.t.database.db.admissionDecision.findMany({ where: { attendeeId: two.a.id }, orderBy: { createdAt: "asc" } })
    ).map((d) => [d.action, d.message]);
    expect(actions).toEqual([
      ["admit", null],
      ["return", null],
      ["admit", null],
      ["remove", "Shared the screen"],
    ]);
  });

  it("admit all lets in everyone eligible and reports the rest with their checks", async () => {
    const ready = await addMember(org, { name: "Ann" });
    const noConsent = await addMember(org, { name: "Ben", consent: false });
    const s = await schedule(org, [ready.id, noConsent.id], { volunteers: [{ displayName: "Vic" }] });
    for (const a of s.attendees) {
      if (a.carer) await confirmCarer(org, a.carer);
      await enterWaiting(org, a.invite);
    }
    await startSession(org, s.id);
    const res = await call(org, "POST", `/api/sessions/${s.id}/admit-all`, org.lead);
    expect(res.statusCode).toBe(200);
    expect(
      res
        .json()
        .admitted.map((o: { displayName: string }) => o.displayName)
        .sort(),
    ).toEqual(["Ann", "Vic"]);
    expect(res.json().notAdmitted).toEqual([expect.objectContaining({ displayName: "Ben", admitted: false })]);
    const detail = (await call(org, "GET", `/api/sessions/${s.id}`, org.lead)).json().session;
    const ben = detail.attendees.find((a: { displayName: string }) => a.displayName === "Ben");
    expect(ben).toMatchObject({ state: "waiting", eligible: false });
    expect(ben.checks.find((c: { rule: string }) => c.rule === "R4.consent").outcome).toBe("fail");
  });

  it("R11: the console says to send a member's invite to their carer, with the carer's contact", async () => {
    const member = await addMember(org);
    const s = await schedule(org, [member.id]);
    expect(s.attendees[0]).toMatchObject({
      contactVia: { name: "Chris Carer", email: "chris@example.org", guidance: expect.stringContaining("Chris Carer") },
    });
  });

  it("staff can message one waiting person or everyone waiting, and the message is kept", async () => {
    const { s, a } = await readyToAdmit(org);
    const res = await call(org, "POST", `/api/sessions/${s.id}/message`, org.lead, { text: "We start in two minutes." });
    expect(res.statusCode).toBe(201);
    expect(res.json().message.recipients).toEqual([a.id]);
    expect(await org.t.database.db.staffMessage.count({ where: { sessionId: s.id } })).toBe(1);
  });

  it("R14: a message or refusal not in the organisation's tone is refused with what was found, and goes with a reason that is kept", async () => {
    const { s, a } = await readyToAdmit(org);
    const kissed = await call(org, "POST", `/api/sessions/${s.id}/message`, org.lead, { text: "See you in a minute hun xx" });
    expect(kissed.statusCode).toBe(409);
    expect(kissed.json().error).toMatchObject({ code: "R14.professional-tone", message: expect.stringContaining('a kiss ("xx")') });
    expect(failingRules(kissed.json())).toEqual(["R14.professional-tone"]);
    expect(await org.t.database.db.staffMessage.count({ where: { sessionId: s.id } })).toBe(0);

    const refusal = { message: "Not today babe" };
    const refused = await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/refuse`, org.lead, refusal);
    expect(refused.statusCode).toBe(409);
    expect((await org.t.database.db.attendee.findUniqueOrThrow({ where: { id: a.id } })).state).toBe("waiting");

    const reason = "Her family signs off like this and asked us to.";
    const sent = await call(org, "POST", `/api/sessions/${s.id}/message`, org.lead, {
      text: "See you in a minute hun xx",
      toneWaiverReason: reason,
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const waivers = await org.t.database.db.waiver.findMany({ where: { sessionId: s.id } });
    expect(waivers.map((w) => [w.rule, w.reason, w.staffId])).toEqual([["R14.professional-tone", reason, org.leadId]]);
    const audit = await org.t.database.db.auditEvent.findFirstOrThrow({ where: { sessionId: s.id, action: "waiver.recorded" } });
    // The trail names the waiver by id; its words stay on its row (the chain holds no free text).
    expect(JSON.parse(audit.data!)).toEqual({ waiverId: waivers[0]!.id, rule: "R14.professional-tone" });

    // A professional text needs no reason and records no waiver.
    const plain = await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/refuse`, org.lead, { message: "Not today, sorry." });
    expect(plain.statusCode, plain.body).toBe(200);
    expect(await org.t.database.db.waiver.count({ where: { sessionId: s.id } })).toBe(1);
  });

  describe("authorisation", () => {
    it("staff not assigned to a session cannot start, join, admit, end or reissue", async () => {
      const { s, a } = await readyToAdmit(org);
      for (const url of [
        `/api/sessions/${s.id}/start`,
        `/api/sessions/${s.id}/join`,
        `/api/sessions/${s.id}/attendees/${a.id}/admit`,
        `/api/sessions/${s.id}/end`,
        `/api/sessions/${s.id}/attendees/${a.id}/reissue`,
        `/api/sessions/${s.id}/admit-all`,
      ]) {
        const res = await call(org, "POST", url, org.other, {});
        expect(res.statusCode, url).toBe(403);
      }
      expect((await admit(s.id, a.id)).statusCode).toBe(200);
    });

    it("only the lead can start; the second member of staff can join once it is live", async () => {
      const member = await addMember(org);
      const s = await schedule(org, [member.id]);
      expect((await call(org, "POST", `/api/sessions/${s.id}/start`, org.second, {})).statusCode).toBe(403);
      const early = await call(org, "POST", `/api/sessions/${s.id}/join`, org.second);
      expect(early.statusCode).toBe(409);
      await startSession(org, s.id);
      const joined = await call(org, "POST", `/api/sessions/${s.id}/join`, org.second);
      expect(joined.statusCode).toBe(200);
      expect((await verifier.verify(joined.json().token)).sub).toBe(`staff:${org.secondId}`);
    });

    it("invite and carer links reach nothing but their own pages", async () => {
      const { s, a } = await readyToAdmit(org);
      const res = await org.app.inject({ method: "GET", url: `/api/sessions/${s.id}`, headers: { authorization: `Bearer ${a.invite}` } });
      expect(res.statusCode).toBe(401);
      expect((await call(org, "GET", "/api/members")).statusCode).toBe(401);
    });
  });

  it("never writes a link token, a room token or a carer's contact details to the log", async () => {
    const { s, a } = await readyToAdmit(org);
    await admit(s.id, a.id);
    const token = (await connect(a.invite)).json().participant_token;
    await call(org, "GET", `/api/join/${a.invite}/nope`);
    const log = org.t.rawLogs.join("");
    expect(log).not.toContain(a.invite);
    expect(log).not.toContain(a.carer);
    expect(log).not.toContain(token);
    expect(log).toContain("/api/join/***");
  });
});
