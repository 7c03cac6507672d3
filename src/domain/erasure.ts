// Erasure (UK GDPR article 17) beside R8. A member's or carer's personal details are their name,
// contacts and the words written about them; the records of what was decided are not theirs to
// take back (consents, decisions, attendance, the audit trail). So erasure keeps every row and
// replaces the details: the person's own record becomes "erased", and their name, e-mail address
// and phone number become "erased" wherever words are kept (messages, notes, reasons, the
// messages sent to them). The audit trail holds no words at all (audit.ts), so it is untouched
// and still verifies.
//
// An admin asks; the DSL approves (someone other than whoever asked) or declines. The retention
// schedule erases people who have not attended for `retentionYears` by itself. Nobody in an
// upcoming session or a group is erased: take them out first, so that nothing is sent to, or
// scheduled for, a person who is no longer on file.
import { join, raw, sql, type Tx } from "../adapters/db/client.ts";
import type { Provider } from "../adapters/db/schemas.ts";
import type { Ctx } from "./context.ts";
import { conflict, DomainError, forbidden, notFound } from "./errors.ts";
import { finalOutcomes } from "./outbox/outbox.ts";
import type { StaffView } from "./staff.ts";
import type { Uow } from "./unit-of-work.ts";

const erased = "erased";

/**
 * Every column where words are kept that may name a member or carer. A test holds this in step
 * with the schema (test/domain/erasure-columns.test.ts): each text or JSON column is either here,
 * one of a person's own details (replaced on their rows only, below), or holds no words.
 */
export const wordColumns = {
  Consent: ["note"],
  ConsentWithdrawal: ["reason"],
  Session: ["title", "cancelReason", "plan", "summary"],
  Group: ["title", "invitationNote", "noteWaiverReason"],
  Waiver: ["reason"],
  AdmissionDecision: ["checks", "message"],
  Recording: ["stopReason", "error"],
  KeepApart: ["reason"],
  KeepApartEnd: ["reason"],
  StaffMessage: ["text"],
  Concern: ["text"],
  ConcernNote: ["note"],
  OutboxMessage: ["toName", "toAddress", "subject", "text", "html", "calendar", "links"],
  OutboxAttempt: ["reply"],
  Erasure: ["reason"],
} as const satisfies Record<string, readonly string[]>;

/**
 * A person's own details: replaced on their own rows (by `erase`, below), never swept elsewhere
 * (the same name on someone else's record is that person's). Listed for the schema test.
 */
export const ownColumns = {
  Member: ["displayName", "email"],
  Carer: ["name", "email", "phone"],
  Attendee: ["displayName"],
} as const;

export type SubjectType = "member" | "carer";
type Summary = Record<string, number>;

export interface ErasureView {
  id: string;
  subject: { type: SubjectType; id: string; name: string };
  origin: "request" | "retention";
  reason: string;
  requestedById: string | null;
  createdAt: Date;
  status: "waiting" | "approved" | "declined";
  decidedById: string | null;
  decidedAt: Date | null;
  erasedAt: Date | null;
  /** What was replaced, counted by table and column. */
  summary: Summary | null;
}

type ErasureRow = NonNullable<Awaited<ReturnType<Tx["erasure"]["findUnique"]>>>;

async function viewErasure(tx: Tx, row: ErasureRow): Promise<ErasureView> {
  const subject = row.subjectType === "member" ? await tx.member.findUnique({ where: { id: row.subjectId } }) : null;
  const carer = row.subjectType === "carer" ? await tx.carer.findUnique({ where: { id: row.subjectId } }) : null;
  return {
    id: row.id,
    subject: { type: row.subjectType as SubjectType, id: row.subjectId, name: subject?.displayName ?? carer?.name ?? erased },
    origin: row.origin as ErasureView["origin"],
    reason: row.reason,
    requestedById: row.requestedById,
    createdAt: row.createdAt,
    status: (row.decision ?? "waiting") as ErasureView["status"],
    decidedById: row.decidedById,
    decidedAt: row.decidedAt,
    erasedAt: row.erasedAt,
    summary: row.summary as Summary | null,
  };
}

export async function listErasures(ctx: Ctx): Promise<ErasureView[]> {
  const db = ctx.database.db;
  const rows = await db.erasure.findMany({ orderBy: { createdAt: "desc" }, take: 500 });
  return Promise.all(rows.map((r) => viewErasure(db, r)));
}

/** The member a subject belongs to, or 404. */
async function memberOf(tx: Tx, type: SubjectType, id: string): Promise<string> {
  if (type === "member") {
    if (!(await tx.member.findUnique({ where: { id } }))) throw notFound("Member");
    return id;
  }
  const carer = await tx.carer.findUnique({ where: { id } });
  if (!carer) throw notFound("Carer");
  return carer.memberId;
}

/** 409 while the member is still expected somewhere: an upcoming or live session, or a group. */
async function assertNothingAhead(tx: Tx, memberId: string): Promise<void> {
  const [sessions, groups] = await Promise.all([
    tx.attendee.count({ where: { memberId, state: { not: "removed" }, session: { status: { in: ["scheduled", "live"] } } } }),
    tx.groupPerson.count({ where: { memberId, removedAt: null } }),
  ]);
  if (sessions > 0 || groups > 0)
    throw conflict(
      "erasure_blocked",
      `The member is still in ${sessions} upcoming session(s) and ${groups} group(s). Take them out first: nothing may be sent to or planned for someone who is no longer on file.`,
    );
}

async function assertNotErased(tx: Tx, subjectId: string): Promise<void> {
  const existing = await tx.erasure.findFirst({ where: { subjectId, OR: [{ decision: null }, { erasedAt: { not: null } }] } });
  if (existing?.erasedAt) throw conflict("already_erased", "This person's details have already been erased.");
  if (existing) throw conflict("erasure_pending", "An erasure for this person is already waiting for the DSL.");
}

/** An admin asks for one person's details to be erased; the DSL is shown it to approve or decline. */
export async function requestErasure(
  ctx: Ctx,
  input: { subjectType: SubjectType; subjectId: string; reason: string },
  by: StaffView,
): Promise<ErasureView> {
  return ctx.transaction(async ({ tx, audit }) => {
    const memberId = await memberOf(tx, input.subjectType, input.subjectId);
    await assertNotErased(tx, input.subjectId);
    await assertNothingAhead(tx, memberId);
    const row = await tx.erasure.create({ data: { ...input, origin: "request", requestedById: by.id } });
    await audit.append({
      actorType: "staff",
      actorId: by.id,
      action: "erasure.requested",
      subjectId: input.subjectId,
      data: { erasureId: row.id, subjectType: input.subjectType },
    });
    return viewErasure(tx, row);
  });
}

/** The DSL's answer. Approving erases at once, in the same transaction as the approval. */
export async function decideErasure(ctx: Ctx, id: string, decision: "approved" | "declined", by: StaffView): Promise<ErasureView> {
  return ctx.transaction(async (uow) => {
    const { tx, now, audit } = uow;
    await lockRow(tx, ctx.database.provider, "Erasure", id);
    const row = await tx.erasure.findUnique({ where: { id } });
    if (!row) throw notFound("Erasure request");
    if (row.decision) throw conflict("already_decided", `This request was already ${row.decision}.`);
    if (row.requestedById === by.id) throw forbidden("Someone other than whoever asked must approve or decline an erasure.");
    const action = decision === "approved" ? "erasure.approved" : "erasure.declined";
    await audit.append({ actorType: "staff", actorId: by.id, action, subjectId: row.subjectId, data: { erasureId: id } });
    if (decision === "declined") {
      return viewErasure(tx, await tx.erasure.update({ where: { id }, data: { decision, decidedById: by.id, decidedAt: now } }));
    }
    const type = row.subjectType as SubjectType;
    await assertNothingAhead(tx, await memberOf(tx, type, row.subjectId));
    const summary = await erase(uow, ctx.database.provider, type, row.subjectId, id);
    const done = await tx.erasure.update({ where: { id }, data: { decision, decidedById: by.id, decidedAt: now, erasedAt: now, summary } });
    return viewErasure(tx, done);
  });
}

/**
 * The retention schedule: members with no session (attended or only invited to) starting in the
 * last `retentionYears`, added before then, and in nothing upcoming, are erased with their carers.
 * Counting invitations as well as attendance keeps details a little longer, never shorter. Each is an
 * approved erasure of origin "retention", so the list of erasures is the log of what it did.
 */
export async function eraseByRetention(ctx: Ctx): Promise<ErasureView[]> {
  const db = ctx.database.db;
  const years = (await db.settings.findUnique({ where: { id: "org" } }))?.retentionYears;
  if (!years) return [];
  const cutoff = new Date(ctx.now());
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
  // Erased already, or waiting for the DSL (whose answer stands).
  const done = new Set(
    (await db.erasure.findMany({ where: { subjectType: "member", OR: [{ decision: null }, { erasedAt: { not: null } }] } })).map(
      (e) => e.subjectId,
    ),
  );
  const candidates = await db.member.findMany({
    where: {
      createdAt: { lt: cutoff },
      attendees: { none: { OR: [{ session: { startsAt: { gte: cutoff } } }, { session: { status: { in: ["scheduled", "live"] } } }] } },
    },
    select: { id: true },
  });
  const inGroups = new Set(
    (await db.groupPerson.findMany({ where: { removedAt: null, memberId: { in: candidates.map((m) => m.id) } } })).map((g) => g.memberId),
  );
  const erasedNow: ErasureView[] = [];
  for (const { id } of candidates) {
    if (done.has(id) || inGroups.has(id)) continue;
    const erasure = await ctx.transaction(async (uow) => {
      const { tx, now, audit } = uow;
      // Checked again under the member's lock: another instance, a request or a new session may
      // have come in since the candidates were read; then this member waits for the next run.
      await lockRow(tx, ctx.database.provider, "Member", id);
      try {
        await assertNotErased(tx, id);
        await assertNothingAhead(tx, id);
      } catch (err) {
        if (err instanceof DomainError) return null;
        throw err;
      }
      const row = await tx.erasure.create({
        data: {
          subjectType: "member",
          subjectId: id,
          origin: "retention",
          reason: `Not in a session for ${years} year(s): the organisation's retention setting.`,
          decision: "approved",
          decidedAt: now,
        },
      });
      await audit.append({
        actorType: "system",
        action: "erasure.approved",
        subjectId: id,
        data: { erasureId: row.id, origin: "retention" },
      });
      const summary = await erase(uow, ctx.database.provider, "member", id, row.id);
      return viewErasure(tx, await tx.erasure.update({ where: { id: row.id }, data: { erasedAt: now, summary } }));
    });
    if (erasure) erasedNow.push(erasure);
  }
  return erasedNow;
}

/** Holds a row until commit on PostgreSQL: two DSLs, or two instances, cannot both go on. SQLite has one writer. */
async function lockRow(tx: Tx, provider: Provider, table: "Erasure" | "Member", id: string): Promise<void> {
  if (provider === "postgresql") await tx.$queryRaw`SELECT "id" FROM ${raw(`"${table}"`)} WHERE "id" = ${id} FOR UPDATE`;
}

/**
 * Erases in the caller's transaction: the person's own record, then their details wherever words
 * are kept. The row in ErasureInProgress lets the append-only triggers accept these changes (and
 * only changes: deleting stays impossible); it is gone before the transaction commits.
 */
async function erase(
  { tx, now, audit }: Uow,
  provider: Provider,
  type: SubjectType,
  subjectId: string,
  erasureId: string,
): Promise<Summary> {
  await tx.erasureInProgress.create({ data: { id: erasureId } });
  const summary: Summary = {};
  const count = (key: string, n: number) => {
    if (n > 0) summary[key] = (summary[key] ?? 0) + n;
  };
  const member = type === "member" ? await tx.member.findUniqueOrThrow({ where: { id: subjectId }, include: { carers: true } }) : null;
  const carers = member ? member.carers : [await tx.carer.findUniqueOrThrow({ where: { id: subjectId } })];
  const values = new Set<string>(carers.flatMap((c) => [c.name, c.email ?? "", c.phone ?? ""]));
  const recipients = carers.map((c) => c.id);

  if (member) {
    values.add(member.displayName).add(member.email ?? "");
    const attendees = await tx.attendee.findMany({ where: { memberId: member.id }, select: { displayName: true } });
    for (const a of attendees) values.add(a.displayName);
    recipients.push(member.id);
    await tx.member.update({ where: { id: member.id }, data: { displayName: erased, email: null } });
    count("Member.displayName", 1);
    count("Attendee.displayName", (await tx.attendee.updateMany({ where: { memberId: member.id }, data: { displayName: erased } })).count);
    count(
      "Consent.note",
      (await tx.consent.updateMany({ where: { memberId: member.id, note: { not: null } }, data: { note: erased } })).count,
    );
  }
  for (const c of carers) await tx.carer.update({ where: { id: c.id }, data: { name: erased, email: null, phone: null } });
  count("Carer.name", carers.length);

  // Whatever was still to be sent to them never will be.
  const unsent = await tx.outboxMessage.findMany({
    where: { recipientId: { in: recipients }, attempts: { none: { outcome: { in: finalOutcomes } } } },
    select: { id: true },
  });
  if (unsent.length > 0)
    await tx.outboxAttempt.createMany({
      data: unsent.map((m) => ({ messageId: m.id, outcome: "skipped", reply: "The person's details were erased.", at: now })),
    });

  const words = [...values].filter((v) => v.length >= 2 && v !== erased);
  for (const [key, n] of Object.entries(await sweep(tx, provider, words))) count(key, n);
  await tx.erasureInProgress.delete({ where: { id: erasureId } });
  await audit.append({
    actorType: "system",
    action: "erasure.completed",
    subjectId,
    data: { erasureId, subjectType: type, replaced: summary },
  });
  return summary;
}

type WordRow = { id: string } & Record<string, unknown>;
type Delegate = {
  findMany(args: unknown): Promise<WordRow[]>;
  update(args: unknown): Promise<unknown>;
};

/** Replaces each value, as a whole word and in any case, by "erased" in every word column. */
async function sweep(tx: Tx, provider: Provider, values: string[]): Promise<Summary> {
  const summary: Summary = {};
  if (values.length === 0) return summary;
  // A whole word: not inside another (Alexandra is not Alex), but after an escaped line break
  // (a backslash and n, in calendar text) as after any other break.
  // Longest first: a member called Pat must not turn their carer Pat Jones into "erased Jones".
  const patterns = [...values]
    .sort((a, b) => b.length - a.length)
    .map((v) => new RegExp(`(?<=^|[^\\p{L}\\p{N}]|\\\\n)${v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\p{N}])`, "giu"));
  const replace = (value: unknown): unknown => {
    if (typeof value === "string") return patterns.reduce((text, p) => text.replace(p, erased), value);
    if (Array.isArray(value)) return value.map(replace);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
    return value;
  };
  // The rows to look at, found by the database in any case: PostgreSQL's ILIKE folds every
  // letter; SQLite's LIKE folds only A-Z, so there each value is also looked for in lower and
  // upper case ("ÉLODIE" for Élodie). The regular expressions above then decide.
  const forms = provider === "postgresql" ? values : [...new Set(values.flatMap((v) => [v, v.toLowerCase(), v.toUpperCase()]))];
  const likes = forms.map((v) => `%${v.replace(/[\\%_]/g, "\\$&")}%`);
  const like = raw(provider === "postgresql" ? "ILIKE" : "LIKE");
  for (const [model, columns] of Object.entries(wordColumns)) {
    const delegate = (tx as unknown as Record<string, Delegate>)[model[0]!.toLowerCase() + model.slice(1)]!;
    for (const column of columns) {
      const text = raw(`CAST("${column}" AS TEXT)`);
      const found = await tx.$queryRaw<{ id: string }[]>(
        sql`SELECT "id" FROM ${raw(`"${model}"`)} WHERE ${join(
          likes.map((pattern) => sql`${text} ${like} ${pattern} ESCAPE '\\'`),
          " OR ",
        )}`,
      );
      if (found.length === 0) continue;
      const rows = await delegate.findMany({ where: { id: { in: found.map((r) => r.id) } }, select: { id: true, [column]: true } });
      for (const row of rows) {
        const next = replace(row[column]);
        if (JSON.stringify(next) === JSON.stringify(row[column])) continue;
        await delegate.update({ where: { id: row.id }, data: { [column]: next } });
        summary[`${model}.${column}`] = (summary[`${model}.${column}`] ?? 0) + 1;
      }
    }
  }
  return summary;
}
