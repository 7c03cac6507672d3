// Recording a session's room through LiveKit Egress, only with the consent of everyone in it (R4).
// Routes gather nothing here: this module reads who is in the room or admitted, the policy engine
// decides, and LiveKit is asked only after the decision is committed. Anything that could put a
// person without consent into a recorded room (a withdrawal, someone appearing, a change of mind)
// stops the recording at once.

import type { Tx } from "../../adapters/db/client.ts";
import type { Egress } from "../../adapters/livekit/egress.ts";
import { recordingOn } from "../../contract/vocabulary.ts";
import { decideRecording, failing } from "../../policy/engine.ts";
import { staffIdentityPrefix } from "../../policy/grants.ts";
import { consentOnFile, recordingConsentLacking } from "../../policy/rules/r4-consent.ts";
import { validInvite } from "../../policy/rules/r10-valid-invite.ts";
import type { RecordingPerson } from "../../policy/types.ts";
import { presentIdentities } from "../attendance.ts";
import { checkCodes } from "../audit.ts";
import type { Ctx } from "../context.ts";
import { conflict, DomainError, forbidden } from "../errors.ts";
import { consentFacts, findAttendees, linkFacts, recordingAnswers, sessionFacts } from "../facts.ts";
import { assertLinkAlive, openLink } from "../invitee.ts";
import { watchesEverySession } from "../roles.ts";
import { assertAssigned, findSession } from "../sessions.ts";
import type { StaffView } from "../staff.ts";
import type { Uow } from "../unit-of-work.ts";
import { applyEgress, currentRecording, markStopping, type RecordingRow, stopEgresses } from "./egress.ts";

type Person = RecordingPerson & { identity: string };

/**
 * Everyone the recording would show: whoever is in the room (attendance) and whoever is
 * admitted (they may join at any moment). Someone in the room the service does not know counts
 * as a person without consent.
 */
async function peopleInRoom(
  tx: Tx,
  session: { id: string; attendees: { id: string; state: string }[] },
  present?: Set<string>,
): Promise<Person[]> {
  present ??= await presentIdentities(tx, session.id);
  const staffIds = [...present].filter((i) => i.startsWith(staffIdentityPrefix)).map((i) => i.slice(staffIdentityPrefix.length));
  const attendeeIds = new Set([...present].filter((i) => !i.startsWith(staffIdentityPrefix)));
  for (const a of session.attendees) if (a.state === "admitted") attendeeIds.add(a.id);
  const attendees = (await findAttendees(tx, [...attendeeIds])).filter((a) => a.sessionId === session.id);
  const staff = await tx.staff.findMany({ where: { id: { in: staffIds } }, select: { id: true, name: true } });
  const answers = await recordingAnswers(tx, session.id, {
    attendeeIds: attendees.filter((a) => a.kind === "volunteer").map((a) => a.id),
    staffIds,
  });
  const known = new Set([...attendees.map((a) => a.id), ...staff.map((s) => `${staffIdentityPrefix}${s.id}`)]);
  return [
    ...attendees.map((a) => ({
      identity: a.id,
      kind: a.kind,
      displayName: a.displayName,
      livesWithCarer: a.member?.livesWithCarer ?? false,
      consents: consentFacts(a.member?.consents ?? []),
      recordingAgreed: answers.get(a.id) ?? null,
    })),
    ...staff.map((s) => ({
      identity: `${staffIdentityPrefix}${s.id}`,
      kind: "staff" as const,
      displayName: s.name,
      livesWithCarer: false,
      consents: [],
      recordingAgreed: answers.get(s.id) ?? null,
    })),
    ...[...present]
      .filter((identity) => !known.has(identity))
      .map((identity) => ({
        identity,
        kind: "volunteer" as const,
        displayName: "Someone the service does not know",
        livesWithCarer: false,
        consents: [],
        recordingAgreed: null,
      })),
  ];
}

/** For the console: whether each person in the room (or admitted) may be recorded, by identity (`present`: the room, already read). */
export async function recordingConsentInRoom(
  tx: Tx,
  session: { id: string; attendees: { id: string; state: string }[] },
  present: Set<string>,
) {
  return new Map((await peopleInRoom(tx, session, present)).map((p) => [p.identity, recordingConsentLacking(p) === null]));
}

/** Tells the session's pages and consoles that its recording changed. */
async function publishRecording(ctx: Ctx, sessionId: string): Promise<void> {
  await ctx.bus.publish({ type: "room.changed", sessionId });
  await ctx.bus.publish({ type: "session.changed", sessionId });
}

function viewRecording(r: RecordingRow, withLocation: boolean) {
  return {
    id: r.id,
    sessionId: r.sessionId,
    egressId: r.egressId,
    status: r.status,
    startedById: r.startedById,
    startedAt: r.startedAt,
    stoppedById: r.stoppedById,
    stoppedAt: r.stoppedAt,
    stopReason: r.stopReason,
    error: r.error,
    ...(withLocation ? { location: r.location } : {}),
  };
}

/** A member of staff's own answer, for this session, to being recorded (staff confirm theirs). */
async function recordStaffAnswer({ tx, audit }: Uow, sessionId: string, staffId: string, agreed: boolean): Promise<void> {
  await tx.recordingAgreement.create({ data: { sessionId, staffId, agreed } });
  await audit.append({
    actorType: "staff",
    actorId: staffId,
    action: "recording.consent",
    sessionId,
    subjectId: staffId,
    data: { agreed },
  });
}

/**
 * An assigned member of staff starts recording the room. Starting confirms their own consent.
 * Refused (409, R4.recording-consent, naming who lacks it) unless everyone in the room and
 * everyone admitted has recording consent; the refusal is recorded too.
 */
export async function startRecording(ctx: Ctx, sessionId: string, actor: StaffView) {
  const started = await ctx.transaction(async (uow) => {
    const { tx, now, audit } = uow;
    await uow.lockSession(sessionId);
    const session = await findSession(tx, sessionId);
    assertAssigned(session, actor);
    if (session.status !== "live") throw conflict("wrong_state", "Only a live session can be recorded.");
    if (await currentRecording(tx, sessionId)) throw conflict("already_recording", "The session is already being recorded.");
    await recordStaffAnswer(uow, sessionId, actor.id, true);
    const people = await peopleInRoom(tx, session);
    const decision = decideRecording(people);
    const present = people.map((p) => p.identity);
    if (!decision.allowed) {
      await audit.append({
        actorType: "staff",
        actorId: actor.id,
        action: "recording.refused",
        sessionId,
        data: { present, checks: checkCodes(decision.checks) },
      });
      return { ok: false as const, checks: decision.checks };
    }
    const rec = await tx.recording.create({ data: { sessionId, startedById: actor.id, startedAt: now } });
    await audit.append({
      actorType: "staff",
      actorId: actor.id,
      action: "recording.requested",
      sessionId,
      subjectId: rec.id,
      data: { recordingId: rec.id, present, checks: checkCodes(decision.checks) },
    });
    return { ok: true as const, rec, roomName: session.roomName };
  });
  if (!started.ok) throw conflict("policy_refused", "The session cannot be recorded: see the failing checks.", failing(started.checks));
  await publishRecording(ctx, sessionId);
  let egress: Egress;
  try {
    egress = await ctx.recorder.start(started.roomName);
  } catch (err) {
    ctx.log.error({ err, sessionId, recordingId: started.rec.id }, "LiveKit could not start a recording");
    const failed = "LiveKit could not start the recording.";
    await settle(ctx, started.rec.id, { egressId: "", roomName: started.roomName, status: "failed", location: null, error: failed });
    await publishRecording(ctx, sessionId);
    throw new DomainError(503, "recording_unavailable", "LiveKit could not start the recording. Nothing is being recorded.");
  }
  const rec = await settle(ctx, started.rec.id, egress);
  // Stopped while LiveKit was starting it (a withdrawal, the end): stop it now that it has an id.
  if (rec.stoppedAt) await stopEgresses(ctx, [rec]);
  await publishRecording(ctx, sessionId);
  return viewRecording(rec, false);
}

/** Applies LiveKit's answer (or a failure to start) to a recording and returns it. */
async function settle(ctx: Ctx, recordingId: string, egress: Egress): Promise<RecordingRow> {
  return ctx.transaction(async (uow) => {
    const rec = await uow.tx.recording.findUniqueOrThrow({ where: { id: recordingId } });
    return (await applyEgress(uow, rec, egress)) ?? uow.tx.recording.findUniqueOrThrow({ where: { id: recordingId } });
  });
}

/** An assigned member of staff stops the recording. */
export async function stopRecording(ctx: Ctx, sessionId: string, actor: StaffView) {
  const rec = await ctx.transaction(async (uow) => {
    await uow.lockSession(sessionId);
    const session = await findSession(uow.tx, sessionId);
    assertAssigned(session, actor);
    const current = await currentRecording(uow.tx, sessionId);
    if (!current || current.stoppedAt) throw conflict("not_recording", "The session is not being recorded.");
    await markStopping(uow, current, actor.id, "Stopped by staff.");
    return uow.tx.recording.findUniqueOrThrow({ where: { id: current.id } });
  });
  await stopEgresses(ctx, [rec]);
  await publishRecording(ctx, sessionId);
  return viewRecording(await ctx.database.db.recording.findUniqueOrThrow({ where: { id: rec.id } }), false);
}

/**
 * Stops the session's recording when anyone in the room or admitted lacks recording consent
 * (a withdrawal, someone appearing, a change of mind). Staff are alerted with who and why.
 */
async function enforceRecordingConsent(ctx: Ctx, sessionId: string, cause: string): Promise<void> {
  const stopped = await ctx.transaction(async (uow) => {
    await uow.lockSession(sessionId);
    const current = await currentRecording(uow.tx, sessionId);
    if (!current || current.stoppedAt) return null;
    const session = await findSession(uow.tx, sessionId);
    const decision = decideRecording(await peopleInRoom(uow.tx, session));
    if (decision.allowed) return null;
    const reason = `${cause} ${failing(decision.checks)[0]?.reason ?? ""}`.trim();
    await markStopping(uow, current, null, reason);
    return { rec: await uow.tx.recording.findUniqueOrThrow({ where: { id: current.id } }), reason };
  });
  if (!stopped) return;
  await stopEgresses(ctx, [stopped.rec]);
  await ctx.bus.publish({ type: "alert", sessionId, kind: "recording", text: `The recording stopped. ${stopped.reason}` });
  await publishRecording(ctx, sessionId);
}

/** After someone joined a room: only a room being recorded needs a look (one read otherwise). */
export async function enforceInRoom(ctx: Ctx, roomName: string): Promise<void> {
  const rec = await ctx.database.db.recording.findFirst({
    where: { status: { in: [...recordingOn] }, stoppedAt: null, session: { roomName } },
    select: { sessionId: true },
  });
  if (rec) await enforceRecordingConsent(ctx, rec.sessionId, "Someone without recording consent came into the room.");
}

/** After a member's consent was withdrawn: every live session they are in that is being recorded checks again. */
export async function enforceForMember(ctx: Ctx, memberId: string): Promise<void> {
  const sessions = await ctx.database.db.recording.findMany({
    where: { status: { in: [...recordingOn] }, stoppedAt: null, session: { status: "live", attendees: { some: { memberId } } } },
    select: { sessionId: true },
  });
  for (const { sessionId } of sessions) await enforceRecordingConsent(ctx, sessionId, "Recording consent was withdrawn.");
}

/** A member of staff's own answer, from the console: saying no stops a recording they are in. */
export async function answerAsStaff(ctx: Ctx, sessionId: string, actor: StaffView, agreed: boolean): Promise<void> {
  await ctx.transaction(async (uow) => {
    await uow.lockSession(sessionId);
    const session = await findSession(uow.tx, sessionId);
    assertAssigned(session, actor);
    if (session.status === "ended") throw conflict("session_ended", "The session has ended.");
    await recordStaffAnswer(uow, sessionId, actor.id, agreed);
  });
  if (!agreed) await enforceRecordingConsent(ctx, sessionId, `${actor.name} said no to being recorded.`);
  await ctx.bus.publish({ type: "session.changed", sessionId });
}

/**
 * A volunteer's own answer, from their join page, recorded like their agreement to the
 * guidelines. Members' recording consent is on file (given by their carer, or by them to staff),
 * so a member's link cannot answer. Saying no stops a recording they are in.
 */
export async function answerAsVolunteer(ctx: Ctx, token: string, agreed: boolean): Promise<void> {
  const sessionId = await ctx.transaction(async ({ tx, audit, lockSession }) => {
    const { link, attendee } = await openLink(tx, token, "invite");
    await lockSession(attendee.sessionId);
    assertLinkAlive(validInvite(linkFacts(attendee, link), sessionFacts(attendee.session)));
    if (attendee.kind !== "volunteer")
      throw conflict("R4.consent-on-file", "Your recording consent is on file with staff. Talk to staff to change it.");
    await tx.recordingAgreement.create({ data: { sessionId: attendee.sessionId, attendeeId: attendee.id, agreed } });
    const by = { actorType: "attendee" as const, actorId: attendee.id, sessionId: attendee.sessionId, subjectId: attendee.id };
    await audit.append({ ...by, action: "recording.consent", data: { agreed } });
    return attendee.sessionId;
  });
  if (!agreed) await enforceRecordingConsent(ctx, sessionId, "A volunteer said no to being recorded.");
  await ctx.bus.publish({ type: "session.changed", sessionId });
}

/**
 * A session's recordings, with the people in each and whether each may be posted on social media.
 * The file's location is for the DSL and admins only.
 */
export async function listRecordings(ctx: Ctx, sessionId: string, viewer: StaffView) {
  const db = ctx.database.db;
  const session = await findSession(db, sessionId);
  const everyone = watchesEverySession(viewer.roles);
  if (!everyone) assertAssigned(session, viewer);
  const recordings = await db.recording.findMany({ where: { sessionId }, orderBy: { startedAt: "asc" } });
  const people = await peopleRecorded(db, sessionId);
  const names = new Map<string, { name: string; memberId: string | null; staff: boolean }>(
    session.attendees.map((a) => [a.id, { name: a.displayName, memberId: a.memberId, staff: false }]),
  );
  if (session.lead) names.set(`${staffIdentityPrefix}${session.lead.id}`, { name: session.lead.name, memberId: null, staff: true });
  if (session.second) names.set(`${staffIdentityPrefix}${session.second.id}`, { name: session.second.name, memberId: null, staff: true });
  const memberIds = session.attendees.flatMap((a) => (a.memberId ? [a.memberId] : []));
  const members = await db.member.findMany({ where: { id: { in: memberIds } }, include: { consents: { include: { withdrawal: true } } } });
  const mayPost = new Map(
    members.map((m) => [m.id, consentOnFile(consentFacts(m.consents), m.livesWithCarer, "social-media") === "given"]),
  );
  return recordings.map((r) => ({
    ...viewRecording(r, everyone),
    people: [...(people.get(r.id) ?? [])].map((identity) => {
      const who = names.get(identity);
      const name = who?.name ?? "Someone the service does not know";
      const posted = who?.memberId ? (mayPost.get(who.memberId) ?? false) : false;
      return {
        identity,
        name,
        staff: who?.staff ?? false,
        socialMedia: posted,
        mayBePosted: posted ? "may be posted: yes" : `may be posted: no — ${name} has not given consent`,
      };
    }),
  }));
}

/**
 * Who each recording showed, read from the audit trail, whose order is the order things
 * happened: those present when it was asked for, and everyone who joined the room until it was
 * asked to stop (or ended).
 */
async function peopleRecorded(db: Tx, sessionId: string): Promise<Map<string, Set<string>>> {
  const events = await db.auditEvent.findMany({
    where: {
      sessionId,
      action: { in: ["recording.requested", "recording.stop", "recording.complete", "recording.failed", "attendance.joined"] },
    },
    orderBy: { seq: "asc" },
    select: { action: true, subjectId: true, data: true },
  });
  const recorded = new Map<string, Set<string>>();
  const running = new Set<string>();
  for (const e of events) {
    if (e.action === "recording.requested" && e.subjectId) {
      const present = (JSON.parse(e.data) as { present?: string[] }).present ?? [];
      recorded.set(e.subjectId, new Set(present));
      running.add(e.subjectId);
    } else if (e.action === "attendance.joined" && e.subjectId) {
      for (const id of running) recorded.get(id)?.add(e.subjectId);
    } else if (e.subjectId) running.delete(e.subjectId);
  }
  return recorded;
}

/**
 * Every recording the DSL and admins can see, newest first, with its location.
 */
export async function listAllRecordings(ctx: Ctx, viewer: StaffView) {
  if (!watchesEverySession(viewer.roles)) throw forbidden("Only the safeguarding lead and admins see every recording.");
  const rows = await ctx.database.db.recording.findMany({
    orderBy: { startedAt: "desc" },
    take: 500,
    include: { session: { select: { title: true } } },
  });
  return rows.map((r) => ({ ...viewRecording(r, true), sessionTitle: r.session.title }));
}

/**
 * A LiveKit egress webhook: the recording's state and file. One still waiting for LiveKit's
 * answer to the start is matched by its room.
 */
export async function applyEgressEvent(ctx: Ctx, egress: Egress): Promise<void> {
  const changed = await ctx.transaction(async (uow) => {
    const rec =
      (await uow.tx.recording.findUnique({ where: { egressId: egress.egressId } })) ??
      (await uow.tx.recording.findFirst({ where: { egressId: null, status: "requested", session: { roomName: egress.roomName } } }));
    if (!rec) return null;
    return applyEgress(uow, rec, egress);
  });
  if (!changed) return;
  if (changed.stoppedAt && (changed.status === "starting" || changed.status === "active")) await stopEgresses(ctx, [changed]);
  await publishRecording(ctx, changed.sessionId);
}

/**
 * Webhooks can be lost: each live session's recordings are compared with LiveKit's ListEgress,
 * a stop that LiveKit did not take is asked again, and consent is checked again.
 */
export async function reconcileRecordings(ctx: Ctx): Promise<void> {
  const open = await ctx.database.db.recording.findMany({
    where: { status: { in: ["requested", "starting", "active", "ending"] } },
    include: { session: { select: { roomName: true, status: true } } },
  });
  for (const rec of open) {
    const egresses = await ctx.recorder.list(rec.session.roomName);
    if (rec.status === "requested") {
      // Asked for, but the answer never came back (the service stopped in between): LiveKit's
      // list says whether it started; if it did not within a minute, it never will.
      const stale = ctx.now().getTime() - rec.startedAt.getTime() > 60_000;
      const known = new Set(
        (await ctx.database.db.recording.findMany({ where: { sessionId: rec.sessionId }, select: { egressId: true } })).map(
          (r) => r.egressId,
        ),
      );
      const adopted = egresses.find((e) => !known.has(e.egressId) && e.status !== "complete" && e.status !== "failed");
      if (adopted) await applyEgressEvent(ctx, adopted);
      else if (stale)
        await settle(ctx, rec.id, {
          egressId: "",
          roomName: rec.session.roomName,
          status: "failed",
          location: null,
          error: "LiveKit never answered.",
        });
      continue;
    }
    const listed = egresses.find((e) => e.egressId === rec.egressId);
    if (listed) await applyEgressEvent(ctx, listed);
    const now = await ctx.database.db.recording.findUniqueOrThrow({ where: { id: rec.id } });
    if (now.stoppedAt && (now.status === "starting" || now.status === "active")) await stopEgresses(ctx, [now]);
    else if (rec.session.status === "live")
      await enforceRecordingConsent(ctx, rec.sessionId, "Someone in the room has no recording consent.");
  }
}
