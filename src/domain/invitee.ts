// What a member or volunteer does with their invite link: read what the session is, agree to
// the group guidelines (R13), enter the waiting room, and, once admitted, get their token.
import type { AnyTx, Tx } from "../adapters/db/client.ts";
import { queryableOf } from "../adapters/db/driver.ts";
import { type EntryWrites, writeEntries } from "../adapters/db/writes/entries.ts";
import { sessionPlan } from "../contract/vocabulary.ts";
import { decideAdmission, decideEnterWaiting } from "../policy/engine.ts";
import { attendeeToken, type TokenSpec } from "../policy/grants.ts";
import type { Check } from "../policy/types.ts";
import type { Ctx } from "./context.ts";
import { DomainError } from "./errors.ts";
import {
  type AttendeeRow,
  attendeeFacts,
  findAttendee,
  findAttendees,
  gatherAdmitFactsEach,
  type LinkInHand,
  linkFacts,
  recordingAnswers,
  recordingIsOn,
  sessionFacts,
} from "./facts.ts";
import { groupCommit, type Settled, settle } from "./group-commit.ts";
import { findLink, findLinks, type LinkKind } from "./links.ts";
import { publishArrival, publishChange } from "./notify.ts";
import { hashToken } from "./secrets.ts";
import { currentText, readSettings, type SettingsView } from "./settings.ts";
import { hasPhoto, photoOf } from "./staff-photo.ts";
import type { BareUow, Uow } from "./unit-of-work.ts";
import { firstName } from "./words.ts";

export const linkNotFound = () =>
  new DomainError(404, "R10.unknown-link", "This link does not work. Please check it, or ask staff for a new one.");

/** What a page says of a link that was replaced: in its state, or as a 410. */
export const revokedWords = "This link does not work any more. Ask staff for a new one.";
export const linkRevoked = () => new DomainError(410, "R10.link-revoked", revokedWords);

/** The link and its attendee; a link that never existed is a 404 and reveals nothing. */
export async function openLink(tx: Tx, token: string, kind: LinkKind) {
  const link = await findLink(tx, token, kind);
  if (!link) throw linkNotFound();
  return { link, attendee: await findAttendee(tx, link.attendeeId) };
}

/** Dead links (reissued, or the session ended) are 410 Gone, with the reason in easy-read words. */
export function assertLinkAlive(check: Check): void {
  if (check.outcome === "fail") throw new DomainError(410, check.code, check.easyRead ?? check.reason, [check]);
}

/** R12: the organisation's emergency contact, or the lead's name when an admin has set none. */
export function emergencyContact(settings: SettingsView, leadName: string) {
  return settings.emergencyContact.name ? settings.emergencyContact : { name: leadName, phone: "" };
}

function publicSession(a: Awaited<ReturnType<typeof findAttendee>>, settings: SettingsView) {
  return {
    id: a.session.id,
    title: a.session.title,
    startsAt: a.session.startsAt,
    endsAt: a.session.endsAt,
    status: a.session.status,
    emergencyContact: emergencyContact(settings, a.session.lead.name),
  };
}

/** The facts and the decision for entering the waiting room; a dead link is 410 straight away. */
async function enterFacts(tx: Tx, link: LinkInHand, attendee: AttendeeRow, agreesNow: boolean) {
  const settings = await readSettings(tx);
  const guidelines = await currentText(tx, "member");
  const facts = await attendeeFacts(tx, attendee);
  const decision = decideEnterWaiting({
    session: sessionFacts(attendee.session),
    link: linkFacts(attendee, link),
    attendee: facts,
    currentGuidelinesVersion: guidelines.version,
    agreesNow,
  });
  assertLinkAlive(decision.checks.find((c) => c.rule === "R10.valid-invite")!);
  return { settings, guidelines, facts, decision };
}

export async function describeInvite(ctx: Ctx, token: string) {
  // Reads only, and none needs another's snapshot: no transaction (two statements fewer a page).
  const db = ctx.database.db;
  const { link, attendee } = await openLink(db, token, "invite");
  const { settings, guidelines, facts } = await enterFacts(db, link, attendee, false);
  return {
    session: publicSession(attendee, settings),
    attendee: { id: attendee.id, displayName: attendee.displayName, state: attendee.state },
    guidelines: { version: guidelines.version, lines: guidelines.lines },
    agreedToCurrentGuidelines: facts.agreedGuidelinesVersion === guidelines.version,
    lead: { firstName: firstName(attendee.session.lead.name), photo: await hasPhoto(db, attendee.session.lead.id) },
    plan: sessionPlan.catch([]).parse(attendee.session.plan ?? []),
    recording: {
      now: await recordingIsOn(db, attendee.sessionId),
      asked: attendee.kind === "volunteer",
      // Only a volunteer answers for themselves (a member's consent is on file with staff).
      agreed:
        attendee.kind === "volunteer"
          ? ((await recordingAnswers(db, attendee.sessionId, { attendeeIds: [attendee.id] })).get(attendee.id) ?? null)
          : null,
    },
  };
}

/** The photo of the lead of the session a live invite link is for. */
export async function leadPhotoFor(ctx: Ctx, token: string): Promise<Buffer> {
  const { link, attendee } = await openLink(ctx.database.db, token, "invite");
  if (link.revokedAt) throw linkRevoked();
  return photoOf(ctx, attendee.session.lead.id);
}

/**
 * Someone opening their invite enters the waiting room (agreeing to the guidelines, if they do).
 * Entries arriving together (everyone opening their link at the top of the hour) are decided in
 * one transaction (group commit), each on their own facts: one commit instead of one each.
 */
export async function enterWaitingRoom(ctx: Ctx, token: string, agreedToGuidelines: boolean) {
  const result = await enterTogether(ctx, "enter", { token, agreedToGuidelines });
  if (result.ok && result.arrived) await publishArrival(ctx, result.session.id, result.attendee.id, result.attendee.displayName);
  else if (result.ok && result.agreedNow) await publishChange(ctx, result.session.id, result.attendee.id, result.attendee.state);
  return result;
}

/** How entries were grouped into transactions (benchmarks and tests). */
export const entryGrouping = (ctx: Ctx) => enterTogether.stats(ctx);

type Entry = { token: string; agreedToGuidelines: boolean };

const enterTogether = groupCommit<Ctx, Entry, Awaited<ReturnType<typeof enterInTx>>>({
  // The same link twice goes one after the other: the second sees the first's entry.
  distinct: (entry) => entry.token,
  observe: (ctx, size) => ctx.metrics.groupCommitSize.observe({ batch: "enter" }, size),
  run: (ctx, _key, entries) =>
    ctx.transaction(async (uow) => {
      // Every session involved locked first, in one order (two batches cannot deadlock), and
      // everyone read after that: nothing about these people can change until commit.
      const opened = await openLinksLocked(
        uow,
        entries.map((e) => e.token),
        "update",
      );
      const answers: Settled<Awaited<ReturnType<typeof enterInTx>>>[] = [];
      const writes: EntryWrites = { agreements: [], arrivals: [] };
      for (const entry of entries) {
        const invite = opened.get(entry.token);
        // A refusal (an unknown or dead link) is decided before anything is written: it is that
        // entry's answer, and the others go on in the same transaction.
        try {
          if (!invite) throw linkNotFound();
          answers.push(settle.value(await enterInTx(uow, invite, entry.agreedToGuidelines, writes)));
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          answers.push(settle.error(err));
        }
      }
      // Everyone's rows in two statements, not two each: each entry was decided on facts no
      // other entry of the batch writes (each person is in the batch once; their session locked).
      await writeEntries(queryableOf(uow.tx), writes, uow.now);
      return answers;
    }),
});

/** One entry, in the batch's transaction with its session locked; its rows go into `writes`. */
async function enterInTx(
  { tx, audit }: Uow,
  { link, attendee }: { link: LinkInHand; attendee: AttendeeRow },
  agreedToGuidelines: boolean,
  writes: EntryWrites,
) {
  const { settings, guidelines, facts, decision } = await enterFacts(tx, link, attendee, agreedToGuidelines);
  if (!decision.allowed) return { ok: false as const, checks: decision.checks };

  const by = { actorType: "attendee" as const, actorId: attendee.id, sessionId: attendee.sessionId, subjectId: attendee.id };
  if (agreedToGuidelines && facts.agreedGuidelinesVersion !== guidelines.version) {
    writes.agreements.push({ attendeeId: attendee.id, memberId: attendee.memberId, version: guidelines.version });
    await audit.append({ ...by, action: "guidelines.agreed", data: { version: guidelines.version } });
  }
  let state = attendee.state;
  // Only someone not yet in the waiting room enters it; a refused, admitted or removed
  // person reopening their page keeps the state staff gave them.
  if (state === "invited") {
    writes.arrivals.push(attendee.id);
    await audit.append({ ...by, action: "waiting.entered" });
    state = "waiting";
  }
  return {
    ok: true as const,
    arrived: state !== attendee.state,
    agreedNow: agreedToGuidelines && facts.agreedGuidelinesVersion !== guidelines.version,
    attendee: { id: attendee.id, state, displayName: attendee.displayName },
    session: publicSession(attendee, settings),
  };
}

/**
 * The invite links that tokens name, each with its attendee read after locking every session
 * involved, in a fixed order: from here to commit none of them can end or change its people.
 * "share" (minting tokens, refreshing pages) lets such readers run side by side; "update"
 * (entering the waiting room) writes. Tokens that name no invite link are left out.
 */
export function openLinksLocked({ tx }: BareUow, tokens: string[], mode: "share" | "update" = "share") {
  return openLinks(tx, tokens, mode);
}

/**
 * Invite links by token, each with its attendee (tokens unknown as invite links left out); with
 * `lock`, the links' sessions are locked as the links are read, before the attendees are.
 */
export async function openLinks(tx: AnyTx, tokens: string[], lock?: "share" | "update") {
  const hashes = new Map(tokens.map((t) => [hashToken(t), t]));
  const links = (await findLinks(tx, [...hashes.keys()], lock)).filter((l) => l.kind === "invite");
  const rows = new Map((await findAttendees(tx, [...new Set(links.map((l) => l.attendeeId))])).map((a) => [a.id, a]));
  return new Map(links.map((link) => [hashes.get(link.tokenHash)!, { link, attendee: rows.get(link.attendeeId)! }]));
}

/**
 * LiveKit's token-endpoint answer, for an admitted person whose admission still holds. Pages
 * asking at the same moment are decided together in one transaction (group commit), each on
 * their own facts; the token is minted only after its decision is committed, outside the batch,
 * so the next batch need not wait for the signing (≈ 45 µs a token, 1.4 ms for 32).
 */
export async function connectionDetails(ctx: Ctx, token: string): Promise<Connection> {
  return minted(ctx, await connectTogether(ctx, "connect", token));
}

const connectTogether = groupCommit<Ctx, string, Grant>({
  // On PostgreSQL two batches run at once, on two of the pool's connections: each statement is a
  // round trip, so one batch alone left the database and this process waiting on each other by
  // turns. They overlap their reads (the sessions are locked FOR SHARE) and take turns at the
  // audit chain's head, which each locks until it commits (audit.ts). PostgreSQL, token requests
  // ÷ floor at 8 clients in one sitting: 15.3 and 18.7 % one batch at a time, 23.7 and 27.1 % two;
  // full runs since, 821–995 token requests a second at 8 clients against 601 before
  // (bench/history.md). SQLite runs one transaction at a time anyway.
  parallel: (ctx) => (ctx.database.provider === "postgresql" ? 2 : 1),
  observe: (ctx, size) => ctx.metrics.groupCommitSize.observe({ batch: "token" }, size),
  // Every statement of a token batch is written by hand: no Prisma transaction (client.ts).
  run: (ctx, _key, tokens) =>
    ctx.bareTransaction(async (uow) => {
      const opened = await openLinksLocked(uow, tokens);
      const grants = await connectManyInTx(
        uow,
        tokens.flatMap((t) => opened.get(t) ?? []),
      );
      let next = 0;
      return tokens.map((t) => (opened.has(t) ? settle.value(grants[next++]!) : settle.error(linkNotFound())));
    }),
});

/** How token requests were grouped into transactions (benchmarks and tests). */
export const connectionGrouping = (ctx: Ctx) => connectTogether.stats(ctx);

export type Connection = { ok: true; server_url: string; participant_token: string } | { ok: false; checks: Check[] };

/** A decided token request: what its token will say, or the checks that refused it. */
export type Grant = { ok: true; token: TokenSpec } | { ok: false; checks: Check[] };

/** The answer for a grant, its token signed: sent only once the decision that allowed it is committed. */
export async function minted(ctx: Ctx, grant: Grant): Promise<Connection> {
  if (!grant.ok) return grant;
  return { ok: true, server_url: ctx.config.LIVEKIT_URL, participant_token: await ctx.tokens.mint(grant.token) };
}

/**
 * Token grants for admitted people, each decided again on their own facts; one audit write. Runs
 * in the caller's transaction with every session involved locked (at least shared): an end that
 * races with this waits, so no token is ever granted for a session that has ended. The caller
 * mints the grants once the transaction has committed.
 */
export async function connectManyInTx(uow: BareUow, items: { link: LinkInHand; attendee: AttendeeRow }[]): Promise<Grant[]> {
  const facts = await gatherAdmitFactsEach(
    uow,
    items,
    "connect",
    () => null,
    (item) => item.link,
  );
  const decisions = facts.map(decideAdmission);
  const results: Grant[] = [];
  const issued: AttendeeRow[] = [];
  for (const [index, { attendee }] of items.entries()) {
    const decision = decisions[index]!;
    if (!decision.allowed) {
      results.push({ ok: false, checks: decision.checks });
      continue;
    }
    issued.push(attendee);
    results.push({
      ok: true,
      token: attendeeToken({
        attendeeId: attendee.id,
        displayName: attendee.displayName,
        room: attendee.session.roomName,
        allowData: attendee.session.allowData,
        admissionSeq: attendee.admissionSeq,
      }),
    });
  }
  await uow.audit.append(
    ...issued.map((a) => ({
      actorType: "attendee" as const,
      actorId: a.id,
      action: "token.issued",
      sessionId: a.sessionId,
      subjectId: a.id,
      data: { admission: a.admissionSeq },
    })),
  );
  return results;
}
