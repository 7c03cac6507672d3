// R15 keep-apart: the DSL records two people who must never be in the same session; scheduling,
// groups, admission, starting and joining read these facts and the policy engine decides. The
// reason is read only by the DSL and admins; everyone else learns only that the two must be kept
// apart. Entries are append-only: ending one is a new row.

import type { AnyTx, Tx } from "../adapters/db/client.ts";
import { queryableOf } from "../adapters/db/driver.ts";
import { type KeepApartEntry, readAround, readKeepApart } from "../adapters/db/reads/people.ts";
import { decideTogether } from "../policy/engine.ts";
import { staffIdentityPrefix } from "../policy/grants.ts";
import { keepApartWords } from "../policy/rules/r15-keep-apart.ts";
import type { Check } from "../policy/types.ts";
import { checkCodes } from "./audit.ts";
import type { Ctx } from "./context.ts";
import { badRequest, conflict, DomainError, notFound } from "./errors.ts";
import type { StaffView } from "./staff.ts";

type PersonType = "member" | "volunteer" | "staff";
interface PersonRef {
  type: PersonType;
  id: string;
}

/** One key per person: "member:…", "volunteer:…", "staff:…" (a staff key is their room identity). */
const personKey = (type: PersonType, id: string) => `${type}:${id}`;

/** An attendee's person key; a volunteer named only by free text has none. */
function attendeeKey(a: { memberId: string | null; volunteerId: string | null }): string | null {
  return a.memberId ? personKey("member", a.memberId) : a.volunteerId ? personKey("volunteer", a.volunteerId) : null;
}

/** The people's ids in `keys`, as the keep-apart entries name them. */
const idsOf = (keys: string[]) => [...new Set(keys.map((k) => k.slice(k.indexOf(":") + 1)))];

/** Entries as pairs of keys. */
const pairsOf = (entries: KeepApartEntry[]): [string, string][] =>
  entries.map((r) => [personKey(r.aType, r.aId), personKey(r.bType, r.bId)]);

/** Every entry in force now that names one of `keys`, as pairs of keys. One indexed read. */
async function entriesFor(tx: Tx, now: Date, keys: string[]): Promise<[string, string][]> {
  const ids = idsOf(keys);
  if (ids.length === 0) return [];
  return pairsOf(await readKeepApart(queryableOf(tx), ids, now));
}

/** Whether any entry puts one of `keys` apart from one of `others` (a person is never apart from themselves). */
function anyApart(entries: [string, string][], keys: string[], others: string[]): boolean {
  const mine = new Set(keys);
  const theirs = new Set(others);
  return entries.some(([a, b]) => a !== b && ((mine.has(a) && theirs.has(b)) || (mine.has(b) && theirs.has(a))));
}

/** Whether anyone among `keys` must be kept apart from anyone among `others` (or among themselves). */
async function keptApart(tx: Tx, now: Date, keys: string[], others: string[] = keys): Promise<boolean> {
  return anyApart(await entriesFor(tx, now, keys), keys, others);
}

/** R15 when people are put into one session: refused (409) with the engine's checks. */
export async function assertTogether(tx: Tx, now: Date, keys: string[]): Promise<void> {
  const decision = decideTogether(await keptApart(tx, now, keys));
  if (!decision.allowed)
    throw conflict(
      "R15.keep-apart",
      keepApartWords,
      decision.checks.filter((c) => c.outcome === "fail"),
    );
}

/** The people a session puts together: its invitees on file, its lead and its second. */
export function sessionKeys(s: {
  leadStaffId: string;
  secondStaffId: string | null;
  attendees: { memberId: string | null; volunteerId: string | null }[];
}): string[] {
  return [
    personKey("staff", s.leadStaffId),
    ...(s.secondStaffId ? [personKey("staff", s.secondStaffId)] : []),
    ...s.attendees.flatMap((a) => attendeeKey(a) ?? []),
  ];
}

/** R15's fact for a member of staff starting or joining: kept apart from someone invited? */
export async function staffKeptApart(
  tx: Tx,
  now: Date,
  staffId: string,
  attendees: { memberId: string | null; volunteerId: string | null }[],
) {
  return keptApart(
    tx,
    now,
    [personKey("staff", staffId)],
    attendees.flatMap((a) => attendeeKey(a) ?? []),
  );
}

/** The ids by which keep-apart entries name these people (what `keptApartPresent` is given entries for). */
export const keepApartIdsOf = (rows: { memberId: string | null; volunteerId: string | null }[]) =>
  idsOf(rows.flatMap((r) => attendeeKey(r) ?? []));

/**
 * R15's fact for each person being let in: is someone they must be kept apart from in the room,
 * admitted, or being let in with them? `inForce` are the entries in force naming any of them
 * (read with the decision's other shared facts); reads nothing more when there are none.
 */
export async function keptApartPresent(
  tx: AnyTx,
  sessionId: string,
  rows: { id: string; memberId: string | null; volunteerId: string | null }[],
  present: Set<string>,
  inForce: KeepApartEntry[],
): Promise<Map<string, boolean>> {
  const keys = rows.flatMap((r) => attendeeKey(r) ?? []);
  const answer = new Map(rows.map((r) => [r.id, false]));
  const entries = pairsOf(inForce);
  if (entries.length === 0) return answer;
  const presentAttendees = [...present].filter((i) => !i.startsWith(staffIdentityPrefix));
  const others = await readAround(queryableOf(tx), sessionId, presentAttendees);
  // Staff in the room are keyed by their identity; everyone else in the batch counts as well,
  // so two people kept apart are never let in together.
  const around = [
    ...[...present].filter((i) => i.startsWith(staffIdentityPrefix)),
    ...others.flatMap((o) => attendeeKey(o) ?? []),
    ...keys,
  ];
  for (const r of rows) {
    const key = attendeeKey(r);
    if (key) answer.set(r.id, anyApart(entries, [key], around));
  }
  return answer;
}

/**
 * Runs work that may put people together; a keep-apart refusal is recorded in the audit trail
 * (its own transaction: the work's was rolled back) before it reaches the caller.
 */
export async function auditKeepApartRefusal<T>(
  ctx: Ctx,
  actor: { id: string },
  action: string,
  subjectId: string | null,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof DomainError && err.code === "R15.keep-apart")
      await ctx.transaction(({ audit }) =>
        audit.append({
          actorType: "staff",
          actorId: actor.id,
          action,
          subjectId,
          data: { checks: checkCodes((err.checks ?? []) as Check[]) },
        }),
      );
    throw err;
  }
}

interface KeepApartInput {
  a: PersonRef;
  b: PersonRef;
  reason: string;
  until?: Date;
}

/** The person's name, or a 400 when no such person is on file. */
async function nameOf(tx: Tx, p: PersonRef): Promise<string> {
  const found =
    p.type === "member"
      ? await tx.member.findUnique({ where: { id: p.id }, select: { displayName: true } })
      : p.type === "volunteer"
        ? await tx.volunteer.findUnique({ where: { id: p.id }, select: { displayName: true } })
        : await tx.staff.findUnique({ where: { id: p.id }, select: { name: true } }).then((s) => s && { displayName: s.name });
  if (!found) throw badRequest("unknown_person", `There is no ${p.type} with that id.`);
  return found.displayName;
}

type KeepApartRow = Awaited<ReturnType<typeof readKeepAparts>>[number];

function readKeepAparts(tx: Tx, where: { id?: string } = {}) {
  return tx.keepApart.findMany({ where, include: { end: true }, orderBy: { createdAt: "desc" } });
}

async function viewKeepApart(tx: Tx, row: KeepApartRow, now: Date) {
  return {
    id: row.id,
    a: { type: row.aType, id: row.aId, name: await nameOf(tx, { type: row.aType, id: row.aId }) },
    b: { type: row.bType, id: row.bId, name: await nameOf(tx, { type: row.bType, id: row.bId }) },
    reason: row.reason,
    until: row.until,
    createdById: row.createdById,
    createdAt: row.createdAt,
    end: row.end && { reason: row.end.reason, endedById: row.end.endedById, at: row.end.createdAt },
    active: !row.end && (!row.until || row.until > now),
  };
}

/**
 * The DSL records that two people must never be in the same session: member–member,
 * member–volunteer or member–staff. The audit trail records who and when, not the reason
 * (which stays in the entry, for the DSL and admins).
 */
export async function recordKeepApart(ctx: Ctx, input: KeepApartInput, actor: StaffView) {
  if (input.a.type !== "member" && input.b.type !== "member")
    throw badRequest("invalid_pair", "A keep-apart names a member and another member, a volunteer or a member of staff.");
  if (input.a.type === input.b.type && input.a.id === input.b.id) throw badRequest("invalid_pair", "Name two different people.");
  if (input.until && input.until <= ctx.now()) throw badRequest("invalid_until", "The end date must be in the future.");
  return ctx.transaction(async ({ tx, now, audit }) => {
    await nameOf(tx, input.a);
    await nameOf(tx, input.b);
    const row = await tx.keepApart.create({
      data: {
        aType: input.a.type,
        aId: input.a.id,
        bType: input.b.type,
        bId: input.b.id,
        reason: input.reason,
        until: input.until ?? null,
        createdById: actor.id,
      },
      include: { end: true },
    });
    await audit.append({
      actorType: "staff",
      actorId: actor.id,
      action: "keep-apart.recorded",
      subjectId: row.id,
      data: { a: personKey(input.a.type, input.a.id), b: personKey(input.b.type, input.b.id), until: input.until },
    });
    return viewKeepApart(tx, row, now);
  });
}

export async function listKeepAparts(ctx: Ctx) {
  const db = ctx.database.db;
  const now = ctx.now();
  return Promise.all((await readKeepAparts(db)).map((row) => viewKeepApart(db, row, now)));
}

/** Ends an entry (a new row; the entry itself is never changed). */
export async function endKeepApart(ctx: Ctx, id: string, reason: string, actor: StaffView) {
  return ctx.transaction(async ({ tx, now, audit }) => {
    const [row] = await readKeepAparts(tx, { id });
    if (!row) throw notFound("Keep-apart");
    if (row.end) throw conflict("already_ended", "This keep-apart has already ended.");
    await tx.keepApartEnd.create({ data: { keepApartId: id, reason, endedById: actor.id } });
    await audit.append({ actorType: "staff", actorId: actor.id, action: "keep-apart.ended", subjectId: id });
    const [ended] = await readKeepAparts(tx, { id });
    return viewKeepApart(tx, ended!, now);
  });
}
