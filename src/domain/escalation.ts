// Long waits reach someone (#17.5): a person waiting in a live session for twice the long-wait
// setting, whom nobody has let in, refused or written to in that time, is escalated once per
// wait: the session's consoles get an alert, and the DSL and admins see it on the Safeguarding
// page. Read from the audit trail, whose times are the service's own clock.
import { inWaitingRoom } from "../contract/vocabulary.ts";
import type { Ctx } from "./context.ts";
import { readSettings } from "./settings.ts";
import { minutesWords } from "./words.ts";

/** Escalates every wait that has gone on too long unanswered; returns how many it escalated. */
export async function escalateLongWaits(ctx: Ctx): Promise<number> {
  const db = ctx.database.db;
  const settings = await readSettings(db);
  const cutoff = new Date(ctx.now().getTime() - 2 * settings.longWaitSeconds * 1000);
  const waiting = await db.attendee.findMany({
    where: { state: { in: [...inWaitingRoom] }, stateChangedAt: { lte: cutoff }, session: { status: "live" } },
    select: { id: true, sessionId: true, displayName: true, stateChangedAt: true },
  });
  let escalated = 0;
  for (const a of waiting) {
    const done = await ctx.transaction(async ({ tx, now, audit, lockSession }) => {
      await lockSession(a.sessionId);
      const current = await tx.attendee.findUnique({ where: { id: a.id }, select: { state: true, stateChangedAt: true } });
      // Let in, refused or moved meanwhile: a new wait (if any) starts its own clock.
      if (!current || !inWaitingRoom.includes(current.state) || current.stateChangedAt.getTime() !== a.stateChangedAt.getTime())
        return null;
      const since = { gte: a.stateChangedAt };
      const answered = await tx.auditEvent.count({
        where: {
          sessionId: a.sessionId,
          at: since,
          OR: [
            { action: "waiting.escalated", subjectId: a.id },
            // A message to them, or to everyone waiting.
            { action: "message.sent", subjectId: a.id },
            { action: "message.sent", subjectId: null },
          ],
        },
      });
      if (answered > 0) return null;
      const waitedSeconds = Math.round((now.getTime() - a.stateChangedAt.getTime()) / 1000);
      await audit.append({
        actorType: "system",
        action: "waiting.escalated",
        sessionId: a.sessionId,
        subjectId: a.id,
        data: { since: a.stateChangedAt, waitedSeconds },
      });
      return waitedSeconds;
    });
    if (done === null) continue;
    escalated++;
    await ctx.bus.publish({
      type: "alert",
      sessionId: a.sessionId,
      kind: "long-wait-escalated",
      attendeeId: a.id,
      text: `${a.displayName} has waited ${minutesWords(done)} and nobody has let them in, refused them or written to them. The safeguarding lead can see this.`,
    });
  }
  return escalated;
}

/** The escalated waits, newest first, for the DSL and admins. */
export async function listEscalations(ctx: Ctx) {
  const db = ctx.database.db;
  const events = await db.auditEvent.findMany({ where: { action: "waiting.escalated" }, orderBy: { seq: "desc" }, take: 200 });
  const attendees = await db.attendee.findMany({
    where: { id: { in: events.flatMap((e) => (e.subjectId ? [e.subjectId] : [])) } },
    select: { id: true, displayName: true, session: { select: { id: true, title: true } } },
  });
  const byId = new Map(attendees.map((a) => [a.id, a]));
  return events.map((e) => {
    const a = byId.get(e.subjectId ?? "");
    const { waitedSeconds } = JSON.parse(e.data) as { waitedSeconds: number };
    return {
      at: e.at,
      sessionId: e.sessionId,
      sessionTitle: a?.session.title ?? "",
      attendeeId: e.subjectId,
      name: a?.displayName ?? "",
      waitedSeconds,
    };
  });
}
