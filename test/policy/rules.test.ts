// One table per rule of SPEC §3, covering each outcome the rule can give.
import { describe, expect, it } from "vitest";
import { windowWithinHours } from "../../src/policy/clock.ts";
import {
  decideAdmission,
  decideEnterWaiting,
  decideRecording,
  decideStaffJoin,
  decideStart,
  decideTogether,
} from "../../src/policy/engine.ts";
import { identifyingDetail } from "../../src/policy/rules/r9-privacy.ts";
import type { Check, Decision, RuleId } from "../../src/policy/types.ts";
import { ruleIds } from "../../src/policy/types.ts";
import { admit, allDay, during, lead, member, officeHours, session, start } from "./facts.ts";

function check(decision: Decision, rule: RuleId): Check {
  const found = decision.checks.find((c) => c.rule === rule);
  if (!found) throw new Error(`no ${rule}`);
  return found;
}

type Row = [label: string, decision: Decision, outcome: Check["outcome"], code: string];

function table(rule: RuleId, rows: Row[], title: string = rule) {
  describe(title, () => {
    it.each(rows)("%s", (_label, decision, outcome, code) => {
      const c = check(decision, rule);
      expect(c.outcome).toBe(outcome);
      expect(c.code).toBe(code);
      expect(c.reason.length).toBeGreaterThan(0);
      expect(decision.allowed).toBe(!decision.checks.some((x) => x.outcome === "fail"));
      if (outcome === "fail") expect(decision.allowed).toBe(false);
    });
  });
}

table("R1.waiting-room", [
  ["passes a waiting member admitted by assigned staff", decideAdmission(admit()), "pass", "R1.in-waiting-room"],
  [
    "passes a member sent back to the waiting room",
    decideAdmission(admit({ attendee: member({ state: "returned" }) })),
    "pass",
    "R1.in-waiting-room",
  ],
  [
    "fails someone who never entered the waiting room",
    decideAdmission(admit({ attendee: member({ state: "invited" }) })),
    "fail",
    "R1.not-waiting",
  ],
  [
    "fails someone already admitted (no second admission)",
    decideAdmission(admit({ attendee: member({ state: "admitted" }) })),
    "fail",
    "R1.not-waiting",
  ],
  ["fails someone refused", decideAdmission(admit({ attendee: member({ state: "refused" }) })), "fail", "R1.not-waiting"],
  [
    "fails when the admitting staff is not assigned",
    decideAdmission(admit({ actor: { ...lead, isAssigned: false, isLead: false } })),
    "fail",
    "R1.not-assigned-staff",
  ],
  ["fails when there is no admitting staff", decideAdmission(admit({ actor: null })), "fail", "R1.not-assigned-staff"],
  [
    "fails before the session is live",
    decideAdmission(admit({ session: session({ status: "scheduled" }) })),
    "fail",
    "R1.session-not-live",
  ],
  ["fails after the session ended", decideAdmission(admit({ session: session({ status: "ended" }) })), "fail", "R1.session-ended"],
  [
    "passes a token request from an admitted member",
    decideAdmission(admit({ stage: "connect", actor: null, attendee: member({ state: "admitted" }) })),
    "pass",
    "R1.admitted",
  ],
  [
    "fails a token request from a member still waiting",
    decideAdmission(admit({ stage: "connect", actor: null })),
    "fail",
    "R1.not-admitted",
  ],
  [
    "fails a token request after being sent back",
    decideAdmission(admit({ stage: "connect", actor: null, attendee: member({ state: "returned" }) })),
    "fail",
    "R1.not-admitted",
  ],
  [
    "lets assigned staff straight into a live session",
    decideStaffJoin({ now: during, session: session(), actor: lead, keptApart: false }),
    "pass",
    "R1.assigned-staff",
  ],
  [
    "keeps staff out of a session that is not live",
    decideStaffJoin({ now: during, session: session({ status: "scheduled" }), actor: lead, keptApart: false }),
    "fail",
    "R1.session-not-live",
  ],
]);

table("R2.carer-present", [
  ["passes when the carer confirmed for this session", decideAdmission(admit()), "pass", "R2.carer-confirmed"],
  ["fails when no carer confirmed", decideAdmission(admit({ attendee: member({ carerPresent: null }) })), "fail", "R2.carer-not-confirmed"],
  ["fails when the carer withdrew", decideAdmission(admit({ attendee: member({ carerPresent: false }) })), "fail", "R2.carer-withdrew"],
  [
    "does not apply to a member living independently",
    decideAdmission(
      admit({
        attendee: member({ livesWithCarer: false, carerPresent: null, consents: [{ type: "video", givenBy: "member", withdrawn: false }] }),
      }),
    ),
    "not_applicable",
    "R2.not-applicable",
  ],
  [
    "does not apply at a venue",
    decideAdmission(admit({ session: session({ delivery: "venue" }), attendee: member({ carerPresent: null }) })),
    "not_applicable",
    "R2.not-applicable",
  ],
  [
    "does not apply to a volunteer",
    decideAdmission(admit({ attendee: member({ kind: "volunteer", carerPresent: null }) })),
    "not_applicable",
    "R2.not-applicable",
  ],
]);

table("R3.second-staff", [
  ["passes with an active second member of staff", decideStart(start()), "pass", "R3.second-staff-assigned"],
  [
    "fails with no second member of staff and no reason",
    decideStart(start({ session: session({ status: "scheduled", hasSecondStaff: false, secondStaffActive: false }) })),
    "fail",
    "R3.no-second-staff",
  ],
  [
    "fails with a reason too short to be one",
    decideStart(
      start({ waiverReason: "   no   ", session: session({ status: "scheduled", hasSecondStaff: false, secondStaffActive: false }) }),
    ),
    "fail",
    "R3.no-second-staff",
  ],
  [
    "fails when the second member of staff's account is inactive",
    decideStart(start({ session: session({ status: "scheduled", secondStaffActive: false }) })),
    "fail",
    "R3.second-staff-inactive",
  ],
  [
    "is waived with a written reason",
    decideStart(
      start({
        waiverReason: "Colleague off sick today",
        session: session({ status: "scheduled", hasSecondStaff: false, secondStaffActive: false }),
      }),
    ),
    "waived",
    "R3.waived",
  ],
]);

table("R4.consent", [
  ["passes with the carer's video consent for a member who lives with a carer", decideAdmission(admit()), "pass", "R4.video-consent"],
  [
    "passes with the member's own consent when they live independently",
    decideAdmission(
      admit({ attendee: member({ livesWithCarer: false, consents: [{ type: "video", givenBy: "member", withdrawn: false }] }) }),
    ),
    "pass",
    "R4.video-consent",
  ],
  ["fails with no consent", decideAdmission(admit({ attendee: member({ consents: [] }) })), "fail", "R4.no-consent"],
  [
    "fails when consent was withdrawn",
    decideAdmission(admit({ attendee: member({ consents: [{ type: "video", givenBy: "carer", withdrawn: true }] }) })),
    "fail",
    "R4.consent-withdrawn",
  ],
  [
    "passes when consent was withdrawn and then given again",
    decideAdmission(
      admit({
        attendee: member({
          consents: [
            { type: "video", givenBy: "carer", withdrawn: true },
            { type: "video", givenBy: "carer", withdrawn: false },
          ],
        }),
      }),
    ),
    "pass",
    "R4.video-consent",
  ],
  [
    "fails with only the member's consent when they live with a carer",
    decideAdmission(admit({ attendee: member({ consents: [{ type: "video", givenBy: "member", withdrawn: false }] }) })),
    "fail",
    "R4.consent-from-wrong-person",
  ],
  [
    "fails with only the carer's consent for a member living independently",
    decideAdmission(
      admit({ attendee: member({ livesWithCarer: false, consents: [{ type: "video", givenBy: "carer", withdrawn: false }] }) }),
    ),
    "fail",
    "R4.consent-from-wrong-person",
  ],
  [
    "fails with recording consent alone",
    decideAdmission(admit({ attendee: member({ consents: [{ type: "recording", givenBy: "carer", withdrawn: false }] }) })),
    "fail",
    "R4.no-consent",
  ],
  [
    "does not apply to a volunteer",
    decideAdmission(admit({ attendee: member({ kind: "volunteer", consents: [] }) })),
    "not_applicable",
    "R4.not-applicable",
  ],
  [
    "fails while the room is recorded, for a member without recording consent",
    decideAdmission(admit({ session: session({ recording: true }) })),
    "fail",
    "R4.recording-consent",
  ],
  [
    "fails while recording, for a member whose recording consent came from the wrong person",
    decideAdmission(
      admit({
        session: session({ recording: true }),
        attendee: member({
          consents: [
            { type: "video", givenBy: "carer", withdrawn: false },
            { type: "recording", givenBy: "member", withdrawn: false },
          ],
        }),
      }),
    ),
    "fail",
    "R4.recording-consent",
  ],
  [
    "passes while recording, with the carer's video and recording consent",
    decideAdmission(
      admit({
        session: session({ recording: true }),
        attendee: member({
          consents: [
            { type: "video", givenBy: "carer", withdrawn: false },
            { type: "recording", givenBy: "carer", withdrawn: false },
          ],
        }),
      }),
    ),
    "pass",
    "R4.recording-consent-given",
  ],
  [
    "fails while recording, for a volunteer who has not said yes",
    decideAdmission(
      admit({ session: session({ recording: true }), attendee: member({ kind: "volunteer", consents: [], recordingAgreed: null }) }),
    ),
    "fail",
    "R4.recording-consent",
  ],
  [
    "passes while recording, for a volunteer who said yes",
    decideAdmission(
      admit({ session: session({ recording: true }), attendee: member({ kind: "volunteer", consents: [], recordingAgreed: true }) }),
    ),
    "pass",
    "R4.recording-consent-given",
  ],
  [
    "video consent still decides first while recording",
    decideAdmission(
      admit({
        session: session({ recording: true }),
        attendee: member({ consents: [{ type: "recording", givenBy: "carer", withdrawn: false }] }),
      }),
    ),
    "fail",
    "R4.no-consent",
  ],
]);

table(
  "R4.consent",
  [
    ["passes with nobody in the room", decideRecording([]), "pass", "R4.recording-consent-given"],
    [
      "passes when every member, volunteer and staff member consented",
      decideRecording([
        member({ consents: [{ type: "recording", givenBy: "carer", withdrawn: false }] }),
        member({ kind: "volunteer", displayName: "Vic", recordingAgreed: true }),
        { kind: "staff", displayName: "Sam", livesWithCarer: false, consents: [], recordingAgreed: true },
      ]),
      "pass",
      "R4.recording-consent-given",
    ],
    ["fails for a member with video consent only", decideRecording([member()]), "fail", "R4.recording-consent"],
    [
      "fails for a member whose recording consent was withdrawn",
      decideRecording([member({ consents: [{ type: "recording", givenBy: "carer", withdrawn: true }] })]),
      "fail",
      "R4.recording-consent",
    ],
    [
      "fails for a volunteer who said no",
      decideRecording([member({ kind: "volunteer", displayName: "Vic", recordingAgreed: false })]),
      "fail",
      "R4.recording-consent",
    ],
    [
      "fails for a member of staff who has not said yes",
      decideRecording([{ kind: "staff", displayName: "Sam", livesWithCarer: false, consents: [], recordingAgreed: null }]),
      "fail",
      "R4.recording-consent",
    ],
    [
      "social-media consent is not recording consent",
      decideRecording([member({ consents: [{ type: "social-media", givenBy: "carer", withdrawn: false }] })]),
      "fail",
      "R4.recording-consent",
    ],
  ],
  "R4.consent, starting a recording",
);

table("R15.keep-apart", [
  ["passes when nobody they must be kept apart from is near", decideAdmission(admit()), "pass", "R15.not-kept-apart"],
  [
    "refuses to admit someone while a person they must be kept apart from is in the room or admitted",
    decideAdmission(admit({ attendee: member({ keptApartPresent: true }) })),
    "fail",
    "R15.keep-apart",
  ],
  [
    "refuses the token as well, should it happen after the admission",
    decideAdmission(admit({ stage: "connect", actor: null, attendee: member({ state: "admitted", keptApartPresent: true }) })),
    "fail",
    "R15.keep-apart",
  ],
  ["stops a lead kept apart from someone invited from starting", decideStart(start({ keptApart: true })), "fail", "R15.keep-apart"],
  [
    "stops a member of staff kept apart from someone invited from joining",
    decideStaffJoin({ now: during, session: session(), actor: lead, keptApart: true }),
    "fail",
    "R15.keep-apart",
  ],
  ["refuses to put two people kept apart into one session", decideTogether(true), "fail", "R15.keep-apart"],
  ["puts people together otherwise", decideTogether(false), "pass", "R15.not-kept-apart"],
]);

describe("R15's words", () => {
  it("tell staff only that the two must be kept apart, and members that staff will talk to them", () => {
    const check = decideAdmission(admit({ attendee: member({ keptApartPresent: true }) })).checks.find((c) => c.rule === "R15.keep-apart")!;
    expect(check.reason).toBe("These two people must not be in the same session. Ask the safeguarding lead.");
    expect(check.easyRead).toBe("Staff will talk to you.");
  });
});

table("R5.staff-in-room", [
  ["passes with one staff member connected", decideAdmission(admit({ staffConnected: 1 })), "pass", "R5.staff-connected"],
  ["fails with no staff connected", decideAdmission(admit({ staffConnected: 0 })), "fail", "R5.no-staff-in-room"],
  [
    "fails for a volunteer too",
    decideAdmission(admit({ staffConnected: 0, attendee: member({ kind: "volunteer" }) })),
    "fail",
    "R5.no-staff-in-room",
  ],
]);

table("R6.agreed-hours", [
  ["passes in session time within agreed hours", decideAdmission(admit({ agreedHours: officeHours })), "pass", "R6.in-session-time"],
  [
    "fails when the session is scheduled outside agreed hours",
    decideAdmission(admit({ agreedHours: { ...officeHours, days: { ...officeHours.days, tue: [{ start: "09:00", end: "14:30" }] } } })),
    "fail",
    "R6.outside-agreed-hours",
  ],
  [
    "fails on a day with no agreed hours",
    decideAdmission(admit({ agreedHours: { ...officeHours, days: { ...officeHours.days, tue: [] } } })),
    "fail",
    "R6.outside-agreed-hours",
  ],
  ["lets the lead start 15 minutes early", decideStart(start({ now: new Date("2026-03-03T13:45:00Z") })), "pass", "R6.in-session-time"],
  ["stops a start 16 minutes early", decideStart(start({ now: new Date("2026-03-03T13:44:00Z") })), "fail", "R6.too-early"],
  ["stops a start after the end time", decideStart(start({ now: new Date("2026-03-03T15:00:00Z") })), "fail", "R6.session-over"],
  ["stops an admission after the end time", decideAdmission(admit({ now: new Date("2026-03-03T15:01:00Z") })), "fail", "R6.session-over"],
]);

table("R7.org-accounts", [
  ["passes the lead's active account", decideStart(start()), "pass", "R7.signed-in-account"],
  ["stops an inactive account", decideStart(start({ actor: { ...lead, active: false } })), "fail", "R7.account-inactive"],
  ["stops the second member of staff starting", decideStart(start({ actor: { ...lead, isLead: false } })), "fail", "R7.not-lead"],
  [
    "lets the second member of staff join",
    decideStaffJoin({ now: during, session: session(), actor: { ...lead, isLead: false }, keptApart: false }),
    "pass",
    "R7.signed-in-account",
  ],
  [
    "stops staff who are not assigned from joining",
    decideStaffJoin({ now: during, session: session(), actor: { ...lead, isLead: false, isAssigned: false }, keptApart: false }),
    "fail",
    "R7.not-assigned",
  ],
]);

table("R9.privacy", [
  ["passes a first name", decideAdmission(admit()), "pass", "R9.display-name-only"],
  [
    "fails an e-mail address",
    decideAdmission(admit({ attendee: member({ displayName: "alex@example.org" }) })),
    "fail",
    "R9.identifying-name",
  ],
  [
    "fails a phone number",
    decideAdmission(admit({ attendee: member({ displayName: "Alex 07700 900123" }) })),
    "fail",
    "R9.identifying-name",
  ],
  ["fails a postcode", decideAdmission(admit({ attendee: member({ displayName: "Alex SW1A 1AA" }) })), "fail", "R9.identifying-name"],
]);

table("R10.valid-invite", [
  ["passes a current link", decideAdmission(admit()), "pass", "R10.link-valid"],
  ["fails a reissued link", decideAdmission(admit({ link: { revoked: true } })), "fail", "R10.link-revoked"],
  [
    "fails once the session has ended",
    decideEnterWaiting({
      session: session({ status: "ended" }),
      link: { revoked: false },
      attendee: member(),
      currentGuidelinesVersion: 2,
      agreesNow: false,
    }),
    "fail",
    "R10.session-ended",
  ],
  [
    "fails a cancelled session's link, saying it was cancelled",
    decideEnterWaiting({
      session: session({ status: "ended", cancelled: true }),
      link: { revoked: true },
      attendee: member(),
      currentGuidelinesVersion: 2,
      agreesNow: false,
    }),
    "fail",
    "R10.session-cancelled",
  ],
]);

table("R13.guidelines-agreed", [
  [
    "passes when the current version was agreed",
    decideEnterWaiting({ session: session(), link: { revoked: false }, attendee: member(), currentGuidelinesVersion: 2, agreesNow: false }),
    "pass",
    "R13.agreed",
  ],
  [
    "passes when agreeing now",
    decideEnterWaiting({
      session: session(),
      link: { revoked: false },
      attendee: member({ agreedGuidelinesVersion: null }),
      currentGuidelinesVersion: 2,
      agreesNow: true,
    }),
    "pass",
    "R13.agreed",
  ],
  [
    "fails when never agreed",
    decideEnterWaiting({
      session: session(),
      link: { revoked: false },
      attendee: member({ agreedGuidelinesVersion: null }),
      currentGuidelinesVersion: 2,
      agreesNow: false,
    }),
    "fail",
    "R13.not-agreed",
  ],
  ["fails when the guidelines changed since", decideAdmission(admit({ currentGuidelinesVersion: 3 })), "fail", "R13.guidelines-changed"],
]);

describe("rules enforced outside decisions (R8, R11, R12)", () => {
  it("are named as not applicable in every decision, with a reason", () => {
    for (const decision of [decideAdmission(admit()), decideStart(start())]) {
      for (const rule of ["R8.no-deletion", "R11.contact-via-carer", "R12.emergency-contact"] as const) {
        expect(check(decision, rule)).toMatchObject({ outcome: "not_applicable" });
      }
    }
  });
});

describe("decisions", () => {
  it("list every rule, in order", () => {
    expect(decideAdmission(admit()).checks.map((c) => c.rule)).toEqual([...ruleIds]);
  });
  it("give every failing rule a member sees an easy-read reason", () => {
    const decision = decideAdmission(
      admit({ staffConnected: 0, attendee: member({ carerPresent: null, consents: [], agreedGuidelinesVersion: 1 }) }),
    );
    const failing = decision.checks.filter((c) => c.outcome === "fail");
    expect(failing.map((c) => c.rule)).toEqual(["R2.carer-present", "R4.consent", "R5.staff-in-room", "R13.guidelines-agreed"]);
    for (const c of failing) expect(c.easyRead).toMatch(/\.$/);
  });
});

describe("agreed hours in the organisation's time zone", () => {
  const hours = { ...allDay, days: { ...allDay.days, sun: [{ start: "10:00", end: "12:00" }], mon: [{ start: "22:00", end: "24:00" }] } };
  it("reads London summer time (BST) correctly", () => {
    // Sunday 5 July 2026 10:00-11:00 BST is 09:00-10:00 UTC.
    expect(windowWithinHours(new Date("2026-07-05T09:00:00Z"), new Date("2026-07-05T10:00:00Z"), hours)).toBe(true);
    expect(windowWithinHours(new Date("2026-07-05T08:30:00Z"), new Date("2026-07-05T09:30:00Z"), hours)).toBe(false);
  });
  it("allows an end at 24:00 and refuses a window crossing midnight", () => {
    // Monday 2 March 2026 22:30-24:00 GMT.
    expect(windowWithinHours(new Date("2026-03-02T22:30:00Z"), new Date("2026-03-03T00:00:00Z"), hours)).toBe(true);
    expect(windowWithinHours(new Date("2026-03-02T23:30:00Z"), new Date("2026-03-03T00:30:00Z"), hours)).toBe(false);
  });
  it("requires the whole window inside one agreed interval", () => {
    // Wednesday 4 March 2026 11:30-13:30 spans the lunch gap.
    expect(windowWithinHours(new Date("2026-03-04T11:30:00Z"), new Date("2026-03-04T13:30:00Z"), officeHours)).toBe(false);
    expect(windowWithinHours(new Date("2026-03-04T13:00:00Z"), new Date("2026-03-04T14:00:00Z"), officeHours)).toBe(true);
  });
});

describe("identifying details (R9)", () => {
  it.each([
    ["Alex", null],
    ["Sam T", null],
    ["Jo (Tuesday group)", null],
    ["jo@example.org", "an e-mail address"],
    ["Call 0161 496 0000", "a phone number"],
    ["12 Acacia Avenue", "a street address"],
    ["Jo from Hill Top School", "a school's name"],
    ["M1 1AE", "a postcode"],
  ])("%s → %s", (name, expected) => {
    expect(identifyingDetail(name)).toBe(expected);
  });
});
