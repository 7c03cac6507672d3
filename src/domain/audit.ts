// The append-only audit trail (R8): each event stores the previous event's hash and a hash over
// a canonical encoding of its own content, so any edit or deletion breaks the chain.
import { createHash } from "node:crypto";
import { join, sql, type Tx } from "../adapters/db/client.ts";
import type { Provider } from "../adapters/db/schemas.ts";
import type { Check } from "../policy/types.ts";
import type { Store } from "./unit-of-work.ts";

export interface AuditInput {
  actorType: "staff" | "carer" | "attendee" | "livekit" | "system";
  actorId?: string | null;
  action: string;
  sessionId?: string | null;
  subjectId?: string | null;
  data?: Record<string, unknown>;
}

const genesisHash = "0".repeat(64);

// What the trail may hold: ids, times, counts and the service's own vocabulary (rule codes,
// kinds, states). Never words a person wrote or a name: titles, notes, reasons, messages and
// e-mail addresses stay on their own rows, which the trail names by id. The chain then survives
// erasure (domain/erasure.ts), which replaces a person's details everywhere but here.

/** A decision's checks as the trail keeps them: the words, which may name people, stay with the caller. */
export const checkCodes = (checks: readonly Check[]) => checks.map(({ rule, code, outcome }) => ({ rule, code, outcome }));

/** An input as the trail keeps it: the fields that hold words left out, and which of them were given. */
export function withoutWords<T extends object>(input: T, words: readonly (keyof T)[]): Record<string, unknown> {
  const facts: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const key of words) delete facts[key as string];
  return { ...facts, wordsGiven: words.filter((key) => input[key] !== undefined && input[key] !== null && input[key] !== "") };
}

/** JSON with object keys sorted, so the same content always encodes to the same bytes. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export interface ChainedFields {
  seq: number;
  at: Date;
  actorType: string;
  actorId: string | null;
  action: string;
  sessionId: string | null;
  subjectId: string | null;
  data: string;
  prevHash: string;
}

function hashEvent(e: ChainedFields): string {
  return createHash("sha256")
    .update(canonicalJson({ ...e, at: e.at.toISOString() }))
    .digest("hex");
}

// Any fixed 64-bit key: it names the one lock that serialises appends on PostgreSQL.
const auditLockKey = 7_041_991;

/**
 * Appends events in order inside the caller's transaction (one read and two writes), so they
 * commit with the change they record; domain code reaches it as `uow.audit.append`, which keeps a
 * transaction's events and appends them here once its work is done. On PostgreSQL an advisory
 * lock serialises appenders (no forks in the chain); SQLite transactions already hold the single
 * writer lock.
 */
export async function appendAuditBatch(tx: Tx, provider: Provider, events: AuditInput[], now: Date): Promise<void> {
  if (events.length === 0) return;
  if (provider === "postgresql") await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${auditLockKey})`);
  const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? genesisHash;
  const rows = events.map((event) => {
    const fields: ChainedFields = {
      seq: ++seq,
      at: now,
      actorType: event.actorType,
      actorId: event.actorId ?? null,
      action: event.action,
      sessionId: event.sessionId ?? null,
      subjectId: event.subjectId ?? null,
      data: canonicalJson(event.data ?? {}),
      prevHash,
    };
    prevHash = hashEvent(fields);
    return { ...fields, hash: prevHash };
  });
  await insertEvents(tx, rows);
  await tx.auditHead.upsert({ where: { id: headId }, create: { id: headId, seq, hash: prevHash }, update: { seq, hash: prevHash } });
}

const headId = "head";

/**
 * Every decision writes audit events, so this insert is the hottest write there is. Prisma's
 * createMany spends about 0.2 ms on each row; one multi-row INSERT of the same values, through
 * the same driver adapter (so dates are stored exactly as Prisma stores them), about 0.04 ms.
 * The quoted names are valid on both SQLite and PostgreSQL.
 */
async function insertEvents(tx: Tx, rows: (ChainedFields & { hash: string })[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const values = rows
      .slice(i, i + 1000)
      .map(
        (r) =>
          sql`(${r.seq}, ${r.at}, ${r.actorType}, ${r.actorId}, ${r.action}, ${r.sessionId}, ${r.subjectId}, ${r.data}, ${r.prevHash}, ${r.hash})`,
      );
    await tx.$executeRaw`INSERT INTO "AuditEvent" ("seq", "at", "actorType", "actorId", "action", "sessionId", "subjectId", "data", "prevHash", "hash") VALUES ${join(values)}`;
  }
}

export type Verification =
  | { ok: true; count: number; headHash: string }
  | { ok: false; count: number; firstBroken: { seq: number; reason: string } };

/**
 * Walks the chain from the first event: every sequence number present, every hash recomputed,
 * every link to the previous hash intact, and the last event matching the recorded head (so
 * that deleting the newest event is caught too). Names the first broken link.
 */
export async function verifyChain(tx: Tx, pageSize = 1000): Promise<Verification> {
  let expectedSeq = 1;
  let prevHash = genesisHash;
  for (;;) {
    const page = await tx.auditEvent.findMany({ where: { seq: { gte: expectedSeq } }, orderBy: { seq: "asc" }, take: pageSize });
    for (const e of page) {
      const broken = (reason: string) => ({ ok: false as const, count: expectedSeq - 1, firstBroken: { seq: expectedSeq, reason } });
      if (e.seq !== expectedSeq) return broken(`event ${expectedSeq} is missing`);
      if (e.prevHash !== prevHash) return broken("it does not link to the previous event's hash");
      const { hash, ...fields } = e;
      if (hashEvent(fields) !== hash) return broken("its content does not match its hash");
      prevHash = hash;
      expectedSeq++;
    }
    if (page.length < pageSize) break;
  }
  const count = expectedSeq - 1;
  const head = await tx.auditHead.findUnique({ where: { id: headId } });
  if ((head?.seq ?? 0) !== count || (head && head.hash !== prevHash)) {
    return {
      ok: false,
      count,
      firstBroken: { seq: count + 1, reason: `the trail should end at event ${head?.seq ?? 0}, but ends at ${count}` },
    };
  }
  return { ok: true, count, headHash: prevHash };
}

/** The whole trail verified, for the DSL. */
export const verifyTrail = (store: Store) => verifyChain(store.database.db);

export interface AuditFilter {
  sessionId?: string;
  subjectId?: string;
  actorId?: string;
  action?: string;
  from?: Date;
  to?: Date;
  limit: number;
}

/** The trail in order, narrowed by the DSL's filter; `data` as stored (canonical JSON). */
export function listAuditEvents(store: Store, q: AuditFilter) {
  return store.database.db.auditEvent.findMany({
    where: { sessionId: q.sessionId, subjectId: q.subjectId, actorId: q.actorId, action: q.action, at: { gte: q.from, lte: q.to } },
    orderBy: { seq: "asc" },
    take: q.limit,
  });
}
