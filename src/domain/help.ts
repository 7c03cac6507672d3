// "I need help" (members and volunteers, from their page or the call) and "Something is wrong"
// (carers): every console of the session hears it at once, through the bus, and keeps showing
// it until a member of staff answers; the person's pages say that staff were told, then who is
// coming. Each call and each answer is kept (append-only) and in the audit trail.

import type { Tx } from "../adapters/db/client.ts";
import { queryableOf } from "../adapters/db/driver.ts";
import { readHelp } from "../adapters/db/reads/room.ts";
import type { Ctx } from "./context.ts";
import { conflict, notFound } from "./errors.ts";
import { openLink } from "./invitee.ts";
import { assertAssigned } from "./sessions.ts";
import type { StaffView } from "./staff.ts";
import { firstName } from "./words.ts";

/** At most one alert a minute per person: a second press within it is the same call. */
const helpIntervalMs = 60_000;

export type HelpVia = "page" | "carer";

/** Asks for help for the person a link names; answers whether a new alert went out. */
export async function askForHelp(ctx: Ctx, token: string, via: HelpVia): Promise<{ alerted: boolean }> {
  const { attendee } = await openLink(ctx.database.db, token, via === "carer" ? "carer" : "invite");
  return askForHelpFor(ctx, attendee.id, via);
}

/** The same, for a waiting page whose owner is already known (its socket). */
export async function askForHelpFor(ctx: Ctx, attendeeId: string, via: HelpVia): Promise<{ alerted: boolean }> {
  const asked = await ctx.transaction(async ({ tx, now, audit, lockSession }) => {
    const attendee = await tx.attendee.findUnique({ where: { id: attendeeId }, include: { session: { select: { status: true } } } });
    if (!attendee) throw notFound("Attendee");
    if (attendee.session.status === "ended")
      throw conflict("session_ended", "The group has finished. If you need help, call the number on this page.");
    await lockSession(attendee.sessionId);
    const last = await tx.helpRequest.findFirst({ where: { attendeeId }, orderBy: { createdAt: "desc" }, include: { answer: true } });
    if (last && !last.answer && now.getTime() - last.createdAt.getTime() < helpIntervalMs) return null;
    const request = await tx.helpRequest.create({ data: { sessionId: attendee.sessionId, attendeeId, via, createdAt: now } });
    await audit.append({
      actorType: via === "carer" ? "carer" : "attendee",
      actorId: attendeeId,
      action: "help.asked",
      sessionId: attendee.sessionId,
      subjectId: attendeeId,
      data: { helpRequestId: request.id, via },
    });
    return { sessionId: attendee.sessionId, at: now };
  });
  if (!asked) return { alerted: false };
  await ctx.bus.publish({ type: "help", sessionId: asked.sessionId, attendeeId, at: asked.at.toISOString() });
  return { alerted: true };
}

/** A member of staff answers ("I will help"): every open call of the person is answered. */
export async function answerHelp(ctx: Ctx, sessionId: string, attendeeId: string, staff: StaffView): Promise<void> {
  const answered = await ctx.transaction(async ({ tx, audit, lockSession }) => {
    await lockSession(sessionId);
    const session = await tx.session.findUnique({ where: { id: sessionId }, select: { leadStaffId: true, secondStaffId: true } });
    if (!session) throw notFound("Session");
    assertAssigned(session, staff);
    const open = await tx.helpRequest.findMany({ where: { sessionId, attendeeId, answer: null } });
    if (open.length === 0) throw conflict("no_call_for_help", "Nobody is waiting for an answer: someone may have answered already.");
    for (const request of open) await tx.helpAnswer.create({ data: { helpRequestId: request.id, staffId: staff.id } });
    await audit.append({
      actorType: "staff",
      actorId: staff.id,
      action: "help.answered",
      sessionId,
      subjectId: attendeeId,
      data: { helpRequestIds: open.map((r) => r.id) },
    });
    return open.length;
  });
  if (answered) {
    await ctx.bus.publish({ type: "help.answered", sessionId, attendeeId, by: firstName(staff.name) });
    await ctx.bus.publish({ type: "session.changed", sessionId });
  }
}

/** The session's calls nobody has answered yet, oldest first (the console's banner). */
export async function openCalls(tx: Tx, sessionId: string) {
  return tx.helpRequest.findMany({ where: { sessionId, answer: null }, orderBy: { createdAt: "asc" } });
}

/** Each person's latest call, as their page shows it: sent, or answered and by whom. */
export async function helpStates(tx: Tx, attendeeIds: string[]): Promise<Map<string, { state: "sent" | "answered"; by?: string }>> {
  if (attendeeIds.length === 0) return new Map();
  const calls = await readHelp(queryableOf(tx), attendeeIds);
  const latest = new Map(calls.map((c) => [c.attendeeId, c]));
  const staffIds = [...latest.values()].flatMap((c) => (c.answer ? [c.answer.staffId] : []));
  const staff = staffIds.length ? await tx.staff.findMany({ where: { id: { in: staffIds } }, select: { id: true, name: true } }) : [];
  const names = new Map(staff.map((s) => [s.id, firstName(s.name)]));
  return new Map(
    [...latest].map(([id, c]) => [
      id,
      c.answer ? { state: "answered" as const, by: names.get(c.answer.staffId) ?? "Staff" } : { state: "sent" as const },
    ]),
  );
}
