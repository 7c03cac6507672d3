// The words the service is built from, typed once: the states and kinds stored in the database
// (the same values as prisma/models.prisma's enums), and the shapes of its structured values.
// The policy engine, the domain, the routes' schemas and the pages all take them from here.
import { z } from "zod";

export const attendeeState = z.enum(["invited", "waiting", "away", "admitted", "refused", "returned", "removed", "ended"]);
export const attendeeKind = z.enum(["member", "volunteer"]);
export const delivery = z.enum(["home", "venue"]);
export const sessionStatus = z.enum(["scheduled", "live", "ended"]);
export const consentType = z.enum(["video", "recording", "social-media"]);
export const consentGiver = z.enum(["carer", "member"]);
export const consentMethod = z.enum(["written", "verbal", "online"]);
export const audience = z.enum(["member", "carer"]);
export const linkKind = z.enum(["invite", "carer"]);
export const decisionAction = z.enum(["admit", "denied", "refuse", "return", "remove"]);
export const role = z.enum(["staff", "dsl", "admin"]);
export const recordingStatus = z.enum(["requested", "starting", "active", "ending", "complete", "failed"]);

export type AttendeeState = z.infer<typeof attendeeState>;
export type AttendeeKind = z.infer<typeof attendeeKind>;
export type Delivery = z.infer<typeof delivery>;
export type SessionStatus = z.infer<typeof sessionStatus>;
export type ConsentType = z.infer<typeof consentType>;
export type ConsentGiver = z.infer<typeof consentGiver>;
export type ConsentMethod = z.infer<typeof consentMethod>;
export type Audience = z.infer<typeof audience>;
export type LinkKind = z.infer<typeof linkKind>;
export type DecisionAction = z.infer<typeof decisionAction>;
export type Role = z.infer<typeof role>;
export type RecordingStatus = z.infer<typeof recordingStatus>;

/** A recording in these states may be writing the room: until LiveKit says it ended (R4). */
export const recordingOn: readonly RecordingStatus[] = ["requested", "starting", "active", "ending"];

/**
 * Prisma names enum values with identifiers: the consent type "social-media" is stored as that
 * text but is `social_media` in the generated client. These two translate at the database's edge.
 */
export type StoredConsentType = "video" | "recording" | "social_media";
export const storedConsentType = (t: ConsentType): StoredConsentType => (t === "social-media" ? "social_media" : t);
export const consentTypeOf = (t: StoredConsentType): ConsentType => (t === "social_media" ? "social-media" : t);

/** People in the waiting room (the list staff admit from). */
export const inWaitingRoom: readonly AttendeeState[] = ["waiting", "returned"];

export const weekday = z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);
export type Weekday = z.infer<typeof weekday>;

/** Agreed hours as stored: for each day of the week, intervals "HH:MM" to "HH:MM" (R6). */
export const agreedDays = z.record(weekday, z.array(z.object({ start: z.string(), end: z.string() })));
export type AgreedDays = z.infer<typeof agreedDays>;

/** An easy-read text as stored: its sentences in order (group guidelines, carer terms). */
export const textLines = z.array(z.string());

/** What staff see about a session that has ended, written when it ends. */
export const sessionSummary = z.object({
  startedAt: z.coerce.date().nullable(),
  endedAt: z.coerce.date(),
  attendees: z.array(
    z.object({ id: z.string(), displayName: z.string(), kind: attendeeKind, finalState: attendeeState, admissions: z.number() }),
  ),
});
export type SessionSummary = z.infer<typeof sessionSummary>;

/**
 * The outbox (SPEC §8). Kinds and attempt outcomes are text columns checked here (kinds have
 * hyphens, which Prisma's enums cannot hold); a message's status is derived from its attempts.
 */
export const messageKind = z.enum(["invitation", "reminder", "changed", "cancelled", "link-reissued"]);
export type MessageKind = z.infer<typeof messageKind>;
export const messageStatus = z.enum(["queued", "waiting-for-hours", "sent", "failed", "not-sent"]);
export type MessageStatus = z.infer<typeof messageStatus>;
export const recipientType = z.enum(["carer", "member", "volunteer"]);
export type RecipientType = z.infer<typeof recipientType>;
/** sending: claimed by an instance until retryAt; retry: a temporary failure, tried again at retryAt. */
export const attemptOutcome = z.enum(["sending", "sent", "retry", "failed", "expired", "skipped"]);
export type AttemptOutcome = z.infer<typeof attemptOutcome>;
/** The personal links a queued message names, each token sealed (OutboxMessage.links). */
export const sealedLinks = z.array(z.object({ name: linkKind, linkId: z.string(), sealed: z.string() }));

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date, YYYY-MM-DD");
const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time, HH:MM");
/** When a recurring group meets, in the organisation's time zone (Group.schedule). */
export const groupSchedule = z
  .object({
    weekday,
    start: localTime,
    end: localTime,
    everyWeeks: z.number().int().min(1).max(8).default(1),
    from: localDate,
    until: localDate.optional(),
  })
  .refine((s) => s.start < s.end, { message: "must end after it starts, on the same day", path: ["end"] })
  .refine((s) => !s.until || s.until >= s.from, { message: "must not be before from", path: ["until"] });
export type GroupSchedule = z.infer<typeof groupSchedule>;

/** The pictures a session's easy-read plan can use, one per step (a fixed set the pages draw). */
export const planIcon = z.enum(["hello", "talk", "make", "music", "move", "break", "goodbye"]);
/** An easy-read plan of a session as stored: at most six steps, each a few words and a picture. */
export const sessionPlan = z.array(z.object({ text: z.string().trim().min(1).max(60), icon: planIcon })).max(6);
export type SessionPlan = z.infer<typeof sessionPlan>;
