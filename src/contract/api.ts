// What the HTTP API answers, one schema per body: the routes declare their responses from here
// (so the OpenAPI document at /docs/json says the same), and the pages take their types from
// here (as `Wire<…>`, dates being strings once they have crossed the wire). States and kinds are
// the vocabulary's enums, never bare strings.
import { z } from "zod";
import { ruleIds } from "../policy/types.ts";
import {
  attemptOutcome,
  attendeeKind,
  attendeeState,
  audience,
  consentGiver,
  consentMethod,
  consentType,
  delivery,
  groupSchedule,
  linkKind,
  messageKind,
  messageStatus,
  recipientType,
  recordingStatus,
  role,
  sessionPlan,
  sessionStatus,
  sessionSummary,
} from "./vocabulary.ts";

/** One rule's result in a decision (the policy engine's Check). */
export const check = z.object({
  rule: z.enum(ruleIds),
  outcome: z.enum(["pass", "fail", "waived", "not_applicable"]),
  /** Stable machine code, e.g. "R2.carer-not-confirmed". */
  code: z.string(),
  /** Plain English, for staff. */
  reason: z.string(),
  /** Easy-read words for the member, on rules a member sees. */
  easyRead: z.string().optional(),
});

/** Every refusal and error: { error: { code, message, checks? } }. */
export const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), checks: z.array(check).optional() }) });
export const okBody = z.object({ ok: z.literal(true) });

export const emergencyContact = z.object({ name: z.string(), phone: z.string() });

export const staffAccount = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  roles: z.array(role),
  active: z.boolean(),
  createdAt: z.date(),
});

export const consentState = z.enum(["given", "withdrawn", "missing", "wrong-giver"]);
export const consent = z.object({
  id: z.string(),
  type: consentType,
  givenBy: consentGiver,
  carerId: z.string().nullable(),
  method: consentMethod,
  note: z.string().nullable(),
  recordedById: z.string(),
  createdAt: z.date(),
  withdrawal: z.object({ reason: z.string(), recordedById: z.string(), createdAt: z.date() }).nullable(),
});
export const member = z.object({
  id: z.string(),
  displayName: z.string(),
  livesWithCarer: z.boolean(),
  email: z.string().nullable(),
  createdAt: z.date(),
  carers: z.array(z.object({ id: z.string(), name: z.string(), email: z.string().nullable(), phone: z.string().nullable() })),
  consents: z.array(consent),
  consentState: z.object({ video: consentState, recording: consentState, "social-media": consentState }),
});

export const volunteer = z.object({ id: z.string(), displayName: z.string(), email: z.string().nullable(), createdAt: z.date() });

/** A message in the outbox, as the session's staff see it (SPEC §8: GET /api/sessions/:id/messages). */
export const outboxMessage = z.object({
  id: z.string(),
  kind: messageKind,
  /** The address it goes to; null when there is none on file (give the links another way). */
  to: z.string().nullable(),
  toName: z.string(),
  recipientType,
  sessionId: z.string().nullable(),
  attendeeId: z.string().nullable(),
  subject: z.string(),
  status: messageStatus,
  dueAt: z.date(),
  /** The first moment it may go: held until the next opening of the agreed hours. */
  notBefore: z.date(),
  sentAt: z.date().optional(),
  attempts: z.array(z.object({ at: z.date(), outcome: attemptOutcome, reply: z.string().nullable() })),
  /** The message as sent (or as it would be), its links filled in while they still work (on the session's list). */
  text: z.string(),
  links: z.array(z.object({ name: linkKind, url: z.string().nullable(), works: z.boolean() })),
});

/** Who staff contact about a member who lives with a carer (R11), with what to say. */
export const contactVia = z
  .object({ carerId: z.string(), name: z.string(), email: z.string().nullable(), phone: z.string().nullable(), guidance: z.string() })
  .nullable();

export const attendee = z.object({
  id: z.string(),
  kind: attendeeKind,
  memberId: z.string().nullable(),
  /** A volunteer on file (null for members, and for volunteers named by free text). */
  volunteerId: z.string().nullable(),
  displayName: z.string(),
  state: attendeeState,
  stateChangedAt: z.date(),
  contactVia,
  /** Shown once, when the links are issued. */
  inviteUrl: z.string().optional(),
  carerUrl: z.string().optional(),
  /** Whether admitting them now would pass every rule, with the checks (the session's view). */
  eligible: z.boolean().optional(),
  checks: z.array(check).optional(),
});

export const session = z.object({
  id: z.string(),
  title: z.string(),
  startsAt: z.date(),
  endsAt: z.date(),
  delivery,
  status: sessionStatus,
  leadStaffId: z.string(),
  secondStaffId: z.string().nullable(),
  startedAt: z.date().nullable(),
  endedAt: z.date().nullable(),
  /** The recurring group this session is an occurrence of, and its local date. */
  groupId: z.string().nullable(),
  occurrenceDate: z.string().nullable(),
  /** Cancelled before it took place (status is then ended), and why. */
  cancelledAt: z.date().nullable(),
  cancelReason: z.string().nullable(),
  waivers: z.array(z.object({ rule: z.string(), reason: z.string(), staffId: z.string(), createdAt: z.date() })),
  summary: sessionSummary.nullable(),
  attendees: z.array(attendee),
});

export const group = z.object({
  id: z.string(),
  title: z.string(),
  delivery,
  leadStaffId: z.string(),
  secondStaffId: z.string().nullable(),
  schedule: groupSchedule,
  invitationNote: z.string().nullable(),
  memberIds: z.array(z.string()),
  volunteerIds: z.array(z.string()),
  createdAt: z.date(),
});

/** A staff member's way into the room. */
export const staffToken = z.object({ session, token: z.string(), livekitUrl: z.string() });
/** R15: two people who must never be in the same session; for the DSL and admins only. */
const keptPerson = z.object({ type: z.enum(["member", "volunteer", "staff"]), id: z.string(), name: z.string() });
export const keepApart = z.object({
  id: z.string(),
  a: keptPerson,
  b: keptPerson,
  reason: z.string(),
  until: z.date().nullable(),
  createdById: z.string(),
  createdAt: z.date(),
  end: z.object({ reason: z.string(), endedById: z.string(), at: z.date() }).nullable(),
  active: z.boolean(),
});

/** A recording of a session's room (SPEC §8); `location` only for the DSL and admins. */
export const erasure = z.object({
  id: z.string(),
  subject: z.object({ type: z.enum(["member", "carer"]), id: z.string(), name: z.string().describe('"erased" once erased') }),
  origin: z.enum(["request", "retention"]),
  reason: z.string(),
  requestedById: z.string().nullable(),
  createdAt: z.date(),
  status: z.enum(["waiting", "approved", "declined"]).describe("waiting: for the DSL's answer"),
  decidedById: z.string().nullable(),
  decidedAt: z.date().nullable(),
  erasedAt: z.date().nullable(),
  summary: z.record(z.string(), z.number()).nullable().describe('What was replaced, counted by "Table.column".'),
});
export const recording = z.object({
  id: z.string(),
  sessionId: z.string(),
  egressId: z.string().nullable(),
  status: recordingStatus,
  startedById: z.string(),
  startedAt: z.date(),
  stoppedById: z.string().nullable(),
  stoppedAt: z.date().nullable(),
  stopReason: z.string().nullable(),
  error: z.string().nullable(),
  location: z.string().nullable().optional(),
});
/** Who was in the room during a recording, and whether each may be posted on social media. */
export const recordingWithPeople = recording.extend({
  people: z.array(
    z.object({ identity: z.string(), name: z.string(), staff: z.boolean(), socialMedia: z.boolean(), mayBePosted: z.string() }),
  ),
});

export const admitOutcome = z.object({ attendeeId: z.string(), displayName: z.string(), admitted: z.boolean(), checks: z.array(check) });
export const attendeeStateChange = z.object({
  attendee: z.object({ id: z.string(), state: attendeeState }),
  /** What staff should do next, in words (tell the carer why someone was removed). */
  reminder: z.string().optional(),
});
export const staffMessage = z.object({
  id: z.string(),
  text: z.string(),
  attendeeId: z.string().nullable(),
  createdAt: z.date(),
  recipients: z.array(z.string()),
});

export const settings = z.object({
  timeZone: z.string(),
  agreedHours: z.record(z.string(), z.array(z.object({ start: z.string(), end: z.string() }))),
  emergencyContact,
  carerConfirmLeadMinutes: z.number(),
  longWaitSeconds: z.number(),
  inviteDaysBefore: z.number(),
  reminderHoursBefore: z.number(),
  occurrenceWeeksAhead: z.number(),
  retentionYears: z.number().nullable(),
});
export const text = z.object({ audience, version: z.number(), lines: z.array(z.string()) });

export const concernStatus = z.enum(["open", "in-progress", "closed"]);
export const concern = z.object({
  id: z.string(),
  raisedById: z.string(),
  sessionId: z.string().nullable(),
  attendeeId: z.string().nullable(),
  memberId: z.string().nullable(),
  aboutStaffId: z.string().nullable(),
  text: z.string(),
  status: concernStatus,
  createdAt: z.date(),
  notes: z.array(
    z.object({ id: z.string(), authorId: z.string(), note: z.string(), status: concernStatus.nullable(), createdAt: z.date() }),
  ),
});

/** What a member's or carer's page is told about the session: nothing about other people. */
export const publicSession = z.object({ title: z.string(), startsAt: z.date(), endsAt: z.date(), status: sessionStatus, emergencyContact });
export const invite = z.object({
  session: publicSession,
  attendee: z.object({ id: z.string(), displayName: z.string(), state: attendeeState }),
  guidelines: z.object({ version: z.number(), lines: z.array(z.string()) }),
  agreedToCurrentGuidelines: z.boolean(),
  /** "Lee will let you in.": the lead's first name only; `photo`: theirs is at /api/join/:token/lead-photo (otherwise the page shows an icon). */
  lead: z.object({ firstName: z.string(), photo: z.boolean() }),
  /** The session's easy-read plan, if staff set one. */
  plan: sessionPlan,
  /** R4: whether the room is being recorded now; volunteers answer for themselves (asked), members' consent is on file. */
  recording: z.object({ now: z.boolean(), asked: z.boolean(), agreed: z.boolean().nullable() }),
});
export const carerConfirmation = z.object({ present: z.boolean(), at: z.date() });
export const carerLink = z.object({
  session: publicSession.extend({ delivery }),
  member: z.object({ displayName: z.string() }),
  terms: z.object({ version: z.number(), lines: z.array(z.string()) }),
  confirmation: carerConfirmation.nullable(),
  confirmOpensAt: z.date(),
  /** R4: whether the session may be recorded while the member is in it, and whether it is now. */
  recording: z.object({ mayBeRecorded: z.boolean(), now: z.boolean(), words: z.string() }),
});

/** Dates as the pages receive them: ISO strings. */
export type Wire<T> = T extends Date ? string : T extends (infer U)[] ? Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;

/** One month (and group) of the organisation's figures (GET /api/reports). */
export const reportRow = z.object({
  month: z.string(),
  groupId: z.string().nullable(),
  group: z.string(),
  sessionsHeld: z.number().int(),
  peopleCame: z.number().int(),
  medianWaitSeconds: z.number().nullable(),
  longestWaitSeconds: z.number().nullable(),
  refusalsByRule: z.record(z.string(), z.number().int()),
  staffRefusals: z.number().int(),
  r3Waivers: z.number().int(),
  helpAlerts: z.number().int(),
  keepApartRefusals: z.number().int(),
});
export const report = z.object({
  timeZone: z.string(),
  from: z.string(),
  to: z.string(),
  rows: z.array(reportRow),
  totals: z.array(reportRow),
});
