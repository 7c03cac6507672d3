// What the live pages show: the state and easy-read reasons on a waiting page, the console's
// view of a session, and pages that go away (no ghosts in the waiting list).

import { queryableOf } from "../adapters/db/driver.ts";
import { readAttendeeStates } from "../adapters/db/reads/shared.ts";
import type { PageState, Snapshot } from "../contract/live.ts";
import { inWaitingRoom } from "../contract/vocabulary.ts";
import { decideAdmission, failing } from "../policy/engine.ts";
import { recordingConsentLacking } from "../policy/rules/r4-consent.ts";
import type { Check } from "../policy/types.ts";
import { presentIdentities } from "./attendance.ts";
import type { Ctx } from "./context.ts";
import { DomainError } from "./errors.ts";
import {
  type AttendeeRow,
  findAttendees,
  gatherAdmitFactsEach,
  gatherAdmitFactsMany,
  type LinkInHand,
  linkFacts,
  sessionsRecording,
} from "./facts.ts";
import { helpStates, openCalls } from "./help.ts";
import { connectManyInTx, linkNotFound, linkRevoked, minted, openLinks, openLinksLocked, revokedWords } from "./invitee.ts";
import { findLink } from "./links.ts";
import { publishArrival } from "./notify.ts";
import { currentRecording } from "./recording/egress.ts";
import { recordingConsentInRoom } from "./recording/recording.ts";
import { seenBy } from "./seen.ts";
import { findSession, viewSession } from "./sessions.ts";
import { readSettings } from "./settings.ts";
import type { StaffView } from "./staff.ts";
import type { Uow } from "./unit-of-work.ts";
import { dayWords, timeWords } from "./words.ts";

/** "The group starts on Tuesday 3 March at 2pm." in the organisation's time zone. */
function startsSentence(startsAt: Date, timeZone: string): string {
  return `The group starts on ${dayWords(startsAt, timeZone)} at ${timeWords(startsAt, timeZone)}.`;
}

const cancelledWords = "This group is cancelled. It will not happen.";

const waitingActor = { staffId: "", active: true, isLead: true, isAssigned: true };

type Opened = Awaited<ReturnType<typeof openLinks>>;

/**
 * The current state of many waiting pages: each person decided on their own facts by the policy
 * engine, the shared facts read once, tokens minted only for those whose admission holds now.
 * Tokens unknown as invite links are left out of the answer.
 *
 * A token is decided and recorded in a transaction. Telling everyone else why they wait (or that
 * they were refused, or the group ended) decides and records nothing, so when nobody among the
 * pages is admitted their states are read without one, as the invite page is: most refreshes,
 * and every page opening at the top of the hour, where the transaction itself cost more than
 * the reads (bench/history.md). Someone admitted after that read is refreshed again by the news
 * of it, and then has their token through the transaction.
 */
export async function pageStates(ctx: Ctx, tokens: string[], { admittedNews = false } = {}): Promise<Map<string, PageState>> {
  // `admittedNews`: the refresh is for news that someone was admitted, so the read without a
  // transaction would only find them admitted and be done again inside one: skip it.
  if (!admittedNews) {
    const db = ctx.database.db;
    const opened = await openLinks(db, tokens);
    if (![...opened.values()].some((o) => o.attendee.state === "admitted")) return statesOf(ctx, { tx: db, now: ctx.now() }, opened);
  }
  return ctx.transaction(async (uow) => statesOf(ctx, uow, await openLinksLocked(uow, tokens), uow));
}

/** The states of opened pages; `uow`, the transaction that mints tokens, when any is admitted. */
async function statesOf(ctx: Ctx, reading: Pick<Uow, "tx" | "now">, opened: Opened, uow?: Uow): Promise<Map<string, PageState>> {
  const { tx } = reading;
  const refused = [...opened.values()].flatMap((o) => (o.attendee.state === "refused" ? [o.attendee.id] : []));
  // Most refreshes are of people waiting or admitted: no statement for the refusal messages.
  const refusals = refused.length
    ? await tx.admissionDecision.findMany({ where: { attendeeId: { in: refused }, action: "refuse" }, orderBy: { createdAt: "asc" } })
    : [];
  const refusal = new Map(refusals.map((r) => [r.attendeeId, r.message]));

  const states = new Map<string, Omit<PageState, "recording">>();
  const admitted: { token: string; link: LinkInHand; attendee: AttendeeRow }[] = [];
  const waiting: { token: string; attendee: AttendeeRow }[] = [];
  for (const [token, { link, attendee }] of opened) {
    if (attendee.session.status === "ended")
      states.set(token, {
        type: "state",
        state: "ended",
        reasons: [attendee.session.cancelledAt ? cancelledWords : "The group has finished."],
      });
    else if (linkFacts(attendee, link).revoked) states.set(token, { type: "state", state: "ended", reasons: [revokedWords] });
    else if (attendee.state === "refused")
      states.set(token, { type: "state", state: "refused", message: refusal.get(attendee.id) ?? "Staff cannot let you in today." });
    else if (attendee.state === "removed")
      states.set(token, { type: "state", state: "refused", message: "Staff have asked you to leave the group." });
    else if (attendee.state === "admitted") admitted.push({ token, link, attendee });
    else waiting.push({ token, attendee });
  }

  if (admitted.length && !uow) throw new Error("pageStates: a token is minted only in a transaction");
  const grants = uow ? await connectManyInTx(uow, admitted) : [];
  // Signed here, inside the transaction (the states go out after its commit): no lane waits on it.
  const connections = await Promise.all(grants.map((grant) => minted(ctx, grant)));
  for (const [i, c] of connections.entries()) {
    const { attendee } = admitted[i]!;
    if (c.ok) ctx.metrics.tokenOnPage(`${attendee.id}:${attendee.admissionSeq}`, attendee.stateChangedAt, reading.now);
    states.set(
      admitted[i]!.token,
      c.ok
        ? { type: "state", state: "admitted", token: c.participant_token, livekitUrl: c.server_url }
        : // Admitted, but something changed since (a carer withdrew, staff left): still waiting.
          { type: "state", state: "waiting", reasons: easyReasons(c.checks), ...agreement(c.checks) },
    );
  }
  // Why they wait: the admission is previewed as if staff were letting them in now.
  const facts = await gatherAdmitFactsEach(reading, waiting, "admit", () => waitingActor);
  const seen = await seenBy(
    tx,
    waiting.map((w) => w.attendee),
  );
  for (const [i, { token, attendee }] of waiting.entries()) {
    const checks = decideAdmission(facts[i]!).checks;
    const reasons = easyReasons(checks, false);
    if (attendee.session.status === "scheduled") reasons.push(startsSentence(attendee.session.startsAt, facts[i]!.agreedHours.timeZone));
    if (reasons.length === 0) reasons.push("Staff will let you in soon.");
    const by = seen.get(attendee.id);
    states.set(token, {
      type: "state",
      state: attendee.state === "returned" ? "returned" : "waiting",
      reasons,
      ...agreement(checks),
      ...(by ? { seenBy: by } : {}),
    });
  }
  const sessionOf = (token: string) => opened.get(token)!.attendee.sessionId;
  const attendeeOf = (token: string) => opened.get(token)!.attendee.id;
  const recording = await sessionsRecording(tx, [...new Set([...states.keys()].map(sessionOf))]);
  const help = await helpStates(tx, [...states.keys()].map(attendeeOf));
  return new Map(
    [...states].map(([token, state]) => {
      const call = help.get(attendeeOf(token));
      return [token, { ...state, recording: recording.has(sessionOf(token)), ...(call ? { help: call } : {}) }];
    }),
  );
}

function agreement(checks: Check[]): { needsAgreement?: true } {
  return checks.some((c) => c.rule === "R13.guidelines-agreed" && c.outcome === "fail") ? { needsAgreement: true } : {};
}

/** The easy-read words of the failing checks, each once. */
function easyReasons(checks: Check[], fallback = true): string[] {
  const reasons = [...new Set(failing(checks).flatMap((c) => (c.easyRead ? [c.easyRead] : [])))];
  return reasons.length || !fallback ? reasons : ["Staff will let you in soon."];
}

/** Which attendee and session an invite link names, for the socket; 404/410 as the API answers. */
export async function pageOwner(ctx: Ctx, token: string): Promise<{ attendeeId: string; sessionId: string }> {
  const link = await findLink(ctx.database.db, token, "invite");
  if (!link) throw linkNotFound();
  const { attendee } = link;
  if (attendee.session.cancelledAt) throw new DomainError(410, "R10.session-cancelled", cancelledWords);
  if (attendee.session.status === "ended") throw new DomainError(410, "R10.session-ended", "The group has finished.");
  if (link.revokedAt) throw linkRevoked();
  return { attendeeId: attendee.id, sessionId: attendee.sessionId };
}

/** The page came back: someone who had drifted away rejoins the waiting list. */
export async function pageConnected(ctx: Ctx, attendeeId: string): Promise<void> {
  // Most pages open for someone who is not away (a first visit, a reload): one read, no transaction.
  const [a] = await readAttendeeStates(queryableOf(ctx.database.db), [attendeeId]);
  if (a?.state !== "away") return;
  const back = await ctx.transaction(async ({ tx, now, audit, lockSession }) => {
    await lockSession(a.sessionId);
    const { count } = await tx.attendee.updateMany({
      where: { id: attendeeId, state: "away" },
      data: { state: "waiting", stateChangedAt: now },
    });
    if (count)
      await audit.append({
        actorType: "attendee",
        actorId: attendeeId,
        action: "waiting.returned",
        sessionId: a.sessionId,
        subjectId: attendeeId,
      });
    return count ? a.sessionId : null;
  });
  if (back) await publishArrival(ctx, back, attendeeId);
}

/** The page has been gone longer than the grace period: they leave the waiting list. */
export async function pageGone(ctx: Ctx, attendeeId: string): Promise<void> {
  const left = await ctx.transaction(async ({ tx, now, audit, lockSession }) => {
    const a = await tx.attendee.findUniqueOrThrow({ where: { id: attendeeId }, select: { sessionId: true } });
    await lockSession(a.sessionId);
    const { count } = await tx.attendee.updateMany({
      where: { id: attendeeId, state: { in: [...inWaitingRoom] } },
      data: { state: "away", stateChangedAt: now },
    });
    if (count) await audit.append({ actorType: "system", action: "waiting.left", sessionId: a.sessionId, subjectId: attendeeId });
    return count ? a.sessionId : null;
  });
  if (left) await ctx.bus.publish({ type: "session.changed", sessionId: left });
}

/** The console's view: the session, each waiting person with their time and checks, who is in the room. */
export async function consoleSnapshot(ctx: Ctx, sessionId: string, staff: StaffView): Promise<Snapshot> {
  return ctx.transaction(async (uow) => {
    const { tx, now } = uow;
    const session = await findSession(tx, sessionId);
    const settings = await readSettings(tx);
    const rows = await findAttendees(
      tx,
      session.attendees.filter((a) => inWaitingRoom.includes(a.state)).map((a) => a.id),
    );
    const actor = { staffId: staff.id, active: true, isLead: true, isAssigned: true };
    const facts = await gatherAdmitFactsMany(uow, rows, "admit", () => actor);
    const waiting = rows.map((row, i) => {
      const decision = decideAdmission(facts[i]!);
      const waitingSeconds = Math.max(0, Math.round((now.getTime() - row.stateChangedAt.getTime()) / 1000));
      return {
        attendeeId: row.id,
        displayName: row.displayName,
        state: row.state,
        since: row.stateChangedAt,
        waitingSeconds,
        longWait: waitingSeconds >= settings.longWaitSeconds,
        eligible: decision.allowed,
        checks: decision.checks,
        recordingConsent: recordingConsentLacking(facts[i]!.attendee) === null,
      };
    });
    const present = await presentIdentities(tx, sessionId);
    const recordable = await recordingConsentInRoom(tx, session, present);
    const recording = await currentRecording(tx, sessionId);
    const names = new Map<string, string>(session.attendees.map((a) => [a.id, a.displayName]));
    if (session.lead) names.set(`staff:${session.lead.id}`, session.lead.name);
    if (session.second) names.set(`staff:${session.second.id}`, session.second.name);
    return {
      type: "snapshot" as const,
      session: viewSession(session),
      waiting,
      inRoom: [...present].map((identity) => ({
        identity,
        name: names.get(identity) ?? "Unknown",
        staff: identity.startsWith("staff:"),
        recordingConsent: recordable.get(identity) ?? false,
      })),
      help: (await openCalls(tx, sessionId)).map((c) => ({
        attendeeId: c.attendeeId,
        name: names.get(c.attendeeId) ?? "Someone",
        at: c.createdAt,
        via: c.via === "carer" ? ("carer" as const) : ("page" as const),
      })),
      recording: recording && {
        id: recording.id,
        status: recording.status,
        startedAt: recording.startedAt,
        stopping: recording.stoppedAt !== null,
      },
    };
  });
}
