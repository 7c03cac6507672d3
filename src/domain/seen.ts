// "Sam knows you are here.": once a member of staff's console has shown someone waiting (the
// console says so when it has drawn them on a screen in front of someone), their page names that
// member of staff. Only the first sighting since they began waiting counts; coming back after
// being away, or being sent back to wait, starts a new wait that has to be seen again. Each
// sighting is kept (append-only).

import type { Tx } from "../adapters/db/client.ts";
import { queryableOf } from "../adapters/db/driver.ts";
import { readSightings } from "../adapters/db/reads/people.ts";
import { inWaitingRoom } from "../contract/vocabulary.ts";
import type { Ctx } from "./context.ts";
import type { StaffView } from "./staff.ts";
import { firstName } from "./words.ts";

/** A console showed these people (of the session it watches) waiting: each page learns who saw them. */
export async function markSeen(ctx: Ctx, sessionId: string, staff: StaffView, attendeeIds: string[]): Promise<void> {
  if (attendeeIds.length === 0) return;
  const fresh = await ctx.transaction(async ({ tx, now }) => {
    const waiting = await tx.attendee.findMany({
      where: { id: { in: attendeeIds }, sessionId, state: { in: [...inWaitingRoom] } },
      select: { id: true, stateChangedAt: true },
    });
    const seen = await seenSince(tx, waiting);
    const unseen = waiting.filter((a) => !seen.has(a.id));
    if (unseen.length)
      await tx.waitingSeen.createMany({ data: unseen.map((a) => ({ attendeeId: a.id, staffId: staff.id, createdAt: now })) });
    return unseen;
  });
  for (const a of fresh) await ctx.bus.publish({ type: "attendee.changed", sessionId, attendeeId: a.id, state: "waiting" });
}

/** Who first saw each of these people in their current wait (a first name), when someone has. */
export async function seenBy(tx: Tx, waiting: { id: string; stateChangedAt: Date }[]): Promise<Map<string, string>> {
  const seen = await seenSince(tx, waiting);
  if (seen.size === 0) return seen;
  const staff = await tx.staff.findMany({ where: { id: { in: [...new Set(seen.values())] } }, select: { id: true, name: true } });
  const names = new Map(staff.map((s) => [s.id, firstName(s.name)]));
  return new Map([...seen].map(([attendeeId, staffId]) => [attendeeId, names.get(staffId) ?? "Staff"]));
}

/** The member of staff who first saw each person since their wait began. */
async function seenSince(tx: Tx, waiting: { id: string; stateChangedAt: Date }[]): Promise<Map<string, string>> {
  if (waiting.length === 0) return new Map();
  const since = new Map(waiting.map((a) => [a.id, a.stateChangedAt.getTime()]));
  // Every sighting of these people; those from before each one's current wait are passed over.
  const rows = await readSightings(queryableOf(tx), [...since.keys()]);
  const first = new Map<string, string>();
  for (const row of rows)
    if (!first.has(row.attendeeId) && row.createdAt.getTime() >= since.get(row.attendeeId)!) first.set(row.attendeeId, row.staffId);
  return first;
}
