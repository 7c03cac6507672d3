// The append-only audit trail (R8): each event stores the previous event's hash and a hash over
// a canonical encoding of its own content, so any edit or deletion breaks the chain.
import { createHash } from "node:crypto";
import type { ArgScalarType } from "@prisma/driver-adapter-utils";
import type { AnyTx, Tx } from "../adapters/db/client.ts";
import { type Queryable, queryableOf } from "../adapters/db/driver.ts";
import { byAlias, execute, executeReturning, placeholders, select, valueRows } from "../adapters/db/reads/sql.ts";
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

/** An event's hash: sha256 of its chained fields' canonical JSON, in UTF-8 (what verifyChain checks). */
export function hashEvent(e: ChainedFields): string {
  return createHash("sha256")
    .update(canonicalJson({ ...e, at: e.at.toISOString() }))
    .digest("hex");
}

/**
 * Appends events in order inside the caller's transaction, so they commit with the change they
 * record; domain code reaches it as `uow.audit.append`, which keeps a transaction's events and
 * appends them here once its work is done. On PostgreSQL the head row's lock serialises appenders
 * (no forks in the chain) until the commit: one statement locks the head, hashes the events onto
 * it and moves it (chainSql below), or, for a long batch, the head is locked in one statement and
 * the events, hashed here, go in with the head moved in a second. On SQLite, where one
 * transaction runs at a time, a read of the newest event and two writes, the hashes worked out
 * here.
 *
 * Every decision appends, so these statements run on the driver adapter under the transaction's
 * client (the same connection, the same transaction), not through the Prisma client, whose query
 * interpreter cost more than the statements themselves (bench/history.md). The tests read the
 * chain back through Prisma and hash it again here (verifyChain below).
 */
export async function appendAuditBatch(tx: AnyTx, events: AuditInput[], now: Date): Promise<void> {
  if (events.length === 0) return;
  const connection = queryableOf(tx);
  const unchained = events.map((event) => ({
    at: now,
    actorType: event.actorType,
    actorId: event.actorId ?? null,
    action: event.action,
    sessionId: event.sessionId ?? null,
    subjectId: event.subjectId ?? null,
    data: canonicalJson(event.data ?? {}),
  }));
  if (connection.provider === "postgres" && unchained.length <= chainedInSqlAtMost) return chainOnPostgres(connection, unchained);
  const last = connection.provider === "postgres" ? await lockHead(connection) : await newestEvent(connection);
  let seq = (last?.seq as number | undefined) ?? 0;
  let prevHash = (last?.hash as string | undefined) ?? genesisHash;
  const rows = unchained.map((event) => {
    const fields: ChainedFields = { ...event, seq: ++seq, prevHash };
    prevHash = hashEvent(fields);
    return { ...fields, hash: prevHash };
  });
  await insertEvents(connection, rows, { seq, hash: prevHash });
}

export type Unchained = Omit<ChainedFields, "seq" | "prevHash">;

/** The one row that holds the chain's newest number and hash. */
const auditHeadId = "head";

/** Events per INSERT: ten values each, well under either driver's limit on bound values. */
const rowsPerInsert = 1000;

/**
 * PostgreSQL hashes a batch of up to this many events itself (chainSql): the decisions, one to a
 * few dozen events each. A longer batch ("admit all", a page refresh of 200, an erasure) is hashed
 * here between the head's lock and the insert, two statements: chainSql's recursion looks up each
 * event's text from the start of its array, so its time grows with the square of the batch (in
 * one sitting: 32 events 12 ms, 500 events 56 ms, 1,000 events 151 ms, transaction included),
 * and "admit all" of 500 took 421–450 ms in process against 362–401 ms before.
 */
const chainedInSqlAtMost = 64;

/**
 * An event's hashed text (canonicalJson of its chained fields) in the two pieces around what only
 * the head can tell: `prefix` + previous hash + `","seq":` + number + `suffix`. The keys in
 * canonical order: action, actorId, actorType, at, data, prevHash, seq, sessionId, subjectId
 * (test/domain/audit.test.ts holds the pieces equal to the whole for any event).
 */
export function hashedPieces(e: Unchained): { prefix: string; suffix: string } {
  const before = canonicalJson({ action: e.action, actorId: e.actorId, actorType: e.actorType, at: e.at.toISOString(), data: e.data });
  const after = canonicalJson({ sessionId: e.sessionId, subjectId: e.subjectId });
  return { prefix: `${before.slice(0, -1)},"prevHash":"`, suffix: `,${after.slice(1)}` };
}

/**
 * PostgreSQL: the head locked (`FOR UPDATE`, which after waiting returns the newest committed
 * head, where a plain read's snapshot would predate the wait), each event hashed onto the one
 * before it in order (a recursive WITH: sha256 of its text in UTF-8, as hashEvent does, with the
 * pieces from hashedPieces), the events inserted and the head moved to the newest, in one
 * statement: the head is held from this statement to the commit, one round trip, where a
 * separate lock and then the insert held it for two. Returns how many events it wrote; none
 * (and the head not moved) when there is no head row yet.
 */
export const chainSql = `WITH RECURSIVE head AS (
  SELECT "seq", "hash" FROM "AuditHead" WHERE "id" = $1 FOR UPDATE
), chain ("n", "seq", "prevHash", "hash") AS (
  SELECT 0, "seq", CAST(NULL AS text), "hash" FROM head
  UNION ALL
  SELECT c."n" + 1, c."seq" + 1, c."hash",
    encode(sha256(convert_to((CAST($2 AS text[]))[c."n" + 1] || c."hash" || '","seq":' || (c."seq" + 1) || (CAST($3 AS text[]))[c."n" + 1], 'UTF8')), 'hex')
  FROM chain c WHERE c."n" < cardinality(CAST($2 AS text[]))
), events AS (
  INSERT INTO "AuditEvent" ("seq", "at", "actorType", "actorId", "action", "sessionId", "subjectId", "data", "prevHash", "hash")
  SELECT c."seq", e."at", e."actorType", e."actorId", e."action", e."sessionId", e."subjectId", e."data", c."prevHash", c."hash"
  FROM chain c
  JOIN unnest(CAST($4 AS timestamp(3)[]), CAST($5 AS text[]), CAST($6 AS text[]), CAST($7 AS text[]), CAST($8 AS text[]), CAST($9 AS text[]), CAST($10 AS text[]))
    WITH ORDINALITY AS e("at", "actorType", "actorId", "action", "sessionId", "subjectId", "data", "n") ON e."n" = c."n"
  RETURNING 1
)
UPDATE "AuditHead" h SET "seq" = newest."seq", "hash" = newest."hash"
FROM (SELECT "seq", "hash" FROM chain ORDER BY "n" DESC LIMIT 1) newest, (SELECT count(*) AS "written" FROM events) w
WHERE h."id" = $1
RETURNING CAST(w."written" AS integer) AS "w.written"`;

/** `sql`: chainSql (tests run mutations of it). */
export async function chainOnPostgres(connection: Queryable, events: Unchained[], sql = chainSql) {
  const pieces = events.map(hashedPieces);
  const lists: [unknown[], ArgScalarType][] = [
    [pieces.map((p) => p.prefix), "string"],
    [pieces.map((p) => p.suffix), "string"],
    [events.map((e) => e.at), "datetime"],
    [events.map((e) => e.actorType), "string"],
    [events.map((e) => e.actorId), "string"],
    [events.map((e) => e.action), "string"],
    [events.map((e) => e.sessionId), "string"],
    [events.map((e) => e.subjectId), "string"],
    [events.map((e) => e.data), "string"],
  ];
  const query = {
    sql,
    args: [auditHeadId, ...lists.map(([list]) => list)],
    argTypes: [
      { scalarType: "string" as const, arity: "scalar" as const },
      ...lists.map(([, scalarType]) => ({ scalarType, arity: "list" as const })),
    ],
  };
  let [moved] = byAlias(await connection.queryRaw(query));
  if (!moved) {
    // An empty trail: its head row, made (and locked) as for a long batch, then again.
    await lockHead(connection);
    [moved] = byAlias(await connection.queryRaw(query));
  }
  if (moved?.w?.written !== events.length) throw new Error("audit: the chain's head was not moved over every event");
}

/**
 * PostgreSQL, a long batch: the head, locked until the transaction ends, in one statement. The
 * upsert takes the head row's lock (a second appender waits for the first to commit) and returns
 * its newest committed values, as an UPDATE does after waiting, where a SELECT's snapshot would
 * predate the wait; an empty trail gets its head row here (at seq 0, which verifyChain reads as
 * no events).
 */
async function lockHead(connection: Queryable) {
  const [head] = await executeReturning(
    connection,
    `INSERT INTO "AuditHead" ("id", "seq", "hash") VALUES ($1, 0, $2) ON CONFLICT ("id") DO UPDATE SET "seq" = "AuditHead"."seq" RETURNING "seq" AS "h.seq", "hash" AS "h.hash"`,
    [
      [auditHeadId, "string"],
      [genesisHash, "string"],
    ],
  );
  return head!.h;
}

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
 * One multi-row INSERT per thousand events (Prisma's createMany spent about 0.2 ms on each row),
 * then the head moved to the newest. On PostgreSQL the last INSERT and the head's upsert are one
 * statement (the INSERT in a WITH); SQLite, which has no writes in a WITH, runs them one after the
 * other.
 */
async function insertEvents(connection: Queryable, rows: (ChainedFields & { hash: string })[], head: { seq: number; hash: string }) {
  const headValues: [unknown, ArgScalarType][] = [
    [auditHeadId, "string"],
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
  const head = await tx.auditHead.findUnique({ where: { id: auditHeadId } });
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
