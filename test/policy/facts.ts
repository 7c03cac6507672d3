// Fact builders for engine tests: a member who passes every rule, to be varied one fact at a time.
import type { AdmitFacts, AgreedHours, AttendeeFacts, SessionFacts, StaffActor, StartFacts } from "../../src/policy/types.ts";

export const allDay: AgreedHours = {
  timeZone: "Europe/London",
  days: {
    mon: [{ start: "00:00", end: "24:00" }],
    tue: [{ start: "00:00", end: "24:00" }],
    wed: [{ start: "00:00", end: "24:00" }],
    thu: [{ start: "00:00", end: "24:00" }],
    fri: [{ start: "00:00", end: "24:00" }],
    sat: [{ start: "00:00", end: "24:00" }],
    sun: [{ start: "00:00", end: "24:00" }],
  },
};

export const officeHours: AgreedHours = {
  timeZone: "Europe/London",
  days: {
    mon: [{ start: "09:00", end: "17:00" }],
    tue: [{ start: "09:00", end: "17:00" }],
    wed: [
      { start: "09:00", end: "12:00" },
      { start: "13:00", end: "17:00" },
    ],
    thu: [{ start: "09:00", end: "17:00" }],
    fri: [{ start: "09:00", end: "17:00" }],
    sat: [],
    sun: [],
  },
};

// Tuesday 3 March 2026, 14:00 to 15:00 London (GMT).
export const startsAt = new Date("2026-03-03T14:00:00Z");
export const endsAt = new Date("2026-03-03T15:00:00Z");
export const during = new Date("2026-03-03T14:10:00Z");

export function session(over: Partial<SessionFacts> = {}): SessionFacts {
  return { status: "live", startsAt, endsAt, delivery: "home", hasSecondStaff: true, secondStaffActive: true, recording: false, ...over };
}

export function member(over: Partial<AttendeeFacts> = {}): AttendeeFacts {
  return {
    kind: "member",
    displayName: "Alex",
    state: "waiting",
    livesWithCarer: true,
    consents: [{ type: "video", givenBy: "carer", withdrawn: false }],
    carerPresent: true,
    agreedGuidelinesVersion: 2,
    recordingAgreed: null,
    keptApartPresent: false,
    ...over,
  };
}

export const lead: StaffActor = { staffId: "s1", active: true, isLead: true, isAssigned: true };

export function admit(over: Partial<AdmitFacts> = {}): AdmitFacts {
  return {
    stage: "admit",
    now: during,
    session: session(),
    link: { revoked: false },
    attendee: member(),
    currentGuidelinesVersion: 2,
    staffConnected: 1,
    agreedHours: allDay,
    actor: lead,
    ...over,
  };
}

export function start(over: Partial<StartFacts> = {}): StartFacts {
  return {
    now: new Date("2026-03-03T13:50:00Z"),
    session: session({ status: "scheduled" }),
    actor: lead,
    waiverReason: null,
    agreedHours: allDay,
    keptApart: false,
    ...over,
  };
}
