// Staff decisions on people in the waiting room: admit (through the policy engine), admit all
// eligible, refuse, send back, remove, and messages. Every decision is stored with its checks.

import type { Tx } from "../adapters/db/client.ts";
import { queryableOf } from "../adapters/db/driver.ts";
import { writeAdmissions } from "../adapters/db/writes/admissions.ts";
import { type AttendeeState, type DecisionAction, inWaitingRoom } from "../contract/vocabulary.ts";
import { decideAdmission, failing } from "../policy/engine.ts";
import type { Check, Decision } from "../policy/types.ts";
import { checkCodes } from "./audit.ts";
import type { Ctx } from "./context.ts";
import { storedChecks } from "./decisions.ts";
import { conflict, notFound } from "./errors.ts";
import { type AttendeeRow, findAttendee, findAttendees, gatherAdmitFactsMany, staffActor } from "./facts.ts";
import { groupCommit, type Settled, settle } from "./group-commit.ts";
import { publishChange } from "./notify.ts";
import { assertAssigned, findSession } from "./sessions.ts";
import type { StaffView } from "./staff.ts";
import type { BareUow, Uow } from "./unit-of-work.ts";
import { checkStaffText } from "./waivers.ts";

async function attendeeOf(tx: Tx, sessionId: string, attendeeId: string): Promise<AttendeeRow> {
  const attendee = await findAttendee(tx, attendeeId);
  if (attendee.sessionId !== sessionId) throw notFound("Attendee");
  return attendee;
}

async function record(
  { tx, audit }: Uow,
  a: AttendeeRow,
  action: DecisionAction,
  staffId: string,
  message: string | null = null,
): Promise<void> {
  const decision = await tx.admissionDecision.create({
    data: {
      sessionId: a.sessionId,
      attendeeId: a.id,
      action,
      checks: storedChecks([]),
      staffId,
      message,
    },
  });
  await audit.append({
    actorType: "staff",
    actorId: staffId,
    action: `attendee.${action}`,
    sessionId: a.sessionId,
    subjectId: a.id,
    data: { decisionId: decision.id, withMessage: message !== null },
  });
}

/** Moves an attendee from one of `from` to `to`; false when someone else changed it first. */
async function transition({ tx, now }: Uow, a: AttendeeRow, from: readonly AttendeeState[], to: AttendeeState): Promise<boolean> {
  const { count } = await tx.attendee.updateMany({
    where: { id: a.id, state: { in: [...from] }, admissionSeq: a.admissionSeq },
    data: { state: to, stateChangedAt: now },
  });
  return count === 1;
}

export interface AdmitOutcome {
  attendeeId: string;
  displayName: string;
  admitted: boolean;
  checks: Check[];
  /** When their wait began (not part of the API's answer: the metrics time it). */
  waitingSince: Date;
}

/**
 * Decides admitting people of one session, each on their own facts (the shared facts read once),
 * admits those allowed and stores every decision with its audit event, in the caller's
 * transaction with the session row locked. `staffFor(i)` is who is letting the i-th person in.
 */
async function admitManyInTx(
  uow: BareUow,
  sessionId: string,
  rows: AttendeeRow[],
  staffFor: (index: number) => StaffView,
): Promise<AdmitOutcome[]> {
  const facts = await gatherAdmitFactsMany(uow, rows, "admit", (a, i) => staffActor(staffFor(i), a.session));
  const decided = rows.map((a, i) => ({ a, staff: staffFor(i), decision: decideAdmission(facts[i]!) }));
  const admitted = decided.filter((d) => d.decision.allowed).map((d) => d.a.id);
  const action = (allowed: boolean) => (allowed ? "admit" : "denied");
  // The admitted move and every decision is stored, in two statements, one on PostgreSQL
  // (written by hand: see adapters/db/writes/admissions.ts).
  const moved = await writeAdmissions(
    queryableOf(uow.tx),
    {
      admitted,
      from: inWaitingRoom,
      decisions: decided.map(({ a, staff, decision }) => ({
        sessionId,
        attendeeId: a.id,
        action: action(decision.allowed),
        checks: decision.checks,
        staffId: staff.id,
      })),
    },
    uow.now,
  );
  // The session row is locked, so nobody else can have moved them meanwhile.
  if (moved !== admitted.length) throw new Error("admit: waiting list changed under the session lock");
  await uow.audit.append(
    ...decided.map(({ a, staff, decision }) => ({
      actorType: "staff" as const,
      actorId: staff.id,
      action: `attendee.${action(decision.allowed)}`,
      sessionId,
      subjectId: a.id,
      data: { checks: checkCodes(decision.checks) },
    })),
  );
  return decided.map(({ a, decision }) => ({
    attendeeId: a.id,
    displayName: a.displayName,
    admitted: decision.allowed,
    checks: decision.checks,
    waitingSince: a.stateChangedAt,
  }));
}

/** Admitted people's pages hear of it (the token goes only to them); the console refreshes. */
async function publishOutcomes(ctx: Ctx, sessionId: string, outcomes: AdmitOutcome[]): Promise<void> {
  countOutcomes(ctx, outcomes);
  for (const outcome of outcomes)
    if (outcome.admitted) await ctx.bus.publish({ type: "attendee.changed", sessionId, attendeeId: outcome.attendeeId, state: "admitted" });
  await ctx.bus.publish({ type: "session.changed", sessionId });
}

/** The committed decisions, in the metrics: admitted or denied, each failing rule, the wait. */
function countOutcomes({ metrics, now }: Ctx, outcomes: AdmitOutcome[]): void {
  const at = now().getTime();
  for (const outcome of outcomes) {
    metrics.decisions.inc({ action: outcome.admitted ? "admit" : "denied" });
    if (outcome.admitted) metrics.waitBeforeAdmission.observe(Math.max(0, (at - outcome.waitingSince.getTime()) / 1000));
    else for (const rule of new Set(failing(outcome.checks).map((c) => c.rule))) metrics.refusals.inc({ rule });
  }
}

/**
 * Staff letting one person in. Admits for the same session arriving at the same moment are
 * decided together in one transaction (group commit), each on their own facts and staff member.
 */
export function admitAttendee(ctx: Ctx, sessionId: string, attendeeId: string, staff: StaffView): Promise<AdmitOutcome> {
  return admitTogether(ctx, sessionId, { attendeeId, staff });
}

const admitTogether = groupCommit<Ctx, { attendeeId: string; staff: StaffView }, AdmitOutcome>({
  // Two admits of one person go one after the other: the second sees the first's result.
  distinct: (r) => r.attendeeId,
  observe: (ctx, size) => ctx.metrics.groupCommitSize.observe({ batch: "admit" }, size),
  async run(ctx, sessionId, requests) {
    // Written by hand throughout: no Prisma transaction (client.ts).
    const answers = await ctx.bareTransaction(async (uow) => {
      const { tx } = uow;
      await uow.lockSession(sessionId);
      const found = await findAttendees(
        tx,
        requests.map((r) => r.attendeeId),
      );
      const rows = new Map(found.map((a) => [a.id, a]));
      const answers: Settled<AdmitOutcome>[] = [];
      const valid: { index: number; a: AttendeeRow; staff: StaffView }[] = [];
      for (const [index, { attendeeId, staff }] of requests.entries()) {
        const a = rows.get(attendeeId);
        try {
          if (!a || a.sessionId !== sessionId) throw notFound("Attendee");
          assertAssigned(a.session, staff);
          valid.push({ index, a, staff });
        } catch (error) {
          answers[index] = settle.error(error);
        }
      }
      const outcomes = await admitManyInTx(
        uow,
        sessionId,
        valid.map((v) => v.a),
        (i) => valid[i]!.staff,
      );
      for (const [i, outcome] of outcomes.entries()) answers[valid[i]!.index] = settle.value(outcome);
      return answers;
    });
    await publishOutcomes(
      ctx,
      sessionId,
      answers.flatMap((a) => (a.ok ? [a.value] : [])),
    );
    return answers;
  },
});

/** Admits every eligible waiting person, each decided on their own facts, in one transaction. */
export async function admitAll(ctx: Ctx, sessionId: string, staff: StaffView): Promise<AdmitOutcome[]> {
  const outcomes = await ctx.transaction(
    async (uow) => {
      const { tx } = uow;
      await uow.lockSession(sessionId);
      const session = await findSession(tx, sessionId);
      assertAssigned(session, staff);
      const rows = await findAttendees(
        tx,
        session.attendees.filter((a) => inWaitingRoom.includes(a.state)).map((a) => a.id),
      );
      return admitManyInTx(uow, sessionId, rows, () => staff);
    },
    { timeout: 60_000 },
  );
  await publishOutcomes(ctx, sessionId, outcomes);
  return outcomes;
}

async function staffAction(
  ctx: Ctx,
  sessionId: string,
  attendeeId: string,
  staff: StaffView,
  action: {
    name: DecisionAction;
    from: readonly AttendeeState[];
    to: AttendeeState;
    message?: string | null;
    /** The message reaches the member: R14 checks it, waived with this reason when given. */
    toneWaiverReason?: string | null;
    wrongState: string;
    leavesRoom?: boolean;
  },
) {
  const changed = await ctx.transaction(async (uow) => {
    const { tx } = uow;
    await uow.lockSession(sessionId);
    const a = await attendeeOf(tx, sessionId, attendeeId);
    assertAssigned(a.session, staff);
    if (action.toneWaiverReason !== undefined && action.message) {
      await checkStaffText(uow, sessionId, action.message, action.toneWaiverReason, staff);
    }
    if (!(await transition(uow, a, action.from, action.to))) throw conflict("wrong_state", action.wrongState);
    await record(uow, a, action.name, staff.id, action.message);
    return { ...a, state: action.to, livesWithCarer: a.member?.livesWithCarer ?? false };
  });
  if (action.leavesRoom) {
    await ctx.rooms
      .removeParticipant(changed.session.roomName, changed.id)
      .catch((err) => ctx.log.error({ err, sessionId }, "could not remove the participant from the room; reconciliation will retry"));
  }
  ctx.metrics.decisions.inc({ action: action.name });
  await publishChange(ctx, sessionId, changed.id, changed.state, action.name === "refuse" ? action.message : null);
  return changed;
}

/** Refuses someone waiting; the message, if any, is shown on their page (R14 checks it). */
export function refuseAttendee(
  ctx: Ctx,
  sessionId: string,
  attendeeId: string,
  message: string | null,
  staff: StaffView,
  toneWaiverReason: string | null = null,
) {
  return staffAction(ctx, sessionId, attendeeId, staff, {
    name: "refuse",
    from: inWaitingRoom,
    to: "refused",
    message,
    toneWaiverReason,
    wrongState: "Only someone in the waiting room can be refused.",
  });
}

export function returnToWaiting(ctx: Ctx, sessionId: string, attendeeId: string, staff: StaffView) {
  return staffAction(ctx, sessionId, attendeeId, staff, {
    name: "return",
    from: ["admitted"],
    to: "returned",
    leavesRoom: true,
    wrongState: "Only someone in the room can be sent back to the waiting room.",
  });
}

export function removeAttendee(ctx: Ctx, sessionId: string, attendeeId: string, reason: string, staff: StaffView) {
  return staffAction(ctx, sessionId, attendeeId, staff, {
    name: "remove",
    from: ["admitted", ...inWaitingRoom],
    to: "removed",
    message: reason,
    leavesRoom: true,
    wrongState: "Only someone in the room or the waiting room can be removed.",
  });
}

/** A message to the waiting room, or to one person in it; R14 checks it first. */
export async function sendMessage(
  ctx: Ctx,
  sessionId: string,
  text: string,
  attendeeId: string | null,
  staff: StaffView,
  toneWaiverReason: string | null = null,
) {
  const sent = await ctx.transaction(async (uow) => {
    const { tx, audit } = uow;
    const session = await findSession(tx, sessionId);
    assertAssigned(session, staff);
    if (attendeeId && !session.attendees.some((a) => a.id === attendeeId)) throw notFound("Attendee");
    await checkStaffText(uow, sessionId, text, toneWaiverReason, staff);
    const message = await tx.staffMessage.create({ data: { sessionId, attendeeId, staffId: staff.id, text } });
    await audit.append({
      actorType: "staff",
      actorId: staff.id,
      action: "message.sent",
      sessionId,
      subjectId: attendeeId,
      data: { messageId: message.id },
    });
    const recipients = session.attendees
      .filter((a) => (attendeeId ? a.id === attendeeId : inWaitingRoom.includes(a.state)))
      .map((a) => a.id);
    return { id: message.id, text, attendeeId, createdAt: message.createdAt, recipients };
  });
  await ctx.bus.publish({ type: "message", sessionId, attendeeIds: sent.recipients, text });
  return sent;
}

/** Each attendee's admission checks as they stand now, for the console (nothing is stored). */
export async function previewAdmissions(ctx: Ctx, sessionId: string, staff: StaffView): Promise<Map<string, Decision>> {
  return ctx.transaction(async (uow) => {
    const { tx } = uow;
    const session = await findSession(tx, sessionId);
    const rows = await findAttendees(
      tx,
      session.attendees.map((a) => a.id),
    );
    const facts = await gatherAdmitFactsMany(uow, rows, "admit", (a) => staffActor(staff, a.session));
    return new Map(rows.map((a, i) => [a.id, decideAdmission(facts[i]!)]));
  });
}

/** How admits were grouped into transactions (benchmarks and tests). */
export const admissionGrouping = (ctx: Ctx) => admitTogether.stats(ctx);
