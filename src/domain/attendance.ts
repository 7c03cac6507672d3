// Keeps attendance true from LiveKit webhooks and from reconciling with the room's participant
// list, and acts on it: R5 (members go back to the waiting room when the last staff member
// leaves) and enforcement (LiveKit does not invalidate tokens, so anyone in the room whose
// admission is not current is removed at once).

import type { Tx } from "../adapters/db/client.ts";
import { queryableOf } from "../adapters/db/driver.ts";
import { readPresence } from "../adapters/db/reads/room.ts";
import { staffIdentityPrefix } from "../policy/grants.ts";
import type { Ctx } from "./context.ts";
import { storedChecks } from "./decisions.ts";
import type { Uow } from "./unit-of-work.ts";

export interface Sighting {
  /** Deduplicates: a webhook's id, or an id derived from what reconciliation saw. */
  eventId: string;
  event: "joined" | "left";
  identity: string;
  /** The token metadata the participant joined with. */
  metadata: string;
  at: Date;
}

function staffIdOf(identity: string): string | null {
  return identity.startsWith(staffIdentityPrefix) ? identity.slice(staffIdentityPrefix.length) : null;
}

/** Identities whose latest attendance record for the session is "joined". */
export async function presentIdentities(tx: Tx, sessionId: string): Promise<Set<string>> {
  return presentFrom(await readPresence(queryableOf(tx), sessionId));
}

/** The identities whose latest of these joined and left events, oldest first, is "joined". */
export function presentFrom(rows: { identity: string; event: "joined" | "left" }[]): Set<string> {
  const present = new Set<string>();
  for (const r of rows) {
    if (r.event === "joined") present.add(r.identity);
    else present.delete(r.identity);
  }
  return present;
}

/** R5's fact: how many of the session's own staff are connected to its room. */
export async function staffConnected(tx: Tx, session: { id: string; leadStaffId: string; secondStaffId: string | null }): Promise<number> {
  return staffAmong(await presentIdentities(tx, session.id), session);
}

/** How many of the session's own staff are among these identities. */
export function staffAmong(present: Set<string>, session: { leadStaffId: string; secondStaffId: string | null }): number {
  return [session.leadStaffId, session.secondStaffId].filter((id) => id && present.has(`${staffIdentityPrefix}${id}`)).length;
}

type SessionRow = { id: string; roomName: string; status: string; leadStaffId: string; secondStaffId: string | null };

/** Why a participant may not be in the room, or null when their presence is current. */
async function notCurrent(tx: Tx, session: SessionRow, identity: string, metadata: string): Promise<string | null> {
  if (session.status !== "live") return "the session is not live";
  const staffId = staffIdOf(identity);
  if (staffId) {
    if (staffId !== session.leadStaffId && staffId !== session.secondStaffId) return "not one of the session's staff";
    const staff = await tx.staff.findUnique({ where: { id: staffId } });
    return staff?.active ? null : "staff account is not active";
  }
  const attendee = await tx.attendee.findUnique({ where: { id: identity } });
  if (!attendee || attendee.sessionId !== session.id) return "not invited to this session";
  if (attendee.state !== "admitted") return `not admitted (${attendee.state})`;
  let admission: unknown;
  try {
    admission = (JSON.parse(metadata || "{}") as { admission?: unknown }).admission;
  } catch {
    admission = undefined;
  }
  return admission === attendee.admissionSeq ? null : "joined with a token from an earlier admission";
}

/** Records a sighting once (false when it was already recorded: a redelivered webhook). */
async function recordSighting(tx: Tx, session: SessionRow, s: Sighting): Promise<boolean> {
  if (await tx.attendance.findUnique({ where: { eventId: s.eventId } })) return false;
  const staffId = staffIdOf(s.identity);
  await tx.attendance.create({
    data: {
      eventId: s.eventId,
      sessionId: session.id,
      identity: s.identity,
      staffId,
      attendeeId: staffId ? null : s.identity,
      event: s.event,
      at: s.at,
    },
  });
  return true;
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}

interface Effects {
  remove: { identity: string; reason: string }[];
  returned: string[];
  lastStaffLeft: boolean;
  /** A member of staff came or went: R5 may have changed for everyone waiting. */
  staffMoved?: boolean;
}

/**
 * Records what LiveKit saw and works out what must happen: participants to remove, members to
 * send back to the waiting room. The database changes commit together; the room is acted on after.
 */
export async function applySighting(ctx: Ctx, roomName: string, s: Sighting): Promise<void> {
  let session: SessionRow | null = null;
  let effects: Effects = { remove: [], returned: [], lastStaffLeft: false };
  try {
    effects = await ctx.transaction(async (uow) => {
      const { tx } = uow;
      const found = await tx.session.findUnique({ where: { roomName } });
      if (!found) return effects;
      session = found;
      await uow.lockSession(found.id);
      const current = await tx.session.findUniqueOrThrow({ where: { id: found.id } });
      if (!(await recordSighting(tx, current, s))) return effects;
      const by = { actorType: "livekit" as const, sessionId: current.id, subjectId: s.identity };
      await uow.audit.append({ ...by, action: `attendance.${s.event}`, data: { eventId: s.eventId } });
      const out: Effects = { remove: [], returned: [], lastStaffLeft: false, staffMoved: staffIdOf(s.identity) !== null };
      if (s.event === "joined") {
        const reason = await notCurrent(tx, current, s.identity, s.metadata);
        if (reason) {
          out.remove.push({ identity: s.identity, reason });
          await uow.audit.append({ ...by, action: "enforcement.removed", data: { reason } });
        }
      } else if (staffIdOf(s.identity) && current.status === "live" && (await staffConnected(tx, current)) === 0) {
        out.lastStaffLeft = true;
        out.returned = await returnEveryone(uow, current.id);
        out.remove.push(...out.returned.map((identity) => ({ identity, reason: "the last member of staff left" })));
      }
      return out;
    });
  } catch (err) {
    if (isUniqueViolation(err)) return; // the same webhook, delivered twice at once
    throw err;
  }
  const s2 = session as SessionRow | null;
  if (!s2) return;
  await act(ctx, s2, effects);
}

/** R5: everyone admitted goes back to the waiting room. Returns their attendee ids. */
async function returnEveryone({ tx, now, audit }: Uow, sessionId: string): Promise<string[]> {
  const admitted = await tx.attendee.findMany({ where: { sessionId, state: "admitted" } });
  const message = "The last member of staff left the room.";
  for (const a of admitted) {
    await tx.attendee.update({ where: { id: a.id }, data: { state: "returned", stateChangedAt: now } });
    await tx.admissionDecision.create({
      data: { sessionId, attendeeId: a.id, action: "return", checks: storedChecks([]), staffId: null, message },
    });
    await audit.append({ actorType: "system", action: "attendee.return", sessionId, subjectId: a.id, data: { reason: "last-staff-left" } });
  }
  return admitted.map((a) => a.id);
}

async function act(ctx: Ctx, session: SessionRow, effects: Effects): Promise<void> {
  for (const { identity, reason } of effects.remove) {
    await ctx.rooms
      .removeParticipant(session.roomName, identity)
      .catch((err) => ctx.log.error({ err, sessionId: session.id }, "could not remove a participant"));
    if (!effects.returned.includes(identity)) {
      await ctx.bus.publish({
        type: "alert",
        sessionId: session.id,
        kind: "unexpected-participant",
        text: `Removed someone from the room: ${reason}.`,
      });
    }
  }
  for (const attendeeId of effects.returned) {
    await ctx.bus.publish({ type: "attendee.changed", sessionId: session.id, attendeeId, state: "returned" });
  }
  if (effects.lastStaffLeft) {
    await ctx.bus.publish({
      type: "alert",
      sessionId: session.id,
      kind: "last-staff-left",
      text: effects.returned.length
        ? `The last member of staff left: ${effects.returned.length} sent back to the waiting room.`
        : "The last member of staff left the room.",
    });
  }
  if (effects.staffMoved) await ctx.bus.publish({ type: "room.changed", sessionId: session.id });
  await ctx.bus.publish({ type: "session.changed", sessionId: session.id });
}

/**
 * Webhooks can be lost: compares each live session's room with attendance, records what was
 * missed, and removes anyone whose admission is not current.
 */
export async function reconcile(ctx: Ctx): Promise<void> {
  const live = await ctx.database.db.session.findMany({ where: { status: "live" } });
  for (const session of live) {
    const participants = await ctx.rooms.listParticipants(session.roomName);
    const seen = new Set(participants.map((p) => p.identity));
    const recorded = await presentIdentities(ctx.database.db, session.id);
    for (const p of participants) {
      // Each connection has its own sid, so every instance derives the same id for it.
      await applySighting(ctx, session.roomName, {
        eventId: `seen:${p.sid}`,
        event: "joined",
        identity: p.identity,
        metadata: p.metadata,
        at: ctx.now(),
      });
    }
    // A participant seen before may have lost their admission since (and a removal may have
    // failed): every pass checks everyone in the room again.
    const stale: Effects = { remove: [], returned: [], lastStaffLeft: false };
    for (const p of participants) {
      const reason = await notCurrent(ctx.database.db, session, p.identity, p.metadata);
      if (reason) stale.remove.push({ identity: p.identity, reason });
    }
    if (stale.remove.length) await act(ctx, session, stale);
    for (const identity of recorded) {
      if (!seen.has(identity)) {
        const last = await ctx.database.db.attendance.findFirst({
          where: { sessionId: session.id, identity },
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        });
        await applySighting(ctx, session.roomName, {
          eventId: `gone:${last?.eventId}`,
          event: "left",
          identity,
          metadata: "",
          at: ctx.now(),
        });
      }
    }
  }
}

/** Records the room finishing. */
export async function recordRoomFinished(ctx: Ctx, roomName: string, eventId: string): Promise<void> {
  await ctx.transaction(async ({ tx, now, audit }) => {
    const session = await tx.session.findUnique({ where: { roomName } });
    if (!session || (await tx.attendance.findUnique({ where: { eventId } }))) return;
    await tx.attendance.create({ data: { eventId, sessionId: session.id, identity: "", event: "room_finished", at: now } });
    await audit.append({ actorType: "livekit", action: "attendance.room_finished", sessionId: session.id, data: { eventId } });
  });
}
