// Property-based tests over generated fact sets. The oracle below restates each hard rule's
// failure condition from the policy text, independently of the engine's rule modules.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { windowWithinHours } from "../../src/policy/clock.ts";
import { decideAdmission, decideEnterWaiting, decideRecording, decideStaffJoin, decideStart } from "../../src/policy/engine.ts";
import { attendeeToken, attendeeTokenTtlSeconds } from "../../src/policy/grants.ts";
import type { AdmitFacts, AgreedHours, Decision, RecordingPerson, StartFacts } from "../../src/policy/types.ts";
import { ruleIds, softRules, weekdays } from "../../src/policy/types.ts";

const numRuns = Number(process.env.FC_NUM_RUNS ?? 10_000);
const base = Date.parse("2026-03-02T00:00:00Z");
const minute = 60_000;

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
const interval = fc
  .tuple(fc.integer({ min: 0, max: 96 }), fc.integer({ min: 1, max: 96 }))
  .map(([a, len]) => ({ start: hhmm(a * 15), end: hhmm(Math.min(1440, (a + len) * 15)) }));
const hours: fc.Arbitrary<AgreedHours> = fc.record({
  timeZone: fc.constantFrom("Europe/London", "UTC", "America/New_York"),
  days: fc.record(
    Object.fromEntries(weekdays.map((d) => [d, fc.array(interval, { maxLength: 2 })])) as Record<
      (typeof weekdays)[number],
      fc.Arbitrary<{ start: string; end: string }[]>
    >,
  ),
});
/** Mostly the value that passes, sometimes anything: so that generated fact sets sit near the
 * boundary where one failing rule decides, instead of almost always failing several at once. */
function usually<T>(good: T, other: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: fc.constant(good), weight: 5 }, { arbitrary: other, weight: 1 });
}

const allDay = { start: "00:00", end: "24:00" };
const openHours: AgreedHours = {
  timeZone: "Europe/London",
  days: Object.fromEntries(weekdays.map((d) => [d, [allDay]])) as AgreedHours["days"],
};

const session = fc
  .record({
    status: usually("live" as const, fc.constantFrom("scheduled", "live", "ended" as const)),
    start: fc.integer({ min: 0, max: 14 * 24 * 4 }),
    length: fc.integer({ min: 1, max: 12 }),
    delivery: fc.constantFrom("home", "venue" as const),
    hasSecondStaff: fc.boolean(),
    secondStaffActive: fc.boolean(),
    recording: usually(false, fc.boolean()),
  })
  .map((s) => ({
    recording: s.recording,
    status: s.status,
    startsAt: new Date(base + s.start * 15 * minute),
    endsAt: new Date(base + (s.start + s.length * 2) * 15 * minute),
    delivery: s.delivery,
    hasSecondStaff: s.hasSecondStaff,
    secondStaffActive: s.hasSecondStaff && s.secondStaffActive,
  }));
const consent = fc.record({
  type: usually("video" as const, fc.constantFrom("video", "recording", "social-media" as const)),
  givenBy: fc.constantFrom("carer", "member" as const),
  withdrawn: usually(false, fc.boolean()),
});
const attendee = fc.record({
  kind: fc.constantFrom("member", "volunteer" as const),
  displayName: usually("Alex", fc.constantFrom("Sam T", "alex@example.org", "Jo 07700900123")),
  state: usually("waiting" as const, fc.constantFrom("invited", "waiting", "admitted", "refused", "returned", "removed", "ended" as const)),
  livesWithCarer: fc.boolean(),
  consents: fc.array(consent, { maxLength: 3 }),
  carerPresent: usually(true as boolean | null, fc.constantFrom(true, false, null)),
  agreedGuidelinesVersion: usually(2 as number | null, fc.constantFrom(null, 1, 2)),
  recordingAgreed: fc.constantFrom(true, false, null),
  keptApartPresent: usually(false, fc.boolean()),
});
const actor = fc
  .record({ staffId: fc.constant("s"), active: usually(true, fc.boolean()), isLead: fc.boolean(), isAssigned: usually(true, fc.boolean()) })
  .map((a) => ({ ...a, isAssigned: a.isAssigned || a.isLead }));

const admitFacts: fc.Arbitrary<AdmitFacts> = fc
  .record({
    stage: fc.constantFrom("admit", "connect" as const),
    session,
    nowOffset: usually(5, fc.integer({ min: -120, max: 900 })),
    revoked: usually(false, fc.boolean()),
    attendee,
    currentGuidelinesVersion: usually(2, fc.constantFrom(1, 2)),
    staffConnected: usually(1, fc.integer({ min: 0, max: 2 })),
    agreedHours: usually(openHours, hours),
    actor: usually({ staffId: "s", active: true, isLead: true, isAssigned: true } as AdmitFacts["actor"], fc.option(actor, { nil: null })),
  })
  .map((f) => ({
    stage: f.stage,
    now: new Date(f.session.startsAt.getTime() + f.nowOffset * minute),
    session: f.session,
    link: { revoked: f.revoked },
    attendee: { ...f.attendee, state: f.stage === "connect" && f.attendee.state === "waiting" ? ("admitted" as const) : f.attendee.state },
    currentGuidelinesVersion: f.currentGuidelinesVersion,
    staffConnected: f.staffConnected,
    agreedHours: f.agreedHours,
    actor: f.actor,
  }));

/** The policy text, restated: may this person be let in? */
function oracleAdmits(f: AdmitFacts): boolean {
  const a = f.attendee;
  const isMember = a.kind === "member";
  const r1 =
    f.session.status === "live" &&
    (f.stage === "admit"
      ? f.actor?.active === true && f.actor.isAssigned && (a.state === "waiting" || a.state === "returned")
      : a.state === "admitted");
  const r2 = !isMember || f.session.delivery === "venue" || !a.livesWithCarer || a.carerPresent === true;
  const giver = a.livesWithCarer ? "carer" : "member";
  const given = (type: string) => a.consents.some((c) => c.type === type && c.givenBy === giver && !c.withdrawn);
  // While the room is recorded, everyone let in needs recording consent: a member's on file, a
  // volunteer's own yes for the session.
  const recordable = isMember ? given("recording") : a.recordingAgreed === true;
  const r4 = (!isMember || given("video")) && (!f.session.recording || recordable);
  const r5 = f.staffConnected > 0;
  const r6 =
    windowWithinHours(f.session.startsAt, f.session.endsAt, f.agreedHours) &&
    f.now.getTime() >= f.session.startsAt.getTime() - 15 * minute &&
    f.now < f.session.endsAt;
  const r9 = !a.displayName.includes("@") && !/\d{7}/.test(a.displayName);
  const r10 = !f.link.revoked && f.session.status !== "ended";
  const r13 = a.agreedGuidelinesVersion === f.currentGuidelinesVersion;
  const r15 = !a.keptApartPresent;
  return r1 && r2 && r4 && r5 && r6 && r9 && r10 && r13 && r15;
}

function wellFormed(d: Decision) {
  expect(d.checks.map((c) => c.rule)).toEqual([...ruleIds]);
  expect(d.allowed).toBe(d.checks.every((c) => c.outcome !== "fail"));
  for (const c of d.checks) {
    expect(c.code.startsWith(c.rule.split(".")[0] ?? "")).toBe(true);
    expect(c.reason.length).toBeGreaterThan(0);
    if (c.outcome === "waived") expect(softRules.has(c.rule)).toBe(true);
  }
}

describe("policy engine properties", () => {
  it("admits (and so issues a token) if and only if no hard rule fails", () => {
    let allowed = 0;
    fc.assert(
      fc.property(admitFacts, (f) => {
        const d = decideAdmission(f);
        wellFormed(d);
        expect(d.allowed).toBe(oracleAdmits(f));
        if (d.allowed) allowed++;
      }),
      { numRuns },
    );
    // The generator must reach both sides of the boundary often, or the property proves little.
    expect(allowed / numRuns).toBeGreaterThan(0.05);
    expect(allowed / numRuns).toBeLessThan(0.95);
  });

  it("never issues a token to someone not admitted, whatever else holds", () => {
    fc.assert(
      fc.property(admitFacts, (f) => {
        const connect = { ...f, stage: "connect" as const };
        if (decideAdmission(connect).allowed) expect(connect.attendee.state).toBe("admitted");
      }),
      { numRuns },
    );
  });

  it("passes the soft rule R3 only with a second member of staff, or waives it only with a written reason", () => {
    const startFacts: fc.Arbitrary<StartFacts> = fc.record({
      now: fc.constant(new Date(base + 60 * minute)),
      session,
      actor,
      waiverReason: fc.option(fc.string({ maxLength: 30 }), { nil: null }),
      agreedHours: hours,
      keptApart: fc.boolean(),
    });
    fc.assert(
      fc.property(startFacts, (f) => {
        const d = decideStart(f);
        wellFormed(d);
        const r3 = d.checks.find((c) => c.rule === "R3.second-staff");
        if (r3?.outcome === "pass") expect(f.session.hasSecondStaff && f.session.secondStaffActive).toBe(true);
        if (r3?.outcome === "waived") expect((f.waiverReason ?? "").trim().length).toBeGreaterThanOrEqual(10);
        if (d.allowed) expect(f.actor.active && f.actor.isLead && !f.keptApart).toBe(true);
      }),
      { numRuns },
    );
  });

  it("never lets a member of staff kept apart from someone invited start or join the session", () => {
    fc.assert(
      fc.property(session, actor, fc.boolean(), (s, a, keptApart) => {
        const d = decideStaffJoin({ now: new Date(base + 60 * minute), session: s, actor: a, keptApart });
        wellFormed(d);
        if (keptApart) expect(d.allowed).toBe(false);
      }),
      { numRuns },
    );
  });

  it("lets nobody into the waiting room without agreeing to the current guidelines or with a dead link", () => {
    fc.assert(
      fc.property(session, fc.boolean(), attendee, fc.constantFrom(1, 2), fc.boolean(), (s, revoked, a, current, agreesNow) => {
        const d = decideEnterWaiting({ session: s, link: { revoked }, attendee: a, currentGuidelinesVersion: current, agreesNow });
        wellFormed(d);
        expect(d.allowed).toBe(!revoked && s.status !== "ended" && (agreesNow || a.agreedGuidelinesVersion === current));
      }),
      { numRuns },
    );
  });

  it("lets a room be recorded only when every person in it has recording consent", () => {
    const person: fc.Arbitrary<RecordingPerson> = fc.oneof(
      attendee,
      fc.record({
        kind: fc.constant("staff" as const),
        displayName: fc.constant("Sam"),
        livesWithCarer: fc.constant(false),
        consents: fc.constant([] as RecordingPerson["consents"]),
        recordingAgreed: fc.constantFrom(true, false, null),
      }),
    );
    let allowed = 0;
    fc.assert(
      fc.property(fc.array(person, { maxLength: 5 }), (people) => {
        const d = decideRecording(people);
        wellFormed(d);
        const consents = (p: (typeof people)[number]) =>
          p.kind === "member"
            ? p.consents.some((c) => c.type === "recording" && c.givenBy === (p.livesWithCarer ? "carer" : "member") && !c.withdrawn)
            : p.recordingAgreed === true;
        expect(d.allowed).toBe(people.every(consents));
        if (d.allowed) allowed++;
        const r4 = d.checks.find((c) => c.rule === "R4.consent")!;
        // Staff are told who lacks it, by name, every one of them.
        if (!d.allowed) expect(r4.code).toBe("R4.recording-consent");
        for (const p of people) if (!consents(p)) expect(r4.reason).toContain(p.displayName);
      }),
      { numRuns },
    );
    expect(allowed / numRuns).toBeGreaterThan(0.05);
  });

  it("grants members at most camera and microphone, no admin, for at most ten minutes", () => {
    fc.assert(
      fc.property(fc.uuid(), fc.string({ minLength: 1, maxLength: 20 }), fc.boolean(), (id, name, allowData) => {
        const t = attendeeToken({ attendeeId: id, displayName: name, room: "room", allowData, admissionSeq: 1 });
        expect(t.identity).toBe(id);
        expect(t.ttlSeconds).toBeLessThanOrEqual(attendeeTokenTtlSeconds);
        expect(t.grant.roomAdmin).toBe(false);
        expect(t.grant.canPublishSources.sort()).toEqual(["camera", "microphone"]);
        expect(t.grant.canPublishData).toBe(allowData);
      }),
      { numRuns: 1000 },
    );
  });
});
