// Small helpers that tell the live pages what happened, after the change has committed.
import type { Ctx } from "./context.ts";

/**
 * Someone arrived in the waiting room: their page and the console hear, and the console knocks.
 * `displayName` when the caller has it (entering does), else it is read.
 */
export async function publishArrival(ctx: Ctx, sessionId: string, attendeeId: string, displayName?: string): Promise<void> {
  const name =
    displayName ?? (await ctx.database.db.attendee.findUnique({ where: { id: attendeeId }, select: { displayName: true } }))?.displayName;
  await ctx.bus.publish({ type: "attendee.changed", sessionId, attendeeId, state: "waiting" });
  await ctx.bus.publish({
    type: "alert",
    sessionId,
    kind: "knock",
    text: `${name ?? "Someone"} is in the waiting room.`,
    attendeeId,
  });
  await ctx.bus.publish({ type: "session.changed", sessionId });
}

/** An attendee's state changed: their page re-reads it, the console refreshes. */
export async function publishChange(
  ctx: Ctx,
  sessionId: string,
  attendeeId: string,
  state: string,
  message?: string | null,
): Promise<void> {
  await ctx.bus.publish({ type: "attendee.changed", sessionId, attendeeId, state, message });
  await ctx.bus.publish({ type: "session.changed", sessionId });
}
