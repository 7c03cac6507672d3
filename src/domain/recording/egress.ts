// A recording's row following LiveKit's egress, and stopping one. The lowest layer of recording:
// ending a session uses it, so it knows nothing of sessions or the policy engine.
import type { Tx } from "../../adapters/db/client.ts";
import type { Egress } from "../../adapters/livekit/egress.ts";
import { recordingOn } from "../../contract/vocabulary.ts";
import type { Ctx } from "../context.ts";
import type { Uow } from "../unit-of-work.ts";

export type RecordingRow = NonNullable<Awaited<ReturnType<Tx["recording"]["findFirst"]>>>;

/** The session's recording that may be writing the room now, if any. */
export function currentRecording(tx: Tx, sessionId: string): Promise<RecordingRow | null> {
  return tx.recording.findFirst({ where: { sessionId, status: { in: [...recordingOn] } }, orderBy: { startedAt: "desc" } });
}

/**
 * Marks a recording as asked to stop, with who asked (null: the service) and why, in the caller's
 * transaction; `stopEgresses` then asks LiveKit. Returns false when it was already asked.
 */
export async function markStopping({ tx, now, audit }: Uow, rec: RecordingRow, by: string | null, reason: string): Promise<boolean> {
  if (rec.stoppedAt) return false;
  await tx.recording.update({ where: { id: rec.id }, data: { stoppedAt: now, stoppedById: by, stopReason: reason } });
  await audit.append({
    actorType: by ? "staff" : "system",
    actorId: by,
    action: "recording.stop",
    sessionId: rec.sessionId,
    subjectId: rec.id,
    data: { recordingId: rec.id, egressId: rec.egressId },
  });
  return true;
}

/**
 * Records what LiveKit says of an egress (from its answer, a webhook or ListEgress). A state
 * never goes backwards: a late "active" does not undo "complete". Returns the row when it changed.
 */
export async function applyEgress(uow: Uow, stale: RecordingRow, egress: Egress): Promise<RecordingRow | null> {
  const { tx, audit } = uow;
  // LiveKit's answer and its webhook about the same change can arrive together: under the
  // session's lock, each reads the row the other left.
  await uow.lockSession(stale.sessionId);
  const rec = await tx.recording.findUniqueOrThrow({ where: { id: stale.id } });
  const order = ["requested", "starting", "active", "ending", "complete", "failed"];
  const ended = (s: string) => s === "complete" || s === "failed";
  const later = order.indexOf(egress.status) > order.indexOf(rec.status) && !ended(rec.status);
  const newLocation = egress.location && egress.location !== rec.location ? egress.location : null;
  if (!later && !newLocation && rec.egressId) return null;
  const updated = await tx.recording.update({
    where: { id: rec.id },
    data: {
      egressId: rec.egressId ?? (egress.egressId || null),
      ...(later ? { status: egress.status } : {}),
      ...(newLocation ? { location: newLocation } : {}),
      ...(egress.error && later ? { error: egress.error } : {}),
    },
  });
  await audit.append({
    actorType: "livekit",
    action: `recording.${updated.status}`,
    sessionId: rec.sessionId,
    subjectId: rec.id,
    data: { recordingId: rec.id, egressId: updated.egressId, location: updated.location, error: updated.error },
  });
  return updated;
}

/**
 * Asks LiveKit to stop each recording marked as stopping (after the transaction that marked it
 * committed). A failure is logged and left for reconciliation, which asks again.
 */
export async function stopEgresses(ctx: Ctx, recs: RecordingRow[]): Promise<void> {
  for (const rec of recs) {
    if (!rec.egressId) continue; // LiveKit has not answered the start yet: startRecording stops it then
    try {
      const egress = await ctx.recorder.stop(rec.egressId);
      await ctx.transaction((uow) => applyEgress(uow, rec, egress));
    } catch (err) {
      ctx.log.error(
        { err, sessionId: rec.sessionId, recordingId: rec.id },
        "LiveKit could not stop a recording; reconciliation will ask again",
      );
      await ctx.bus.publish({
        type: "alert",
        sessionId: rec.sessionId,
        kind: "recording",
        text: "The recording could not be stopped yet: LiveKit did not answer. Gatekeeper keeps trying.",
      });
    }
  }
}
