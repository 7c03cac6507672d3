// Recurring groups: a standing activity whose sessions (occurrences) are kept created for a
// rolling window ahead, each a normal session with its own attendees, links, confirmations and
// decisions, so every rule applies unchanged. Editing a group changes its future occurrences
// that have not started; people added are invited, people removed lose their links and are told
// nothing more.

import { type Delivery, type GroupSchedule, groupSchedule } from "../../contract/vocabulary.ts";
import { decideStaffText, failing } from "../../policy/engine.ts";
import { scheduledWithinHours } from "../../policy/rules/r6-agreed-hours.ts";
import { withoutWords } from "../audit.ts";
import type { Ctx } from "../context.ts";
import { conflict, forbidden, notFound } from "../errors.ts";
import { assertTogether, auditKeepApartRefusal, sessionKeys } from "../keep-apart.ts";
import { revokeLinks } from "../links.ts";
import { noticeFor } from "../outbox/invitations.ts";
import { queueMessages } from "../outbox/outbox.ts";
import { watchesEverySession } from "../roles.ts";
import {
  activeStaff,
  cancelInTx,
  checkInvitees,
  createSessionInTx,
  findInvitees,
  findSession,
  inviteInTx,
  mayWatch,
  viewSession,
} from "../sessions.ts";
import { agreedHoursOf, readSettings, type SettingsView } from "../settings.ts";
import type { StaffView } from "../staff.ts";
import type { Store, Uow } from "../unit-of-work.ts";
import { checkStaffText } from "../waivers.ts";
import { occurrenceOn, occurrencesBetween } from "./occurrences.ts";

export interface GroupInput {
  title: string;
  delivery: Delivery;
  leadStaffId: string;
  secondStaffId?: string | null;
  memberIds: string[];
  volunteerIds?: string[];
  schedule: GroupSchedule;
  /** A note for every occurrence's invitations, and why it goes although R14 found something. */
  invitationNote?: string | null;
  toneWaiverReason?: string | null;
}

/** What the audit trail leaves out of a group's input (audit.ts). */
const groupWords = ["title", "invitationNote", "toneWaiverReason"] as const;

type GroupRow = NonNullable<Awaited<ReturnType<typeof readGroup>>>;

function readGroup(uow: Pick<Uow, "tx">, id: string) {
  return uow.tx.group.findUnique({ where: { id }, include: { people: { where: { removedAt: null }, orderBy: { addedAt: "asc" } } } });
}

function viewGroup(g: GroupRow) {
  return {
    id: g.id,
    title: g.title,
    delivery: g.delivery,
    leadStaffId: g.leadStaffId,
    secondStaffId: g.secondStaffId,
    schedule: groupSchedule.parse(g.schedule),
    invitationNote: g.invitationNote,
    memberIds: g.people.flatMap((p) => (p.memberId ? [p.memberId] : [])),
    volunteerIds: g.people.flatMap((p) => (p.volunteerId ? [p.volunteerId] : [])),
    createdAt: g.createdAt,
  };
}

const weekMs = 7 * 24 * 3_600_000;

/**
 * Creates the occurrences of the window ahead that do not exist yet. On creating or editing a
 * group (`refuse`), an occurrence outside the agreed hours refuses the whole change (R6); when the
 * window rolls on by itself, such an occurrence is left out and the audit trail says so.
 */
async function ensureOccurrencesInTx(ctx: Ctx, uow: Uow, g: GroupRow, settings: SettingsView, refuse: boolean) {
  const schedule = groupSchedule.parse(g.schedule);
  const until = new Date(uow.now.getTime() + settings.occurrenceWeeksAhead * weekMs);
  const existing = new Set(
    (await uow.tx.session.findMany({ where: { groupId: g.id }, select: { occurrenceDate: true } })).map((s) => s.occurrenceDate),
  );
  const view = viewGroup(g);
  const created: string[] = [];
  for (const o of occurrencesBetween(schedule, settings.timeZone, uow.now, until)) {
    if (existing.has(o.date)) continue;
    const r6 = scheduledWithinHours(o, agreedHoursOf(settings));
    if (r6.outcome === "fail") {
      if (refuse) throw conflict("R6.outside-agreed-hours", `${o.date}: ${r6.reason}`, [r6]);
      await uow.audit.append({
        actorType: "system",
        action: "occurrence.skipped",
        data: { groupId: g.id, date: o.date, reason: r6.reason },
      });
      continue;
    }
    const inviteAt = new Date(Math.max(uow.now.getTime(), o.startsAt.getTime() - settings.inviteDaysBefore * 24 * 3_600_000));
    const { session } = await createSessionInTx(
      ctx,
      uow,
      {
        ...view,
        secondStaffId: view.secondStaffId ?? undefined,
        startsAt: o.startsAt,
        endsAt: o.endsAt,
        invitationNote: g.invitationNote ?? undefined,
        toneWaiverReason: g.noteWaiverReason ?? undefined,
      },
      { id: g.createdById },
      settings,
      { groupId: g.id, date: o.date, inviteAt },
    );
    created.push(session.id);
  }
  return created;
}

/** The group's sessions from now on, in order, with their people. */
async function upcoming(uow: Pick<Uow, "tx" | "now">, groupId: string) {
  const rows = await uow.tx.session.findMany({
    where: { groupId, endsAt: { gt: uow.now } },
    orderBy: { startsAt: "asc" },
    select: { id: true },
  });
  return Promise.all(rows.map((r) => findSession(uow.tx, r.id)));
}

/** R14 on a group's invitation note, before anything is written (each occurrence keeps its waiver). */
function checkNote(note: string | null | undefined, waiverReason: string | null | undefined) {
  if (!note) return;
  const [failed] = failing(decideStaffText(note, waiverReason ?? null).checks);
  if (failed) throw conflict(failed.code, failed.reason, [failed]);
}

export async function createGroup(ctx: Ctx, input: GroupInput, actor: StaffView) {
  checkInvitees({ ...input, secondStaffId: input.secondStaffId ?? undefined });
  checkNote(input.invitationNote, input.toneWaiverReason);
  return auditKeepApartRefusal(ctx, actor, "group.create_refused", null, () => createGroupInTx(ctx, input, actor));
}

function createGroupInTx(ctx: Ctx, input: GroupInput, actor: StaffView) {
  return ctx.transaction(async (uow) => {
    const { tx } = uow;
    const settings = await readSettings(tx);
    await findInvitees(tx, input.memberIds, input.volunteerIds ?? []);
    const group = await tx.group.create({
      data: {
        title: input.title,
        delivery: input.delivery,
        leadStaffId: input.leadStaffId,
        secondStaffId: input.secondStaffId ?? null,
        schedule: input.schedule,
        invitationNote: input.invitationNote ?? null,
        noteWaiverReason: input.invitationNote ? (input.toneWaiverReason ?? null) : null,
        createdById: actor.id,
        people: {
          create: [
            ...input.memberIds.map((memberId) => ({ memberId, addedAt: uow.now })),
            ...(input.volunteerIds ?? []).map((volunteerId) => ({ volunteerId, addedAt: uow.now })),
          ],
        },
      },
    });
    await uow.audit.append({
      actorType: "staff",
      actorId: actor.id,
      action: "group.created",
      data: { groupId: group.id, ...withoutWords(input, groupWords) },
    });
    const row = (await readGroup(uow, group.id))!;
    await ensureOccurrencesInTx(ctx, uow, row, settings, true);
    return { group: viewGroup(row), sessions: (await upcoming(uow, group.id)).map(viewSession) };
  });
}

/** The groups whose sessions this member of staff runs (every group for the DSL and admins). */
export async function listGroups(ctx: Ctx, viewer: StaffView) {
  const rows = await ctx.database.db.group.findMany({
    where: watchesEverySession(viewer.roles) ? {} : { OR: [{ leadStaffId: viewer.id }, { secondStaffId: viewer.id }] },
    orderBy: [{ title: "asc" }, { id: "asc" }],
    include: { people: { where: { removedAt: null }, orderBy: { addedAt: "asc" } } },
  });
  return rows.map(viewGroup);
}

export async function getGroup(ctx: Ctx, id: string, viewer: StaffView) {
  const uow = { tx: ctx.database.db, now: ctx.now() };
  const row = await readGroup(uow, id);
  if (!row) throw notFound("Group");
  if (!mayWatch(viewer, row)) throw forbidden("Only the group's staff, the DSL and admins can see it.");
  return { group: viewGroup(row), sessions: (await upcoming(uow, id)).map(viewSession) };
}

export type GroupChange = Partial<GroupInput>;

/**
 * Changes a group and its future occurrences that have not started. New times move those
 * occurrences (everyone is told); a new day or rhythm cancels those that no longer fit (everyone
 * is told) and creates the new ones; people added are invited, people removed lose their links.
 */
export async function updateGroup(ctx: Ctx, id: string, change: GroupChange, actor: StaffView) {
  return auditKeepApartRefusal(ctx, actor, "group.change_refused", id, () => updateGroupInTx(ctx, id, change, actor));
}

function updateGroupInTx(ctx: Ctx, id: string, change: GroupChange, actor: StaffView) {
  return ctx.transaction(async (uow) => {
    const { tx, now } = uow;
    const before = await readGroup(uow, id);
    if (!before) throw notFound("Group");
    if (!mayWatch(actor, before)) throw forbidden("Only the group's staff, the DSL and admins can change it.");
    const old = viewGroup(before);
    const next = {
      ...old,
      ...change,
      secondStaffId: change.secondStaffId === undefined ? old.secondStaffId : change.secondStaffId,
      volunteerIds: change.volunteerIds ?? old.volunteerIds,
    };
    checkInvitees({ ...next, secondStaffId: next.secondStaffId ?? undefined });
    const note = change.invitationNote === undefined ? before.invitationNote : change.invitationNote;
    const noteWaiver = change.invitationNote === undefined ? before.noteWaiverReason : (change.toneWaiverReason ?? null);
    checkNote(note, noteWaiver);
    await activeStaff(tx, next.leadStaffId, "leadStaffId");
    if (next.secondStaffId) await activeStaff(tx, next.secondStaffId, "secondStaffId");
    const settings = await readSettings(tx);
    const added = await findInvitees(
      tx,
      next.memberIds.filter((m) => !old.memberIds.includes(m)),
      next.volunteerIds.filter((v) => !old.volunteerIds.includes(v)),
    );
    const removedMembers = old.memberIds.filter((m) => !next.memberIds.includes(m));
    const removedVolunteers = old.volunteerIds.filter((v) => !next.volunteerIds.includes(v));

    await tx.group.update({
      where: { id },
      data: {
        title: next.title,
        delivery: next.delivery,
        leadStaffId: next.leadStaffId,
        secondStaffId: next.secondStaffId,
        schedule: next.schedule,
        invitationNote: note,
        noteWaiverReason: note ? noteWaiver : null,
      },
    });
    await tx.groupPerson.updateMany({
      where: { groupId: id, removedAt: null, OR: [{ memberId: { in: removedMembers } }, { volunteerId: { in: removedVolunteers } }] },
      data: { removedAt: now },
    });
    for (const a of added)
      await tx.groupPerson.create({ data: { groupId: id, memberId: a.memberId, volunteerId: a.volunteerId, addedAt: now } });
    await uow.audit.append({
      actorType: "staff",
      actorId: actor.id,
      action: "group.changed",
      data: { groupId: id, ...withoutWords(change, groupWords) },
    });

    const timesChanged = next.schedule.start !== old.schedule.start || next.schedule.end !== old.schedule.end;
    for (const session of await upcoming(uow, id)) {
      if (session.status !== "scheduled") continue; // a live occurrence is left as it is
      const occurrence = occurrenceOn(session.occurrenceDate!, next.schedule, settings.timeZone);
      const stillFits =
        occurrencesBetween(next.schedule, settings.timeZone, occurrence.startsAt, new Date(occurrence.startsAt.getTime() + 1)).length === 1;
      if (!stillFits) {
        await cancelInTx(ctx, uow, session, "The group has moved to another day.", actor);
        continue;
      }
      if (timesChanged) {
        const r6 = scheduledWithinHours(occurrence, agreedHoursOf(settings));
        if (r6.outcome === "fail") throw conflict("R6.outside-agreed-hours", `${occurrence.date}: ${r6.reason}`, [r6]);
      }
      await tx.session.update({
        where: { id: session.id },
        data: {
          title: next.title,
          leadStaffId: next.leadStaffId,
          secondStaffId: next.secondStaffId,
          // An occurrence moved on its own keeps its times until the group's times change.
          ...(timesChanged ? { startsAt: occurrence.startsAt, endsAt: occurrence.endsAt } : {}),
        },
      });
      const moved = await findSession(tx, session.id);
      // People removed: their links stop working, and nothing more is sent to them.
      for (const a of moved.attendees.filter(
        (x) => (x.memberId && removedMembers.includes(x.memberId)) || (x.volunteerId && removedVolunteers.includes(x.volunteerId)),
      )) {
        await revokeLinks(tx, { attendeeId: a.id }, "removed from the group", now);
        await tx.attendee.update({ where: { id: a.id }, data: { state: "removed", stateChangedAt: now } });
        await uow.audit.append({
          actorType: "staff",
          actorId: actor.id,
          action: "group.person_removed",
          sessionId: session.id,
          subjectId: a.id,
        });
      }
      const staying = moved.attendees.filter(
        (a) =>
          a.state !== "removed" &&
          !(a.memberId && removedMembers.includes(a.memberId)) &&
          !(a.volunteerId && removedVolunteers.includes(a.volunteerId)),
      );
      if (timesChanged) {
        await queueMessages(
          uow,
          ctx.config.SESSION_SECRET,
          agreedHoursOf(settings),
          staying.map((a) => noticeFor("changed", moved, a, settings, now)),
        );
      }
      // R15: the occurrence's people, staff and newcomers together, may not include two kept apart.
      await assertTogether(tx, now, sessionKeys({ ...moved, attendees: [...staying, ...added] }));
      const inviteAt = new Date(Math.max(now.getTime(), occurrence.startsAt.getTime() - settings.inviteDaysBefore * 24 * 3_600_000));
      if (note && added.length) await checkStaffText(uow, moved.id, note, noteWaiver, actor);
      for (const person of added) await inviteInTx(ctx, uow, moved, person, actor, settings, { inviteAt, note });
    }
    const row = (await readGroup(uow, id))!;
    await ensureOccurrencesInTx(ctx, uow, row, settings, true);
    return { group: viewGroup(row), sessions: (await upcoming(uow, id)).map(viewSession) };
  });
}

/** Who runs a group, for deciding who may act on it; null when there is no such group. */
export function groupStaffIds(store: Store, id: string) {
  return store.database.db.group.findUnique({ where: { id }, select: { leadStaffId: true, secondStaffId: true } });
}

/** Keeps every group's window of occurrences filled as time passes (run on a timer). */
export async function rollGroupsForward(ctx: Ctx): Promise<number> {
  const groups = await ctx.database.db.group.findMany({ select: { id: true } });
  let created = 0;
  for (const { id } of groups) {
    created += await ctx.transaction(async (uow) => {
      const row = await readGroup(uow, id);
      if (!row) return 0;
      const schedule = groupSchedule.parse(row.schedule);
      if (schedule.until && schedule.until < uow.now.toISOString().slice(0, 10)) return 0;
      return (await ensureOccurrencesInTx(ctx, uow, row, await readSettings(uow.tx), false)).length;
    });
  }
  return created;
}
