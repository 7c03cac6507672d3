// Safeguarding concerns: any member of staff raises one about a session or a person, at any
// time; it reaches the DSL and is kept like a face-to-face disclosure. Follow-up notes and
// status changes are new records (R8). Staff see only the concerns they raised.

import { concernStatus } from "../contract/api.ts";
import type { Ctx } from "./context.ts";
import { forbidden, notFound } from "./errors.ts";
import { readsEveryConcern } from "./roles.ts";
import type { StaffView } from "./staff.ts";

export interface ConcernInput {
  text: string;
  sessionId?: string;
  attendeeId?: string;
  memberId?: string;
  aboutStaffId?: string;
}

type ConcernRow = {
  id: string;
  raisedById: string;
  sessionId: string | null;
  attendeeId: string | null;
  memberId: string | null;
  aboutStaffId: string | null;
  text: string;
  createdAt: Date;
  notes: { id: string; authorId: string; note: string; status: string | null; createdAt: Date }[];
};

// A status is stored as text ("in-progress" cannot be a Prisma enum value) and read back
// through the contract's enum.
function viewConcern(c: ConcernRow) {
  const notes = c.notes.map((n) => ({
    id: n.id,
    authorId: n.authorId,
    note: n.note,
    status: n.status === null ? null : concernStatus.parse(n.status),
    createdAt: n.createdAt,
  }));
  return { ...c, status: [...notes].reverse().find((n) => n.status)?.status ?? "open", notes };
}

const withNotes = { notes: { orderBy: [{ createdAt: "asc" as const }, { id: "asc" as const }] } };

export async function raiseConcern(ctx: Ctx, input: ConcernInput, staff: StaffView) {
  return ctx.transaction(async ({ tx, audit }) => {
    if (input.sessionId && !(await tx.session.findUnique({ where: { id: input.sessionId } }))) throw notFound("Session");
    if (input.memberId && !(await tx.member.findUnique({ where: { id: input.memberId } }))) throw notFound("Member");
    if (input.attendeeId && !(await tx.attendee.findUnique({ where: { id: input.attendeeId } }))) throw notFound("Attendee");
    if (input.aboutStaffId && !(await tx.staff.findUnique({ where: { id: input.aboutStaffId } }))) throw notFound("Staff account");
    const row = await tx.concern.create({ data: { ...input, raisedById: staff.id }, include: withNotes });
    await audit.append({
      actorType: "staff",
      actorId: staff.id,
      action: "concern.raised",
      sessionId: input.sessionId ?? null,
      subjectId: row.id,
      data: { attendeeId: input.attendeeId, memberId: input.memberId, aboutStaffId: input.aboutStaffId },
    });
    return viewConcern(row);
  });
}

export async function listConcerns(ctx: Ctx, staff: StaffView) {
  const rows = await ctx.database.db.concern.findMany({
    where: readsEveryConcern(staff.roles) ? {} : { raisedById: staff.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    include: withNotes,
  });
  return rows.map(viewConcern);
}

export async function getConcern(ctx: Ctx, id: string, staff: StaffView) {
  const row = await ctx.database.db.concern.findUnique({ where: { id }, include: withNotes });
  if (!row || (!readsEveryConcern(staff.roles) && row.raisedById !== staff.id)) throw notFound("Concern");
  return viewConcern(row);
}

export async function addConcernNote(ctx: Ctx, id: string, note: string, status: string | undefined, staff: StaffView) {
  if (!readsEveryConcern(staff.roles)) throw forbidden("Only the designated safeguarding lead adds follow-up to concerns.");
  return ctx.transaction(async ({ tx, audit }) => {
    if (!(await tx.concern.findUnique({ where: { id } }))) throw notFound("Concern");
    const added = await tx.concernNote.create({ data: { concernId: id, authorId: staff.id, note, status: status ?? null } });
    await audit.append({
      actorType: "staff",
      actorId: staff.id,
      action: "concern.followed_up",
      subjectId: id,
      data: { noteId: added.id, status },
    });
    return viewConcern(await tx.concern.findUniqueOrThrow({ where: { id }, include: withNotes }));
  });
}
