// Subject access (UK GDPR, article 15): everything the service holds about one member, or one
// carer, as JSON, for the DSL or an admin to review and hand over. Safeguarding records (concerns,
// keep-apart entries) are included and marked: the reviewer decides what may be disclosed (the
// exemptions for serious harm and other people's data are theirs to apply). Other people appear
// only by id. Personal links never appear: stored messages hold placeholders, and the database
// holds only hashes of tokens (R10).
import type { Ctx } from "./context.ts";
import { notFound } from "./errors.ts";
import type { StaffView } from "./staff.ts";

const reviewNote =
  "Review before disclosure: the safeguarding section may hold information whose disclosure could cause serious harm, or other people's data (they appear by id only).";

/** Every row about the member: their record, carers, consents, sessions and decisions, messages, and the trail. */
export async function memberExport(ctx: Ctx, memberId: string, by: StaffView) {
  const db = ctx.database.db;
  const member = await db.member.findUnique({
    where: { id: memberId },
    include: { carers: true, consents: { include: { withdrawal: true } } },
  });
  if (!member) throw notFound("Member");
  const attendees = await db.attendee.findMany({
    where: { memberId },
    include: {
      session: { select: { id: true, title: true, startsAt: true, endsAt: true, delivery: true, status: true, cancelledAt: true } },
      confirmations: true,
      agreements: true,
      decisions: true,
      links: { select: { id: true, kind: true, createdAt: true, revokedAt: true, revokedReason: true } },
    },
    orderBy: { createdAt: "asc" },
  });
  const attendeeIds = attendees.map((a) => a.id);
  const [attendance, help, recordingAgreements, seen, messages, concerns, keepApart, trail] = await Promise.all([
    db.attendance.findMany({ where: { attendeeId: { in: attendeeIds } }, orderBy: { at: "asc" } }),
    db.helpRequest.findMany({ where: { attendeeId: { in: attendeeIds } }, include: { answer: true } }),
    db.recordingAgreement.findMany({ where: { attendeeId: { in: attendeeIds } } }),
    db.waitingSeen.findMany({ where: { attendeeId: { in: attendeeIds } } }),
    db.outboxMessage.findMany({
      where: { attendeeId: { in: attendeeIds } },
      select: messageFields,
      orderBy: { createdAt: "asc" },
    }),
    db.concern.findMany({ where: { memberId }, include: { notes: true } }),
    db.keepApart.findMany({
      where: {
        OR: [
          { aType: "member", aId: memberId },
          { bType: "member", bId: memberId },
        ],
      },
      include: { end: true },
    }),
    db.auditEvent.findMany({
      where: { OR: [{ subjectId: { in: [memberId, ...attendeeIds] } }, { actorId: { in: attendeeIds } }] },
      orderBy: { seq: "asc" },
      select: auditFields,
    }),
  ]);
  return {
    ...(await recordExport(ctx, by, "member", memberId)),
    member,
    sessions: attendees.map((a) => ({
      ...a,
      attendance: attendance.filter((x) => x.attendeeId === a.id),
      helpRequests: help.filter((x) => x.attendeeId === a.id),
      recordingAnswers: recordingAgreements.filter((x) => x.attendeeId === a.id),
      seenWaiting: seen.filter((x) => x.attendeeId === a.id),
    })),
    messages,
    safeguarding: { concerns, keepApart },
    auditTrail: trail,
  };
}

/** Every row about the carer: their record, whom they care for, their confirmations and the messages to them. */
export async function carerExport(ctx: Ctx, carerId: string, by: StaffView) {
  const db = ctx.database.db;
  const carer = await db.carer.findUnique({ where: { id: carerId } });
  if (!carer) throw notFound("Carer");
  const [consentsGiven, messages] = await Promise.all([
    db.consent.findMany({ where: { carerId }, include: { withdrawal: true } }),
    db.outboxMessage.findMany({
      where: { recipientType: "carer", recipientId: carerId },
      select: messageFields,
      orderBy: { createdAt: "asc" },
    }),
  ]);
  // Confirmations are made through the carer link of each session of the member they care for.
  const carerLinks = await db.link.findMany({ where: { kind: "carer", attendee: { memberId: carer.memberId } }, select: { id: true } });
  const linkIds = carerLinks.map((l) => l.id);
  const [confirmations, trail] = await Promise.all([
    db.carerConfirmation.findMany({ where: { linkId: { in: linkIds } }, orderBy: { createdAt: "asc" } }),
    db.auditEvent.findMany({
      where: { OR: [{ subjectId: carerId }, { actorType: "carer", actorId: { in: linkIds } }] },
      orderBy: { seq: "asc" },
      select: auditFields,
    }),
  ]);
  return {
    ...(await recordExport(ctx, by, "carer", carerId)),
    carer,
    caresFor: { memberId: carer.memberId },
    consentsGiven,
    confirmations,
    messages,
    auditTrail: trail,
  };
}

/** Who exported whose data, and when, is itself kept; the export's heading says what it is. */
async function recordExport<T extends "member" | "carer">(ctx: Ctx, by: StaffView, type: T, id: string) {
  await ctx.transaction(({ audit }) =>
    audit.append({ actorType: "staff", actorId: by.id, action: "subject_access.exported", subjectId: id, data: { type } }),
  );
  return { subject: { type, id }, exportedAt: ctx.now(), note: reviewNote };
}

/** An audit event as the trail's readers see it (its hashes are for verifying, not about the person). */
const auditFields = {
  seq: true,
  at: true,
  actorType: true,
  actorId: true,
  action: true,
  sessionId: true,
  subjectId: true,
  data: true,
} as const;

/** A stored message as it was composed: links are placeholders; the sealed tokens stay out. */
const messageFields = {
  id: true,
  kind: true,
  sessionId: true,
  recipientType: true,
  recipientId: true,
  toName: true,
  toAddress: true,
  subject: true,
  text: true,
  dueAt: true,
  createdAt: true,
  attempts: { select: { outcome: true, reply: true, at: true } },
} as const;
