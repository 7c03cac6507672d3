// Sessions: scheduling with invitees and their links, start (R3, R6, R7), staff join, end.

import { randomBytes } from "node:crypto";
import type { Tx } from "../adapters/db/client.ts";
import { type Delivery, type SessionPlan, sessionSummary } from "../contract/vocabulary.ts";
import { decideStaffJoin, decideStart } from "../policy/engine.ts";
import { staffToken } from "../policy/grants.ts";
import { scheduledWithinHours } from "../policy/rules/r6-agreed-hours.ts";
import type { Check } from "../policy/types.ts";
import { checkCodes, withoutWords } from "./audit.ts";
import type { Ctx } from "./context.ts";
import { badRequest, conflict, DomainError, forbidden, notFound } from "./errors.ts";
import { sessionFacts, sessionInclude, staffActor } from "./facts.ts";
import { assertTogether, auditKeepApartRefusal, sessionKeys, staffKeptApart } from "./keep-apart.ts";
import { issueLinks, needsCarerLink, revokeLinks } from "./links.ts";
import { assertRoomName } from "./members.ts";
import { draftsFor, type InvitedSession, noticeFor } from "./outbox/invitations.ts";
import { queueMessages } from "./outbox/outbox.ts";
import { currentRecording, markStopping, stopEgresses } from "./recording/egress.ts";
import { parseRoles, watchesEverySession } from "./roles.ts";
import { agreedHoursOf, readSettings, type SettingsView } from "./settings.ts";
import type { StaffView } from "./staff.ts";
import type { Store, Uow } from "./unit-of-work.ts";
import { checkStaffText, recordWaiver } from "./waivers.ts";

export interface ScheduleInput {
  title: string;
  startsAt: Date;
  endsAt: Date;
  delivery: Delivery;
  leadStaffId: string;
  secondStaffId?: string;
  memberIds: string[];
  /** Volunteers on file. */
  volunteerIds?: string[];
  /** Volunteers named by free text (kept for older clients; they get no e-mail). */
  volunteers?: { displayName: string }[];
  /** A note for the invitations, and why it goes although R14 found something in it. */
  invitationNote?: string;
  toneWaiverReason?: string;
  allowData?: boolean;
}

const sessionDetail = {
  ...sessionInclude,
  attendees: {
    orderBy: { createdAt: "asc" as const },
    include: { member: { include: { carers: { orderBy: { createdAt: "asc" as const } } } }, volunteer: true },
  },
  waivers: { orderBy: { createdAt: "asc" as const } },
};

export async function findSession(tx: Tx, id: string) {
  const row = await tx.session.findUnique({ where: { id }, include: sessionDetail });
  if (!row) throw notFound("Session");
  return row;
}

type SessionRow = Awaited<ReturnType<typeof findSession>>;
type AttendeeRow = SessionRow["attendees"][number];

/** R11: for a member who lives with a carer, the invite goes to the carer; the console says so. */
function contactVia(a: AttendeeRow) {
  const carer = a.member?.livesWithCarer ? a.member.carers[0] : undefined;
  if (!carer) return null;
  const how = [carer.email, carer.phone].filter(Boolean).join(" or ");
  return {
    carerId: carer.id,
    name: carer.name,
    email: carer.email,
    phone: carer.phone,
    guidance: `Send this invite to their carer, ${carer.name}${how ? `, at ${how}` : ""}, not to ${a.displayName}.`,
  };
}

function viewAttendee(a: AttendeeRow) {
  return {
    id: a.id,
    kind: a.kind,
    memberId: a.memberId,
    volunteerId: a.volunteerId,
    displayName: a.displayName,
    state: a.state,
    stateChangedAt: a.stateChangedAt,
    contactVia: contactVia(a),
  };
}

export function viewSession(s: SessionRow) {
  return {
    id: s.id,
    title: s.title,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    delivery: s.delivery,
    status: s.status,
    leadStaffId: s.leadStaffId,
    secondStaffId: s.secondStaffId,
    startedAt: s.startedAt,
    endedAt: s.endedAt,
    groupId: s.groupId,
    occurrenceDate: s.occurrenceDate,
    cancelledAt: s.cancelledAt,
    cancelReason: s.cancelReason,
    waivers: s.waivers.map((w) => ({ rule: w.rule, reason: w.reason, staffId: w.staffId, createdAt: w.createdAt })),
    summary: s.summary === null ? null : sessionSummary.parse(s.summary),
    attendees: s.attendees.map(viewAttendee),
  };
}

/** An active account with the staff role, to lead or be second (a 400 otherwise). */
export async function activeStaff(tx: Tx, id: string, role: string) {
  const staff = await tx.staff.findUnique({ where: { id } });
  // An admin-only (or DSL-only) account manages; it does not run sessions.
  if (!staff?.active || !parseRoles(staff.roles).includes("staff"))
    throw badRequest("unknown_staff", `${role} must be an active account with the staff role.`);
  return staff;
}

/** What scheduling needs of its input before any database work (a group's edits check the same). */
export function checkInvitees(input: Pick<ScheduleInput, "leadStaffId" | "secondStaffId" | "memberIds" | "volunteerIds" | "volunteers">) {
  if (input.secondStaffId && input.secondStaffId === input.leadStaffId)
    throw badRequest("same_staff", "The second member of staff must be someone other than the lead.");
  if (new Set(input.memberIds).size !== input.memberIds.length) throw badRequest("duplicate_member", "A member is listed twice.");
  const volunteerIds = input.volunteerIds ?? [];
  if (new Set(volunteerIds).size !== volunteerIds.length) throw badRequest("duplicate_volunteer", "A volunteer is listed twice.");
  if (input.memberIds.length + volunteerIds.length + (input.volunteers?.length ?? 0) === 0)
    throw badRequest("no_invitees", "Invite at least one member or volunteer.");
  for (const v of input.volunteers ?? []) assertRoomName(v.displayName);
}

export async function scheduleSession(ctx: Ctx, input: ScheduleInput, actor: StaffView) {
  if (input.endsAt <= input.startsAt) throw badRequest("invalid_times", "endsAt must be after startsAt.");
  if (input.endsAt <= ctx.now()) throw badRequest("invalid_times", "The session must end in the future.");
  checkInvitees(input);
  const created = await auditKeepApartRefusal(ctx, actor, "session.schedule_refused", null, () =>
    ctx.transaction(async (uow) => createSessionInTx(ctx, uow, input, actor, await readSettings(uow.tx))),
  );
  const view = viewSession(created.session);
  return { ...view, attendees: view.attendees.map((a) => ({ ...a, ...created.links.get(a.id)!.urls })) };
}

/** Members and volunteers on file, looked up; unknown ids are a 400. */
export async function findInvitees(tx: Tx, memberIds: string[], volunteerIds: string[]): Promise<Invitee[]> {
  const members = await tx.member.findMany({ where: { id: { in: memberIds } } });
  if (members.length !== memberIds.length) throw badRequest("unknown_member", "memberIds names a member that does not exist.");
  const volunteers = await tx.volunteer.findMany({ where: { id: { in: volunteerIds } } });
  if (volunteers.length !== volunteerIds.length)
    throw badRequest("unknown_volunteer", "volunteerIds names a volunteer who is not on file.");
  return [
    ...memberIds.map((id) => {
      const m = members.find((x) => x.id === id)!;
      return { kind: "member" as const, memberId: id, volunteerId: null, displayName: m.displayName, livesWithCarer: m.livesWithCarer };
    }),
    ...volunteerIds.map((id) => {
      const v = volunteers.find((x) => x.id === id)!;
      return { kind: "volunteer" as const, memberId: null, volunteerId: id, displayName: v.displayName, livesWithCarer: false };
    }),
  ];
}

export interface Invitee {
  kind: "member" | "volunteer";
  memberId: string | null;
  volunteerId: string | null;
  displayName: string;
  livesWithCarer: boolean;
}

/** An occurrence of a recurring group: its group and local date, and when its invitations go. */
export interface OccurrenceOf {
  groupId: string;
  date: string;
  inviteAt: Date;
}

/**
 * Creates a session in the caller's transaction: R6 first, then its attendees, their links and
 * their invitations (queued for `occurrence.inviteAt`, or now).
 */
export async function createSessionInTx(
  ctx: Ctx,
  uow: Uow,
  input: ScheduleInput,
  actor: { id: string },
  settings: SettingsView,
  occurrence?: OccurrenceOf,
) {
  const { tx } = uow;
  await activeStaff(tx, input.leadStaffId, "leadStaffId");
  if (input.secondStaffId) await activeStaff(tx, input.secondStaffId, "secondStaffId");
  const r6 = scheduledWithinHours(input, agreedHoursOf(settings));
  if (r6.outcome === "fail") throw conflict("R6.outside-agreed-hours", r6.reason, [r6]);
  const invitees = [
    ...(await findInvitees(tx, input.memberIds, input.volunteerIds ?? [])),
    ...(input.volunteers ?? []).map((v) => ({
      kind: "volunteer" as const,
      memberId: null,
      volunteerId: null,
      displayName: v.displayName,
      livesWithCarer: false,
    })),
  ];
  await assertTogether(
    tx,
    uow.now,
    sessionKeys({ leadStaffId: input.leadStaffId, secondStaffId: input.secondStaffId ?? null, attendees: invitees }),
  );
  const details = {
    title: input.title,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    delivery: input.delivery,
    leadStaffId: input.leadStaffId,
  };
  const session = await tx.session.create({
    data: {
      ...details,
      secondStaffId: input.secondStaffId ?? null,
      roomName: `gk_${randomBytes(12).toString("base64url")}`,
      allowData: input.allowData ?? false,
      createdById: actor.id,
      groupId: occurrence?.groupId ?? null,
      occurrenceDate: occurrence?.date ?? null,
    },
  });
  await uow.audit.append({
    actorType: "staff",
    actorId: actor.id,
    action: "session.scheduled",
    sessionId: session.id,
    data: {
      ...withoutWords(details, ["title"]),
      secondStaffId: input.secondStaffId,
      groupId: occurrence?.groupId,
      invitees: invitees.length,
    },
  });
  // R14: the note reaches members and carers; a waiver is kept with each session it goes to.
  if (input.invitationNote) await checkStaffText(uow, session.id, input.invitationNote, input.toneWaiverReason ?? null, actor);
  const lead = await tx.staff.findUniqueOrThrow({ where: { id: input.leadStaffId } });
  const links = new Map<string, Issued>();
  for (const invitee of invitees) {
    const { attendeeId, issued } = await inviteInTx(ctx, uow, { ...session, lead }, invitee, actor, settings, {
      inviteAt: occurrence?.inviteAt,
      note: input.invitationNote,
    });
    links.set(attendeeId, issued);
  }
  return { session: await findSession(tx, session.id), links };
}

type Issued = Awaited<ReturnType<typeof issueLinks>>;

/** Adds one person to a session in the caller's transaction: their attendee, links and invitation. */
export async function inviteInTx(
  ctx: Ctx,
  uow: Uow,
  session: InvitedSession,
  invitee: Invitee,
  actor: { id: string },
  settings: SettingsView,
  invitation: { inviteAt?: Date; note?: string | null } = {},
) {
  const { tx, now } = uow;
  const sessionId = session.id;
  const attendee = await tx.attendee.create({
    include: { member: { include: { carers: { orderBy: { createdAt: "asc" } } } }, volunteer: true },
    data: {
      sessionId,
      kind: invitee.kind,
      memberId: invitee.memberId,
      volunteerId: invitee.volunteerId,
      displayName: invitee.displayName,
      stateChangedAt: now,
    },
  });
  const issued = await issueLinks(tx, ctx.config, attendee.id, needsCarerLink(session.delivery, invitee.kind, invitee.livesWithCarer));
  await uow.audit.append({
    actorType: "staff",
    actorId: actor.id,
    action: "links.issued",
    sessionId,
    subjectId: attendee.id,
    data: { carerLink: issued.urls.carerUrl !== undefined },
  });
  await queueMessages(
    uow,
    ctx.config.SESSION_SECRET,
    agreedHoursOf(settings),
    draftsFor("invitation", session, attendee, issued.links, settings, now, invitation.inviteAt ?? now, invitation.note ?? undefined),
  );
  return { attendeeId: attendee.id, issued };
}

/** Who may see a session's people and their carers' contacts: its own staff, the DSL and admins. */
export function mayWatch(staff: StaffView, s: { leadStaffId: string; secondStaffId: string | null }): boolean {
  return staffActor(staff, s).isAssigned || watchesEverySession(staff.roles);
}

/** The sessions this member of staff may see (all of them for the DSL and admins). */
export async function listSessions(ctx: Ctx, viewer: StaffView) {
  const rows = await ctx.database.db.session.findMany({
    where: watchesEverySession(viewer.roles) ? {} : { OR: [{ leadStaffId: viewer.id }, { secondStaffId: viewer.id }] },
    orderBy: { startsAt: "asc" },
    include: sessionDetail,
  });
  return rows.map(viewSession);
}

export async function getSessionRow(ctx: Ctx, id: string, viewer: StaffView) {
  const row = await findSession(ctx.database.db, id);
  if (!mayWatch(viewer, row)) throw forbidden("Only the session's staff, the DSL and admins can see it.");
  return row;
}

export function assertAssigned(s: { leadStaffId: string; secondStaffId: string | null }, staff: StaffView) {
  if (!staffActor(staff, s).isAssigned) throw forbidden("Only the session's lead and second member of staff can do this.");
}

export async function reissueLinks(ctx: Ctx, sessionId: string, attendeeId: string, actor: StaffView) {
  const reissued = await ctx.transaction(async (uow) => {
    const { tx, now, audit, lockSession } = uow;
    await lockSession(sessionId);
    const session = await findSession(tx, sessionId);
    assertAssigned(session, actor);
    if (session.status === "ended") throw conflict("R10.session-ended", "The session has ended; its links cannot be reissued.");
    const attendee = session.attendees.find((a) => a.id === attendeeId);
    if (!attendee) throw notFound("Attendee");
    await revokeLinks(tx, { attendeeId }, "reissued", now);
    const issued = await issueLinks(
      tx,
      ctx.config,
      attendeeId,
      needsCarerLink(session.delivery, attendee.kind, attendee.member?.livesWithCarer ?? false),
    );
    await audit.append({
      actorType: "staff",
      actorId: actor.id,
      action: "links.reissued",
      sessionId,
      subjectId: attendeeId,
      data: { carerLink: issued.urls.carerUrl !== undefined },
    });
    const settings = await readSettings(tx);
    await queueMessages(
      uow,
      ctx.config.SESSION_SECRET,
      agreedHoursOf(settings),
      draftsFor("link-reissued", session, attendee, issued.links, settings, now),
    );
    return { ...viewAttendee(attendee), ...issued.urls };
  });
  // Pages open on the old link learn that it is dead.
  await ctx.bus.publish({ type: "attendee.changed", sessionId, attendeeId, state: reissued.state });
  return reissued;
}

function mintStaffToken(ctx: Ctx, session: { roomName: string }, staff: StaffView) {
  return ctx.tokens.mint(staffToken({ staffId: staff.id, name: staff.name, room: session.roomName }));
}

export type StartResult = { ok: true; session: ReturnType<typeof viewSession>; token: string } | { ok: false; checks: Check[] };

/** The start decision for a session, with the checks that come before the policy (who, state). */
async function decideStartNow(ctx: Ctx, tx: Tx, sessionId: string, waiverReason: string | null, actor: StaffView) {
  const session = await findSession(tx, sessionId);
  assertAssigned(session, actor);
  if (session.leadStaffId !== actor.id) throw forbidden("Only the session's lead can start it.");
  if (session.status === "live") throw conflict("already_live", "The session is already live: join it instead.");
  if (session.status === "ended") throw conflict("session_ended", "The session has ended.");
  const decision = decideStart({
    now: ctx.now(),
    session: sessionFacts(session),
    actor: staffActor(actor, session),
    waiverReason,
    agreedHours: agreedHoursOf(await readSettings(tx)),
    keptApart: await staffKeptApart(tx, ctx.now(), actor.id, session.attendees),
  });
  return { session, decision };
}

/**
 * Starts a session: decide, create the LiveKit room, then decide again under the session lock
 * and mark it live. The room is created outside any transaction, so a slow or unreachable video
 * server never holds the database (on SQLite, the whole waiting room) for the network's timeout;
 * when it cannot be reached the session stays scheduled (never a pretend room).
 */
export async function startSession(ctx: Ctx, sessionId: string, waiverReason: string | null, actor: StaffView): Promise<StartResult> {
  const by = { actorType: "staff" as const, actorId: actor.id, sessionId };
  const refuse = async (checks: Check[]) => {
    await ctx.transaction(({ audit }) => audit.append({ ...by, action: "session.start_refused", data: { checks } }));
    return { ok: false as const, checks };
  };
  const first = await decideStartNow(ctx, ctx.database.db, sessionId, waiverReason, actor);
  if (!first.decision.allowed) return refuse(first.decision.checks);
  await createRoom(ctx, first.session);

  const result = await ctx.transaction(async (uow) => {
    const { tx, now, audit, lockSession } = uow;
    await lockSession(sessionId);
    const { session, decision } = await decideStartNow(ctx, tx, sessionId, waiverReason, actor);
    if (!decision.allowed) return { ok: false as const, checks: decision.checks };
    const waiver = decision.checks.find((c) => c.outcome === "waived");
    if (waiver && waiverReason) await recordWaiver(uow, sessionId, waiver.rule, waiverReason, actor);
    await tx.session.update({ where: { id: sessionId }, data: { status: "live", startedAt: now } });
    await audit.append({ ...by, action: "session.started", data: { checks: checkCodes(decision.checks) } });
    const token = await mintStaffToken(ctx, session, actor);
    return { ok: true as const, session: viewSession(await findSession(tx, sessionId)), token };
  });
  // Refused on the second look (the rules changed in between): the empty room expires by itself.
  if (!result.ok) return refuse(result.checks);
  await publishSessionChanged(ctx, sessionId);
  return result;
}

/** maxParticipants counts every invitee and both members of staff (hidden participants too). */
async function createRoom(ctx: Ctx, session: SessionRow): Promise<void> {
  const maxParticipants = session.attendees.length + (session.secondStaffId ? 2 : 1);
  try {
    await ctx.rooms.createRoom(session.roomName, { maxParticipants });
  } catch (err) {
    ctx.log.error({ err, sessionId: session.id }, "LiveKit could not create the room");
    throw new DomainError(
      503,
      "livekit_unreachable",
      "The video server cannot be reached, so the session cannot start. The waiting room still works.",
    );
  }
}

/** Every page and console watching the session re-reads it: reasons for waiting may have changed. */
async function publishSessionChanged(ctx: Ctx, sessionId: string): Promise<void> {
  await ctx.bus.publish({ type: "room.changed", sessionId });
  await ctx.bus.publish({ type: "session.changed", sessionId });
}

/** The session's easy-read plan for the waiting page (its staff set it, up to six steps). */
export async function setPlan(ctx: Ctx, sessionId: string, plan: SessionPlan, actor: StaffView): Promise<SessionPlan> {
  await ctx.transaction(async ({ tx, audit, lockSession }) => {
    await lockSession(sessionId);
    const session = await findSession(tx, sessionId);
    assertAssigned(session, actor);
    if (session.status === "ended") throw conflict("session_ended", "The session has ended.");
    await tx.session.update({ where: { id: sessionId }, data: { plan } });
    await audit.append({ actorType: "staff", actorId: actor.id, action: "session.plan_set", sessionId, data: { steps: plan.length } });
  });
  await ctx.bus.publish({ type: "room.changed", sessionId });
  return plan;
}

export async function joinSession(ctx: Ctx, sessionId: string, actor: StaffView) {
  const joined = await ctx.transaction(async ({ tx, now, audit, lockSession }) => {
    await lockSession(sessionId);
    const session = await findSession(tx, sessionId);
    assertAssigned(session, actor);
    const decision = decideStaffJoin({
      now: now,
      session: sessionFacts(session),
      actor: staffActor(actor, session),
      keptApart: await staffKeptApart(tx, now, actor.id, session.attendees),
    });
    if (!decision.allowed) return { ok: false as const, checks: decision.checks };
    await audit.append({ actorType: "staff", actorId: actor.id, action: "session.staff_joined", sessionId });
    return { ok: true as const, session: viewSession(session), token: await mintStaffToken(ctx, session, actor) };
  });
  if (joined.ok) return { session: joined.session, token: joined.token };
  const failed = joined.checks.filter((c) => c.outcome === "fail");
  // Every refusal is kept (a keep-apart's above all); the words never carry its reason.
  await ctx.transaction(({ audit }) =>
    audit.append({
      actorType: "staff",
      actorId: actor.id,
      action: "session.join_refused",
      sessionId,
      data: { checks: checkCodes(failed) },
    }),
  );
  const r15 = failed.find((c) => c.rule === "R15.keep-apart");
  throw conflict(r15 ? "R15.keep-apart" : "not_allowed", r15 ? r15.reason : "The session is not live.", joined.checks);
}

export async function endSession(ctx: Ctx, sessionId: string, actor: StaffView) {
  const ended = await ctx.transaction(async (uow) => {
    const { tx, now, audit, lockSession } = uow;
    await lockSession(sessionId);
    const session = await findSession(tx, sessionId);
    assertAssigned(session, actor);
    if (session.status === "ended") throw conflict("session_ended", "The session has already ended.");
    const admitted = await tx.admissionDecision.groupBy({ by: ["attendeeId"], where: { sessionId, action: "admit" }, _count: true });
    const summary = {
      startedAt: session.startedAt,
      endedAt: now,
      attendees: session.attendees.map((a) => ({
        id: a.id,
        displayName: a.displayName,
        kind: a.kind,
        finalState: a.state,
        admissions: admitted.find((x) => x.attendeeId === a.id)?._count ?? 0,
      })),
    };
    await tx.session.update({ where: { id: sessionId }, data: { status: "ended", endedAt: now, summary } });
    await tx.attendee.updateMany({ where: { sessionId }, data: { state: "ended", stateChangedAt: now } });
    await revokeLinks(tx, { attendee: { sessionId } }, "session-ended", now);
    // The trail keeps the summary's facts; the names stay on the session's row (audit.ts).
    const facts = { ...summary, attendees: summary.attendees.map(({ displayName: _name, ...rest }) => rest) };
    await audit.append({ actorType: "staff", actorId: actor.id, action: "session.ended", sessionId, data: { summary: facts } });
    // Ending the session ends its recording (R4): nobody is left who consented to more.
    const recording = await currentRecording(tx, sessionId);
    if (recording) await markStopping(uow, recording, actor.id, "The session ended.");
    const stopping = recording && (await tx.recording.findUniqueOrThrow({ where: { id: recording.id } }));
    return { view: viewSession(await findSession(tx, sessionId)), roomName: session.roomName, stopping };
  });
  if (ended.stopping) await stopEgresses(ctx, [ended.stopping]);
  // The session is over whatever LiveKit says; a room it could not delete empties itself.
  await ctx.rooms.deleteRoom(ended.roomName).catch((err) => ctx.log.error({ err, sessionId }, "LiveKit could not delete the room"));
  await ctx.bus.publish({ type: "session.ended", sessionId });
  await ctx.bus.publish({ type: "session.changed", sessionId });
  return ended.view;
}

/**
 * Cancels a session that has not started: everyone invited is told (with the reason, which R14
 * checks first), their links stop working, and the session ends without having taken place.
 */
export async function cancelSession(ctx: Ctx, sessionId: string, reason: string, actor: StaffView, toneWaiverReason: string | null = null) {
  await ctx.transaction(async (uow) => {
    await uow.lockSession(sessionId);
    const session = await findSession(uow.tx, sessionId);
    assertAssigned(session, actor);
    if (session.status !== "scheduled") throw conflict("wrong_state", "Only a session that has not started can be cancelled.");
    await checkStaffText(uow, sessionId, reason, toneWaiverReason, actor);
    await cancelInTx(ctx, uow, session, reason, actor);
  });
  await ctx.bus.publish({ type: "session.ended", sessionId });
  await ctx.bus.publish({ type: "session.changed", sessionId });
}

/**
 * Moves a session that has not started (one occurrence of a group, or a one-off) to new times
 * inside the agreed hours (R6); everyone invited is told. Links stay the same.
 */
export async function moveSession(ctx: Ctx, sessionId: string, times: { startsAt: Date; endsAt: Date }, actor: StaffView) {
  if (times.endsAt <= times.startsAt) throw badRequest("invalid_times", "endsAt must be after startsAt.");
  if (times.startsAt <= ctx.now()) throw badRequest("invalid_times", "A session can only be moved to a time still ahead.");
  await ctx.transaction(async (uow) => {
    const { tx, now } = uow;
    await uow.lockSession(sessionId);
    const session = await findSession(tx, sessionId);
    assertAssigned(session, actor);
    if (session.status !== "scheduled") throw conflict("wrong_state", "Only a session that has not started can be moved.");
    const settings = await readSettings(tx);
    const r6 = scheduledWithinHours(times, agreedHoursOf(settings));
    if (r6.outcome === "fail") throw conflict("R6.outside-agreed-hours", r6.reason, [r6]);
    await tx.session.update({ where: { id: sessionId }, data: times });
    await uow.audit.append({
      actorType: "staff",
      actorId: actor.id,
      action: "session.moved",
      sessionId,
      data: { from: session.startsAt, ...times },
    });
    const moved = await findSession(tx, sessionId);
    await queueMessages(
      uow,
      ctx.config.SESSION_SECRET,
      agreedHoursOf(settings),
      moved.attendees.filter((a) => a.state !== "removed").map((a) => noticeFor("changed", moved, a, settings, now)),
    );
  });
  // Waiting pages say when the group starts.
  await ctx.bus.publish({ type: "session.changed", sessionId });
  await ctx.bus.publish({ type: "pages.changed" });
}

/** Cancels a session in the caller's transaction (a group's edit cancels occurrences that no longer fit). */
export async function cancelInTx(ctx: Ctx, uow: Uow, session: SessionRow, reason: string, actor: { id: string }) {
  const { tx, now } = uow;
  await tx.session.update({
    where: { id: session.id },
    data: { status: "ended", endedAt: now, cancelledAt: now, cancelReason: reason },
  });
  await tx.attendee.updateMany({ where: { sessionId: session.id }, data: { state: "ended", stateChangedAt: now } });
  await revokeLinks(tx, { attendee: { sessionId: session.id } }, "cancelled", now);
  await uow.audit.append({ actorType: "staff", actorId: actor.id, action: "session.cancelled", sessionId: session.id, data: {} });
  const settings = await readSettings(tx);
  await queueMessages(
    uow,
    ctx.config.SESSION_SECRET,
    agreedHoursOf(settings),
    session.attendees.filter((a) => a.state !== "removed").map((a) => noticeFor("cancelled", session, a, settings, now, reason)),
  );
}

/** Who runs a session, for deciding who may act on it; null when there is no such session. */
export function sessionStaffIds(store: Store, id: string) {
  return store.database.db.session.findUnique({ where: { id }, select: { leadStaffId: true, secondStaffId: true } });
}

/** Every R3 waiver, newest first, with its session's title (the DSL's list). */
export async function listWaivers(store: Store) {
  const rows = await store.database.db.waiver.findMany({
    orderBy: { createdAt: "desc" },
    include: { session: { select: { title: true } } },
  });
  return rows.map((w) => ({
    id: w.id,
    sessionId: w.sessionId,
    sessionTitle: w.session.title,
    rule: w.rule,
    reason: w.reason,
    staffId: w.staffId,
    createdAt: w.createdAt,
  }));
}
