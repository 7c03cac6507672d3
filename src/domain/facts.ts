// Gathers the facts the policy engine decides on, inside the caller's transaction, once per
// decision. The session row is locked first, so that a decision and a concurrent end (or another
// decision for the same session) never interleave.
import type { Tx } from "../adapters/db/client.ts";
import type { Provider } from "../adapters/db/schemas.ts";
import type { AdmitFacts, AdmitStage, AttendeeFacts, AttendeeState, LinkFacts, SessionFacts, StaffActor } from "../policy/types.ts";
import { staffConnected } from "./attendance.ts";
import type { Ctx } from "./context.ts";
import { notFound } from "./errors.ts";
import { consentFacts } from "./members.ts";
import { agreedHoursOf, currentText, readSettings } from "./settings.ts";
import type { StaffView } from "./staff.ts";

export async function lockSession(tx: Tx, provider: Provider, sessionId: string): Promise<void> {
  // SQLite transactions already hold the single write lock (the adapter serialises them).
  if (provider === "postgresql") await tx.$queryRaw`SELECT id FROM "Session" WHERE id = ${sessionId} FOR UPDATE`;
}

export const sessionInclude = { lead: true, second: true } as const;

type SessionRow = {
  id: string;
  status: string;
  startsAt: Date;
  endsAt: Date;
  delivery: string;
  leadStaffId: string;
  secondStaffId: string | null;
  second: { active: boolean } | null;
};

export function sessionFacts(s: SessionRow): SessionFacts {
  return {
    status: s.status as SessionFacts["status"],
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    delivery: s.delivery as SessionFacts["delivery"],
    hasSecondStaff: s.secondStaffId !== null,
    secondStaffActive: s.second?.active ?? false,
  };
}

export function staffActor(staff: StaffView, s: Pick<SessionRow, "leadStaffId" | "secondStaffId">): StaffActor {
  const isLead = s.leadStaffId === staff.id;
  return { staffId: staff.id, active: staff.active, isLead, isAssigned: isLead || s.secondStaffId === staff.id };
}

const attendeeInclude = {
  session: { include: sessionInclude },
  member: { include: { consents: { include: { withdrawal: true } } } },
  confirmations: { orderBy: [{ createdAt: "desc" as const }, { id: "desc" as const }], take: 1 },
  links: { where: { kind: "invite" }, orderBy: [{ createdAt: "desc" as const }, { id: "desc" as const }], take: 1 },
};

export async function findAttendee(tx: Tx, attendeeId: string) {
  const row = await tx.attendee.findUnique({ where: { id: attendeeId }, include: attendeeInclude });
  if (!row) throw notFound("Attendee");
  return row;
}

export type AttendeeRow = Awaited<ReturnType<typeof findAttendee>>;

async function agreedVersion(tx: Tx, a: AttendeeRow): Promise<number | null> {
  // A member's agreement carries over to their other sessions; a volunteer's is per invite.
  const latest = await tx.guidelinesAgreement.findFirst({
    where: a.memberId ? { memberId: a.memberId } : { attendeeId: a.id },
    orderBy: { version: "desc" },
  });
  return latest?.version ?? null;
}

export async function attendeeFacts(tx: Tx, a: AttendeeRow): Promise<AttendeeFacts> {
  return {
    kind: a.kind as AttendeeFacts["kind"],
    displayName: a.displayName,
    state: a.state as AttendeeState,
    livesWithCarer: a.member?.livesWithCarer ?? false,
    consents: consentFacts(a.member?.consents ?? []),
    carerPresent: a.confirmations[0]?.present ?? null,
    agreedGuidelinesVersion: await agreedVersion(tx, a),
  };
}

/** The link facts of the link in hand, or of the attendee's current invite link. */
export function linkFacts(a: AttendeeRow, link?: { revokedAt: Date | null }): LinkFacts {
  const current = link ?? a.links[0];
  return { revoked: !current || current.revokedAt !== null };
}

export async function gatherAdmitFacts(
  ctx: Ctx,
  tx: Tx,
  a: AttendeeRow,
  stage: AdmitStage,
  actor: StaffActor | null,
  link?: { revokedAt: Date | null },
): Promise<AdmitFacts> {
  const [settings, guidelines, attendee, connected] = await Promise.all([
    readSettings(tx),
    currentText(tx, "member"),
    attendeeFacts(tx, a),
    staffConnected(tx, a.session),
  ]);
  return {
    stage,
    now: ctx.now(),
    session: sessionFacts(a.session),
    link: linkFacts(a, link),
    attendee,
    currentGuidelinesVersion: guidelines.version,
    staffConnected: connected,
    agreedHours: agreedHoursOf(settings),
    actor,
  };
}
