// The outbox (R8: append-only). Every message to a carer, member or volunteer is a row written
// in the same transaction as what it announces, before anything is sent; every attempt to send
// it (and every claim of it by an instance) is another row. Nothing goes outside the agreed
// hours: a message waits for the next opening, a reminder goes at the last opening before it.
// Personal links are sealed in the row and filled in only in memory, to send or to show staff.
import { foldLines } from "ical-generator";
import type { Mailer } from "../../adapters/mail/smtp.ts";
import {
  type AttemptOutcome,
  attemptOutcome,
  type LinkKind,
  type MessageStatus,
  messageKind,
  recipientType,
  sealedLinks,
} from "../../contract/vocabulary.ts";
import { lastOpeningBefore, nextOpening } from "../../policy/clock.ts";
import type { AgreedHours } from "../../policy/types.ts";
import type { Ctx } from "../context.ts";
import { linkUrl, type PersonalLink } from "../links.ts";
import { openTokenWithAny, sealToken } from "../secrets.ts";
import type { Uow } from "../unit-of-work.ts";
import { type Composed, compose, fillLinks, type MessageFacts } from "./compose.ts";

export interface Draft {
  facts: MessageFacts;
  address: string | null;
  sessionId: string;
  attendeeId: string;
  links: PersonalLink[];
  /** When it is wanted (now, or a reminder's time); the agreed hours may hold it later. */
  dueAt: Date;
  /** Not sent after this. */
  sendBy: Date;
}

/** When a message may go: the next opening of the agreed hours, or for a reminder the last one before it. */
function whenItMayGo(kind: MessageFacts["kind"], dueAt: Date, now: Date, hours: AgreedHours): Date {
  const wanted = dueAt < now ? now : dueAt;
  const at = kind === "reminder" ? lastOpeningBefore(wanted, hours) : nextOpening(wanted, hours);
  // The last opening before a reminder may already be past: then the next one.
  if (at && at < now) return nextOpening(now, hours) ?? now;
  return at ?? wanted;
}

/** Writes the messages in the caller's transaction, so they exist exactly when what they announce does. */
export async function queueMessages(uow: Uow, secret: string, hours: AgreedHours, drafts: Draft[]): Promise<void> {
  for (const d of drafts) {
    const composed = compose(d.facts);
    await uow.tx.outboxMessage.create({
      data: {
        kind: d.facts.kind,
        sessionId: d.sessionId,
        attendeeId: d.attendeeId,
        recipientType: d.facts.to.type,
        recipientId: d.facts.to.id,
        toName: d.facts.to.name,
        toAddress: d.address,
        subject: composed.subject,
        text: composed.text,
        html: composed.html,
        calendar: composed.calendar,
        links: d.links.map((l) => ({ name: l.name, linkId: l.linkId, sealed: sealToken(l.token, secret) })),
        dueAt: d.dueAt,
        notBefore: whenItMayGo(d.facts.kind, d.dueAt, uow.now, hours),
        sendBy: d.sendBy,
      },
    });
  }
  await uow.audit.append(
    ...drafts.map((d) => ({
      actorType: "system" as const,
      action: "message.queued",
      sessionId: d.sessionId,
      subjectId: d.attendeeId,
      data: { kind: d.facts.kind, to: d.facts.to.type, hasAddress: d.address !== null },
    })),
  );
}

type MessageRow = NonNullable<Awaited<ReturnType<Ctx["database"]["db"]["outboxMessage"]["findFirst"]>>>;
type AttemptRow = { outcome: string; reply: string | null; retryAt: Date | null; at: Date };

export const finalOutcomes: AttemptOutcome[] = ["sent", "failed", "expired", "skipped"];

/** A message's status, from its attempts and whether a mail server is set up. */
function statusOf(m: MessageRow, attempts: AttemptRow[], now: Date, canSend: boolean): MessageStatus {
  const last = attempts.filter((a) => a.outcome !== "sending").at(-1);
  if (last?.outcome === "sent") return "sent";
  if (last?.outcome === "failed") return "failed";
  if (last?.outcome === "expired" || last?.outcome === "skipped") return "not-sent";
  if (!m.toAddress || !canSend) return "not-sent";
  if (!last && m.notBefore > now && m.notBefore > m.dueAt) return "waiting-for-hours";
  return "queued";
}

/** The links a message names, opened, and whether each still works. */
async function openLinks(ctx: Ctx, m: MessageRow) {
  const links = sealedLinks.parse(m.links ?? []);
  const rows = await ctx.database.db.link.findMany({ where: { id: { in: links.map((l) => l.linkId) } } });
  return links.map((l) => ({
    name: l.name,
    token: openTokenWithAny(l.sealed, [ctx.config.SESSION_SECRET, ...ctx.config.SESSION_SECRET_PREVIOUS]),
    revoked: rows.find((r) => r.id === l.linkId)?.revokedAt != null,
  }));
}

function filled(m: MessageRow, urls: Partial<Record<LinkKind, string>>): Composed {
  // A calendar's long lines are folded at 75 octets: unfold, fill, and fold again.
  const calendar = m.calendar && foldLines(fillLinks(m.calendar.replace(/\r?\n /g, ""), urls));
  return { subject: m.subject, text: fillLinks(m.text, urls), html: fillLinks(m.html, urls), calendar };
}

/** A session's messages for its staff: what was sent to whom, when, what happened, and the message itself. */
export function sessionMessages(ctx: Ctx, sessionId: string) {
  return viewMessages(ctx, { sessionId }, true);
}

/**
 * Everything sent about one member, across sessions (to them, or to their carer), for any staff:
 * the links in it are not shown here (the session's own staff see them on the session).
 */
export async function memberMessages(ctx: Ctx, memberId: string) {
  const attendees = await ctx.database.db.attendee.findMany({ where: { memberId }, select: { id: true } });
  return viewMessages(ctx, { attendeeId: { in: attendees.map((a) => a.id) } }, false);
}

async function viewMessages(ctx: Ctx, where: { sessionId: string } | { attendeeId: { in: string[] } }, showLinks: boolean) {
  const now = ctx.now();
  const rows = await ctx.database.db.outboxMessage.findMany({
    where,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    include: { attempts: { orderBy: [{ at: "asc" }, { id: "asc" }] } },
  });
  const out = [];
  for (const m of rows) {
    const links = await openLinks(ctx, m);
    const urls: Partial<Record<LinkKind, string>> = Object.fromEntries(
      links.flatMap((l) =>
        l.token && !l.revoked ? [[l.name, showLinks ? linkUrl(ctx.config, l.name, l.token) : "(their personal link)"]] : [],
      ),
    );
    const sent = m.attempts.find((a) => a.outcome === "sent");
    out.push({
      id: m.id,
      kind: messageKind.parse(m.kind),
      to: m.toAddress,
      toName: m.toName,
      recipientType: recipientType.parse(m.recipientType),
      sessionId: m.sessionId,
      attendeeId: m.attendeeId,
      subject: m.subject,
      status: statusOf(m, m.attempts, now, ctx.mailer !== null),
      dueAt: m.dueAt,
      notBefore: m.notBefore,
      ...(sent ? { sentAt: sent.at } : {}),
      attempts: m.attempts
        .filter((a) => a.outcome !== "sending")
        .map((a) => ({ at: a.at, outcome: attemptOutcome.parse(a.outcome), reply: a.reply })),
      text: filled(m, urls).text,
      links: links.map((l) => ({ name: l.name, url: showLinks ? (urls[l.name] ?? null) : null, works: !l.revoked && l.token !== null })),
    });
  }
  return out;
}

/** Minutes to wait after the nth temporary failure; after a day of them, the message has failed. */
const retryMinutes = [1, 5, 15, 60, 180, 360];
const giveUpAfterMs = 24 * 3_600_000;
/** How long an instance holds a claimed message before another may try it (it crashed mid-send). */
const claimMs = 5 * 60_000;

type Claim = { message: MessageRow; retries: number; firstTry: Date | null };

/** Claims a due message for this instance, or null when it is not (or no longer) due or another instance has it. */
async function claim(ctx: Ctx, messageId: string): Promise<Claim | null> {
  return ctx.transaction(async (uow) => {
    if (!(await uow.claimMessage(messageId))) return null;
    const message = await uow.tx.outboxMessage.findUniqueOrThrow({ where: { id: messageId } });
    const attempts = await uow.tx.outboxAttempt.findMany({ where: { messageId }, orderBy: [{ at: "asc" }, { id: "asc" }] });
    const last = attempts.at(-1);
    if (last && (finalOutcomes as string[]).includes(last.outcome)) return null;
    if (last?.retryAt && last.retryAt > uow.now) return null;
    await uow.tx.outboxAttempt.create({
      data: { messageId, outcome: "sending", retryAt: new Date(uow.now.getTime() + claimMs), at: uow.now },
    });
    const tries = attempts.filter((a) => a.outcome === "retry");
    return { message, retries: tries.length, firstTry: tries[0]?.at ?? null };
  });
}

async function record(ctx: Ctx, messageId: string, outcome: AttemptOutcome, reply: string | null, retryAt: Date | null = null) {
  await ctx.transaction(({ tx, now }) => tx.outboxAttempt.create({ data: { messageId, outcome, reply, retryAt, at: now } }));
}

/** Whether the carer has said they will be there (a reminder is then not needed). */
async function carerConfirmed(ctx: Ctx, attendeeId: string | null): Promise<boolean> {
  if (!attendeeId) return false;
  const latest = await ctx.database.db.carerConfirmation.findFirst({ where: { attendeeId }, orderBy: { createdAt: "desc" } });
  return latest?.present === true;
}

async function deliver(ctx: Ctx, mailer: Mailer, { message: m, retries, firstTry }: Claim): Promise<AttemptOutcome> {
  const now = ctx.now();
  const done = async (outcome: AttemptOutcome, reply: string, retryAt: Date | null = null) => {
    await record(ctx, m.id, outcome, reply, retryAt);
    return outcome;
  };
  if (m.sendBy && m.sendBy <= now) return done("expired", "Not sent: it was too late (the session had started or ended).");
  const links = await openLinks(ctx, m);
  if (links.some((l) => l.revoked))
    return done("expired", "Not sent: the link in it no longer works (a new one was sent, or the session ended).");
  if (links.some((l) => l.token === null)) return done("expired", "Not sent: its links could not be read (SESSION_SECRET has changed).");
  if (m.kind === "reminder" && (await carerConfirmed(ctx, m.attendeeId)))
    return done("skipped", "Not needed: the carer had already said they will be there.");
  const urls = Object.fromEntries(links.map((l) => [l.name, linkUrl(ctx.config, l.name, l.token!)]));
  const body = filled(m, urls);
  const result = await mailer.send({ id: m.id, to: { name: m.toName, address: m.toAddress! }, ...body });
  if (result.outcome !== "retry") return done(result.outcome, result.reply);
  if (firstTry && now.getTime() - firstTry.getTime() >= giveUpAfterMs)
    return done("failed", `Gave up after a day of trying: ${result.reply}`);
  const wait = retryMinutes[Math.min(retries, retryMinutes.length - 1)]!;
  return done("retry", result.reply, new Date(now.getTime() + wait * 60_000));
}

/** Messages with an address that nobody has sent, skipped or given up on yet. */
const unfinished = { toAddress: { not: null }, attempts: { none: { outcome: { in: finalOutcomes } } } } as const;

/** How many messages are waiting to go (pending), and how many of those are due now (the metrics). */
export async function outboxDepth(ctx: Ctx): Promise<{ pending: number; due: number }> {
  const { outboxMessage } = ctx.database.db;
  const [pending, due] = await Promise.all([
    outboxMessage.count({ where: unfinished }),
    outboxMessage.count({ where: { notBefore: { lte: ctx.now() }, ...unfinished } }),
  ]);
  return { pending, due };
}

/**
 * Sends what is due, one message at a time; each instance claims before it sends, so every
 * message goes once. Without a mail server nothing is sent (the console shows the messages).
 * Returns how many it attempted.
 */
export async function sendDue(ctx: Ctx): Promise<number> {
  const mailer = ctx.mailer;
  if (!mailer) return 0;
  const now = ctx.now();
  const due = await ctx.database.db.outboxMessage.findMany({
    where: { notBefore: { lte: now }, ...unfinished },
    orderBy: [{ notBefore: "asc" }, { id: "asc" }],
    take: 100,
    select: { id: true },
  });
  let attempted = 0;
  for (const { id } of due) {
    const claimed = await claim(ctx, id);
    if (!claimed) continue;
    attempted++;
    try {
      ctx.metrics.outboxAttempts.inc({ outcome: await deliver(ctx, mailer, claimed) });
    } catch (err) {
      // The claim lapses and the message is tried again.
      ctx.metrics.outboxAttempts.inc({ outcome: "error" });
      ctx.log.error({ err, messageId: id }, "could not send a message");
    }
  }
  return attempted;
}
