// The append-only audit trail (R8): each event stores the previous event's hash and a hash over
// a canonical encoding of its own content, so any edit or deletion breaks the chain.
import { createHash } from "node:crypto";
import type { ArgScalarType } from "@prisma/driver-adapter-utils";
import type { Tx } from "../adapters/db/client.ts";
import { type Queryable, queryableOf } from "../adapters/db/driver.ts";
import { execute, executeReturning, placeholders, select, valueRows } from "../adapters/db/reads/sql.ts";
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

/**
 * Appends events in order inside the caller's transaction (on SQLite a read and two writes; on
 * PostgreSQL two statements), so they commit with the change they record; domain code reaches it
 * as `uow.audit.append`, which keeps a transaction's events and appends them here once its work
 * is done. On PostgreSQL the head row's lock serialises appenders (no forks in the chain); on
 * SQLite one transaction runs at a time.
 *
 * Every decision appends, so these statements run on the driver adapter under the transaction's
 * client (the same connection, the same transaction), not through the Prisma client, whose query
 * interpreter cost more than the statements themselves (bench/history.md). The tests read the
 * chain back through Prisma (verifyChain below).
 */
export async function appendAuditBatch(tx: Tx, events: AuditInput[], now: Date): Promise<void> {
  if (events.length === 0) return;
  const connection = queryableOf(tx);
  const last = connection.provider === "postgres" ? await lockHead(connection) : await newestEvent(connection);
  let seq = (last?.seq as number | undefined) ?? 0;
  let prevHash = (last?.hash as string | undefined) ?? genesisHash;
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
  await insertEvents(connection, rows, { seq, hash: prevHash });
}

const headId = "head";

/** SQLite: the newest event (the transaction holds the one writer lock already). */
async function newestEvent(connection: Queryable) {
  const [newest] = await select(
    connection,
    `SELECT e."seq" AS "e.seq", e."hash" AS "e.hash" FROM "AuditEvent" e ORDER BY e."seq" DESC LIMIT 1`,
    {},
  );
  return newest?.e;
}

/**
 * PostgreSQL: the head, locked until the transaction ends, in one statement. The upsert takes the
 * head row's lock (a second appender waits for the first to commit) and returns its newest
 * committed values, as an UPDATE does after waiting, where a SELECT's snapshot would predate the
 * wait; an empty trail gets its head row here (at seq 0, which verifyChain reads as no events).
 * Before, an advisory lock and then a read of the newest event: two round trips for every
 * decision.
 */
async function lockHead(connection: Queryable) {
  const [head] = await executeReturning(
    connection,
    `INSERT INTO "AuditHead" ("id", "seq", "hash") VALUES ($1, 0, $2) ON CONFLICT ("id") DO UPDATE SET "seq" = "AuditHead"."seq" RETURNING "seq" AS "h.seq", "hash" AS "h.hash"`,
    [
      [headId, "string"],
      [genesisHash, "string"],
    ],
  );
  return head!.h;
}

/** Rows in one INSERT: ten values each, well under either driver's limit on bound values. */
const rowsPerInsert = 1000;

/**
 * One multi-row INSERT per thousand events (Prisma's createMany spent about 0.2 ms on each row),
 * then the head moved to the newest. On PostgreSQL the last INSERT and the head's upsert are one
 * statement (the INSERT in a WITH: one round trip fewer for every decision); SQLite, which has no
 * writes in a WITH, runs them one after the other.
 */
async function insertEvents(connection: Queryable, rows: (ChainedFields & { hash: string })[], head: { seq: number; hash: string }) {
  const headValues: [unknown, ArgScalarType][] = [
    [headId, "string"],
    [head.seq, "int"],
    [head.hash, "string"],
  ];
  const upsertHead = (from: number) =>
    `INSERT INTO "AuditHead" ("id", "seq", "hash") VALUES (${placeholders(connection, 3, from)}) ON CONFLICT ("id") DO UPDATE SET "seq" = excluded."seq", "hash" = excluded."hash"`;
  for (let i = 0; i < rows.length; i += rowsPerInsert) {
    const chunk = rows.slice(i, i + rowsPerInsert);
    const insert = `INSERT INTO "AuditEvent" ("seq", "at", "actorType", "actorId", "action", "sessionId", "subjectId", "data", "prevHash", "hash") VALUES ${valueRows(connection, chunk.length, 10)}`;
    const values = chunk.flatMap((r): [unknown, ArgScalarType][] => [
      [r.seq, "int"],
      [r.at, "datetime"],
      [r.actorType, "string"],
      [r.actorId, "string"],
      [r.action, "string"],
      [r.sessionId, "string"],
      [r.subjectId, "string"],
      [r.data, "string"],
      [r.prevHash, "string"],
      [r.hash, "string"],
    ]);
    const last = i + rowsPerInsert >= rows.length;
    if (last && connection.provider === "postgres")
      await execute(connection, `WITH events AS (${insert}) ${upsertHead(values.length + 1)}`, [...values, ...headValues]);
    else await execute(connection, insert, values);
  }
  if (connection.provider !== "postgres") await execute(connection, upsertHead(1), headValues);
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
