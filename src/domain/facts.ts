// Gathers the facts the policy engine decides on, inside the caller's transaction, once per
// decision. The session row is locked first, so that a decision and a concurrent end (or another
// decision for the same session) never interleave.
import type { AnyTx, Tx } from "../adapters/db/client.ts";
import { queryableOf } from "../adapters/db/driver.ts";
import { readAttendees } from "../adapters/db/reads/attendees.ts";
import { readSharedFacts, type SharedFacts } from "../adapters/db/reads/decision.ts";
import { readAgreements, readRecordingAnswers, readRecordingSessions } from "../adapters/db/reads/shared.ts";
import {
  type ConsentGiver,
  consentTypeOf,
  type Delivery,
  recordingOn,
  type SessionStatus,
  type StoredConsentType,
} from "../contract/vocabulary.ts";
import type { AdmitFacts, AdmitStage, AttendeeFacts, ConsentFacts, LinkFacts, SessionFacts, StaffActor } from "../policy/types.ts";
import { presentFrom, staffAmong } from "./attendance.ts";
import { notFound } from "./errors.ts";
import { keepApartIdsOf, keptApartPresent } from "./keep-apart.ts";
import { agreedHoursOf, settingsId, settingsView, textVersion } from "./settings.ts";
import type { StaffView } from "./staff.ts";
import type { BareUow } from "./unit-of-work.ts";

/** Only what decisions and pages need of the two staff (never their password hashes). */
const staffSummary = { select: { id: true, name: true, active: true } } as const;
export const sessionInclude = { lead: staffSummary, second: staffSummary } as const;

type SessionRow = {
  id: string;
  status: SessionStatus;
  startsAt: Date;
  endsAt: Date;
  delivery: Delivery;
  leadStaffId: string;
  secondStaffId: string | null;
  second: { active: boolean } | null;
  cancelledAt: Date | null;
};

/** The consent facts the policy engine reads. */
export function consentFacts(consents: { type: StoredConsentType; givenBy: ConsentGiver; withdrawal: object | null }[]): ConsentFacts[] {
  return consents.map((c) => ({
    type: consentTypeOf(c.type),
    givenBy: c.givenBy,
    withdrawn: c.withdrawal !== null,
  }));
}

/** Only admission reads `recording`: gatherAdmitFactsMany reads it and passes it on. */
export function sessionFacts(s: SessionRow, recording = false): SessionFacts {
  return {
    status: s.status,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    delivery: s.delivery,
    hasSecondStaff: s.secondStaffId !== null,
    secondStaffActive: s.second?.active ?? false,
    cancelled: s.cancelledAt !== null,
    recording,
  };
}

export function staffActor(staff: StaffView, s: Pick<SessionRow, "leadStaffId" | "secondStaffId">): StaffActor {
  // Only an account with the staff role acts as the session's staff (an admin-only account is not staff).
  const acts = staff.roles.includes("staff");
  const isLead = acts && s.leadStaffId === staff.id;
  return { staffId: staff.id, active: staff.active, isLead, isAssigned: isLead || (acts && s.secondStaffId === staff.id) };
}

const attendeeInclude = {
  session: { include: sessionInclude },
  member: { include: { consents: { include: { withdrawal: true }, orderBy: [{ createdAt: "asc" as const }, { id: "asc" as const }] } } },
  confirmations: { orderBy: [{ createdAt: "desc" as const }, { id: "desc" as const }], take: 1 },
  links: { where: { kind: "invite" as const }, orderBy: [{ createdAt: "desc" as const }, { id: "desc" as const }], take: 1 },
};

/**
 * People with everything their decisions read, through Prisma: the reference for the read the
 * service runs (`findAttendees`, written by hand: two statements instead of nine, and none through
 * Prisma's interpreter). test/adapters/db/reads.test.ts holds the two equal.
 */
export function findAttendeesThroughPrisma(tx: Tx, ids: string[]) {
  return tx.attendee.findMany({
    where: { id: { in: ids } },
    include: attendeeInclude,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
}

export type AttendeeRow = Awaited<ReturnType<typeof findAttendeesThroughPrisma>>[number];

/** The people with these ids (those that exist), oldest first, with what their decisions read. */
export async function findAttendees(tx: AnyTx, ids: string[]): Promise<AttendeeRow[]> {
  return (await readAttendees(queryableOf(tx), ids)) as AttendeeRow[];
}

export async function findAttendee(tx: AnyTx, attendeeId: string): Promise<AttendeeRow> {
  const [row] = await findAttendees(tx, [attendeeId]);
  if (!row) throw notFound("Attendee");
  return row;
}

/** Whose agreements say which version each person agreed to: their member's, or (a volunteer's) their own. */
function agreementAsk(rows: AttendeeRow[]) {
  return {
    memberIds: rows.flatMap((r) => (r.memberId ? [r.memberId] : [])),
    attendeeIds: rows.filter((r) => !r.memberId).map((r) => r.id),
  };
}

/**
 * The newest guidelines version each person agreed to. A member's agreement carries over to
 * their other sessions; a volunteer's is per invite.
 */
async function agreedVersions(tx: AnyTx, rows: AttendeeRow[]): Promise<Map<string, number | null>> {
  const { memberIds, attendeeIds } = agreementAsk(rows);
  return newestAgreed(rows, await readAgreements(queryableOf(tx), memberIds, attendeeIds));
}

function newestAgreed(rows: AttendeeRow[], agreements: SharedFacts["agreements"]): Map<string, number | null> {
  const newest = new Map<string, number>();
  for (const a of agreements) {
    const key = a.memberId ?? a.attendeeId;
    newest.set(key, Math.max(newest.get(key) ?? 0, a.version));
  }
  return new Map(rows.map((r) => [r.id, newest.get(r.memberId ?? r.id) ?? null]));
}

/** Whether each session's room is being recorded now (or may be: a recording not yet ended). */
export async function sessionsRecording(tx: AnyTx, sessionIds: string[]): Promise<Set<string>> {
  return readRecordingSessions(queryableOf(tx), sessionIds, recordingOn);
}

export async function recordingIsOn(tx: AnyTx, sessionId: string): Promise<boolean> {
  return (await sessionsRecording(tx, [sessionId])).has(sessionId);
}

/**
 * Each volunteer's (by attendee id) and member of staff's (by staff id) newest answer, for this
 * session, to being recorded. Nobody asked is absent.
 */
export async function recordingAnswers(
  tx: AnyTx,
  sessionId: string,
  who: { attendeeIds?: string[]; staffIds?: string[] },
): Promise<Map<string, boolean>> {
  const { attendeeIds = [], staffIds = [] } = who;
  if (attendeeIds.length + staffIds.length === 0) return new Map();
  const rows = await readRecordingAnswers(queryableOf(tx), sessionId, attendeeIds, staffIds);
  return new Map(rows.map((r) => [(r.attendeeId ?? r.staffId)!, r.agreed]));
}

/** Admission (gatherAdmitFactsMany) reads every fact; entering the waiting room reads neither of the last two. */
function attendeeFactsOf(
  a: AttendeeRow,
  agreedGuidelinesVersion: number | null,
  recordingAgreed: boolean | null = null,
  keptApartPresent = false,
): AttendeeFacts {
  return {
    kind: a.kind,
    displayName: a.displayName,
    state: a.state,
    livesWithCarer: a.member?.livesWithCarer ?? false,
    consents: consentFacts(a.member?.consents ?? []),
    carerPresent: a.confirmations[0]?.present ?? null,
    agreedGuidelinesVersion,
    recordingAgreed,
    keptApartPresent,
  };
}

export async function attendeeFacts(tx: AnyTx, a: AttendeeRow): Promise<AttendeeFacts> {
  return attendeeFactsOf(a, (await agreedVersions(tx, [a])).get(a.id) ?? null);
}

/** A link as the decisions need it: which it is, what kind, and whether it was revoked. */
export type LinkInHand = { id: string; kind: string; revokedAt: Date | null };

/**
 * The link facts of the link in hand, or of the attendee's current invite link (`a.links[0]`, the
 * newest). The link in hand is read before its session is locked and the attendee after, so a
 * revocation that commits in between shows only in the attendee's read: an invite link in hand
 * that is the newest counts as that newer read has it, and one that is not the newest counts as
 * revoked (new invite links are issued only after every earlier one is revoked: sessions.ts's
 * reissue; a session's end or cancellation revokes them all).
 */
export function linkFacts(a: AttendeeRow, link?: LinkInHand): LinkFacts {
  const current = a.links[0];
  if (!link) return { revoked: !current || current.revokedAt !== null };
  if (link.kind !== "invite") return { revoked: link.revokedAt !== null };
  return { revoked: link.revokedAt !== null || current?.id !== link.id || current.revokedAt !== null };
}

/** Items grouped by session, in the order each session first appears. */
function bySession<T>(items: T[], sessionOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(sessionOf(item));
    if (group) group.push(item);
    else groups.set(sessionOf(item), [item]);
  }
  return [...groups.values()];
}

/**
 * The facts for admitting several people of one session, with the shared facts (settings,
 * guidelines, staff in the room, agreements) read once. `linkFor` gives the link in hand, when a
 * person asks with their own link; otherwise each person's current invite link is judged.
 */
export async function gatherAdmitFactsMany(
  { tx, now }: Pick<BareUow, "tx" | "now">,
  rows: AttendeeRow[],
  stage: AdmitStage,
  actorFor: (a: AttendeeRow, index: number) => StaffActor | null,
  linkFor: (a: AttendeeRow, index: number) => LinkInHand | undefined = () => undefined,
): Promise<AdmitFacts[]> {
  const first = rows[0];
  if (!first) return [];
  if (rows.some((r) => r.sessionId !== first.sessionId)) throw new Error("gatherAdmitFactsMany: one session at a time");
  // The shared facts in one read (one round trip on PostgreSQL); the rest one after another: a
  // transaction is one connection, which runs one query at a time (pg warns about overlapping
  // queries on one client, and its next major version refuses them).
  const shared = await readSharedFacts(queryableOf(tx), {
    settingsId,
    audience: "member",
    ...agreementAsk(rows),
    sessionId: first.sessionId,
    statuses: recordingOn,
    personIds: keepApartIdsOf(rows),
    now,
  });
  const settings = settingsView(shared.settings);
  const guidelines = textVersion("member", shared.text);
  const agreed = newestAgreed(rows, shared.agreements);
  const present = presentFrom(shared.presence);
  const connected = staffAmong(present, first.session);
  const { recording } = shared;
  const volunteers = rows.filter((r) => r.kind === "volunteer").map((r) => r.id);
  const answers = await recordingAnswers(tx, first.sessionId, { attendeeIds: volunteers });
  const apart = await keptApartPresent(tx, first.sessionId, rows, present, shared.keepApart);
  return rows.map((a, i) => ({
    stage,
    now,
    session: sessionFacts(a.session, recording),
    link: linkFacts(a, linkFor(a, i)),
    attendee: attendeeFactsOf(a, agreed.get(a.id) ?? null, answers.get(a.id) ?? null, apart.get(a.id) ?? false),
    currentGuidelinesVersion: guidelines.version,
    staffConnected: connected,
    agreedHours: agreedHoursOf(settings),
    actor: actorFor(a, i),
  }));
}

/**
 * The admission facts of people from any number of sessions, in the order given, the shared
 * facts read once per session. Each item is judged on its own link and actor: an old link and a
 * new one of the same person differ.
 */
export async function gatherAdmitFactsEach<T extends { attendee: AttendeeRow }>(
  uow: Pick<BareUow, "tx" | "now">,
  items: T[],
  stage: AdmitStage,
  actorFor: (item: T) => StaffActor | null,
  linkFor?: (item: T) => LinkInHand,
): Promise<AdmitFacts[]> {
  const facts: AdmitFacts[] = [];
  for (const group of bySession(
    items.map((item, index) => ({ item, index })),
    (g) => g.item.attendee.sessionId,
  )) {
    const gathered = await gatherAdmitFactsMany(
      uow,
      group.map((g) => g.item.attendee),
      stage,
      (_a, i) => actorFor(group[i]!.item),
      linkFor && ((_a, i) => linkFor(group[i]!.item)),
    );
    for (const [i, g] of group.entries()) facts[g.index] = gathered[i]!;
  }
  return facts;
}
