// The policy engine's vocabulary: the facts it is given and the decisions it returns. Pure data.

import {
  type AttendeeKind,
  type AttendeeState,
  type ConsentGiver,
  type ConsentType,
  type Delivery,
  type SessionStatus,
  type Weekday,
  weekday,
} from "../contract/vocabulary.ts";

export type { AttendeeState, SessionStatus, Weekday };
export const ruleIds = [
  "R1.waiting-room",
  "R2.carer-present",
  "R3.second-staff",
  "R4.consent",
  "R5.staff-in-room",
  "R6.agreed-hours",
  "R7.org-accounts",
  "R8.no-deletion",
  "R9.privacy",
  "R10.valid-invite",
  "R11.contact-via-carer",
  "R12.emergency-contact",
  "R13.guidelines-agreed",
  "R14.professional-tone",
  "R15.keep-apart",
] as const;
export type RuleId = (typeof ruleIds)[number];

/** The soft rules may be waived with a written reason, which is recorded. The rest are hard. */
export const softRules: ReadonlySet<RuleId> = new Set(["R3.second-staff", "R14.professional-tone"]);

export type Outcome = "pass" | "fail" | "waived" | "not_applicable";

export type Check = {
  rule: RuleId;
  outcome: Outcome;
  /** Stable machine code, e.g. "R2.carer-not-confirmed". */
  code: string;
  /** Plain English, for staff. */
  reason: string;
  /** Easy-read words for the member, on rules a member sees. */
  easyRead?: string;
};

export interface Decision {
  /** True exactly when no check fails. */
  allowed: boolean;
  /** Every rule, in rule order. */
  checks: Check[];
}

export const weekdays: readonly Weekday[] = weekday.options;
export type Interval = {
  start: string;
  end: string;
};
export interface AgreedHours {
  timeZone: string;
  days: Record<Weekday, Interval[]>;
}

export interface SessionFacts {
  status: SessionStatus;
  startsAt: Date;
  endsAt: Date;
  delivery: Delivery;
  hasSecondStaff: boolean;
  /** Whether the second member of staff's account is active (false when none is assigned). */
  secondStaffActive: boolean;
  /** Cancelled before it took place (its status is then ended). */
  cancelled?: boolean;
  /** Its room is being recorded (R4: nobody without recording consent is admitted meanwhile). */
  recording: boolean;
}

export interface StaffActor {
  staffId: string;
  active: boolean;
  isLead: boolean;
  /** Lead or second staff of this session. */
  isAssigned: boolean;
}

export interface ConsentFacts {
  type: ConsentType;
  givenBy: ConsentGiver;
  withdrawn: boolean;
}

export interface AttendeeFacts {
  kind: AttendeeKind;
  displayName: string;
  state: AttendeeState;
  livesWithCarer: boolean;
  consents: ConsentFacts[];
  /** The latest carer confirmation for this session, if any. */
  carerPresent: boolean | null;
  /** The guidelines version this person last agreed to. */
  agreedGuidelinesVersion: number | null;
  /** A volunteer's own answer, for this session, to being recorded (null: not asked yet). */
  recordingAgreed: boolean | null;
  /** R15: someone they must be kept apart from is in the room, admitted, or being let in with them. */
  keptApartPresent: boolean;
}

/** Someone in a room (or admitted to it) who would be recorded (R4). */
export interface RecordingPerson {
  kind: AttendeeKind | "staff";
  displayName: string;
  livesWithCarer: boolean;
  /** A member's consent on file (from their carer when they live with one). */
  consents: ConsentFacts[];
  /** A volunteer's or member of staff's own answer for this session (null: not asked yet). */
  recordingAgreed: boolean | null;
}

export interface LinkFacts {
  revoked: boolean;
}

export interface StartFacts {
  now: Date;
  session: SessionFacts;
  actor: StaffActor;
  waiverReason: string | null;
  agreedHours: AgreedHours;
  /** R15: the staff member must be kept apart from someone invited to the session. */
  keptApart: boolean;
}

export interface StaffJoinFacts {
  now: Date;
  session: SessionFacts;
  actor: StaffActor;
  /** R15: the staff member must be kept apart from someone invited to the session. */
  keptApart: boolean;
}

export interface EnterWaitingFacts {
  session: SessionFacts;
  link: LinkFacts;
  attendee: AttendeeFacts;
  currentGuidelinesVersion: number;
  /** The person agrees to the current guidelines with this request. */
  agreesNow: boolean;
}

/**
 * "admit": staff let a waiting person in. "connect": an admitted person's page asks for its token;
 * every rule is asked again, so a change since the admission (a carer withdrawing, staff leaving,
 * the session ending) stops the token.
 */
export type AdmitStage = "admit" | "connect";

export interface AdmitFacts {
  stage: AdmitStage;
  now: Date;
  session: SessionFacts;
  link: LinkFacts;
  attendee: AttendeeFacts;
  currentGuidelinesVersion: number;
  /** How many of the session's staff are connected to the room. */
  staffConnected: number;
  agreedHours: AgreedHours;
  /** The staff member admitting (stage "admit" only). */
  actor: StaffActor | null;
}
