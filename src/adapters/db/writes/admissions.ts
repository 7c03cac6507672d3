// What admitting a batch of people writes, by hand: the admitted people's move to the room in one
// UPDATE (their admission count one up) and every decision, with its checks, in one INSERT (on
// PostgreSQL the two in one statement), on the transaction's own connection. Through Prisma these
// two statements cost ≈ 1.5 ms of CPU a batch (bench/history.md), and staff admit one person at a
// time. test/adapters/db/writes.test.ts holds the rows they leave equal to those of the Prisma
// writes they replace, on both providers.
import type { ArgScalarType } from "@prisma/driver-adapter-utils";
import { v7 as uuidv7 } from "uuid";
import type { Queryable } from "../driver.ts";
import { execute, executeReturning, placeholders, valueRows } from "../reads/sql.ts";

export interface AdmissionWrites {
  /** People let in: they move from a waiting state to admitted. */
  admitted: string[];
  /** The states they may be let in from (the session row is locked, so they are still in one). */
  from: readonly string[];
  decisions: { sessionId: string; attendeeId: string; action: string; checks: unknown; staffId: string }[];
}

/** The statements (tests mutate them to check the check). */
export const admissionSql = {
  admitted: (queryable: Queryable, people: number, states: number) =>
    `UPDATE "Attendee" SET "state" = 'admitted', "stateChangedAt" = ${placeholders(queryable, 1)}, "admissionSeq" = "admissionSeq" + 1 WHERE "id" IN (${placeholders(queryable, people, 2)}) AND "state" IN (${placeholders(queryable, states, 2 + people)})`,
  decisions: (queryable: Queryable, rows: number, from = 1) =>
    `INSERT INTO "AdmissionDecision" ("id", "sessionId", "attendeeId", "action", "checks", "staffId", "createdAt") VALUES ${valueRows(queryable, rows, 7, from)}`,
};

/**
 * Rows a statement: "admit all" decides a whole session at once, and SQLite takes at most 32,766
 * bound values a statement (Prisma's createMany split them the same way).
 */
const rowsPerStatement = 1000;

/**
 * Writes a batch's admissions and decisions; returns how many people moved (the caller checks it).
 * `now` is the transaction's instant (stateChangedAt); the decisions are made at `createdAt`, the
 * wall clock as Prisma's `@default(now())` had it, like every other decision (tests fix `now` only).
 * On PostgreSQL a batch of up to a thousand is one statement (the UPDATE and the INSERT in a WITH,
 * the count of people moved read back): one round trip fewer for every admission.
 */
export async function writeAdmissions(
  queryable: Queryable,
  writes: AdmissionWrites,
  now: Date,
  sql = admissionSql,
  createdAt = new Date(),
): Promise<number> {
  const moves = chunks(writes.admitted).map((ids) => ({
    ids,
    values: [
      [now, "datetime"],
      ...ids.map((id): [string, "string"] => [id, "string"]),
      ...writes.from.map((state): [string, "string"] => [state, "string"]),
    ] as [unknown, ArgScalarType][],
  }));
  const decisions = chunks(writes.decisions).map((rows) => ({
    rows,
    values: rows.flatMap((d): [unknown, ArgScalarType][] => [
      [uuidv7(), "string"],
      [d.sessionId, "string"],
      [d.attendeeId, "string"],
      [d.action, "string"],
      [JSON.stringify(d.checks), "json"],
      [d.staffId, "string"],
      [createdAt, "datetime"],
    ]),
  }));
  // One statement's worth of each (up to a thousand rows): both in one WITH on PostgreSQL.
  const [move, ...moreMoves] = moves;
  const [decided, ...moreDecisions] = decisions;
  if (queryable.provider === "postgres" && move && decided && !moreMoves.length && !moreDecisions.length) {
    const update = sql.admitted(queryable, move.ids.length, writes.from.length);
    const insert = sql.decisions(queryable, decided.rows.length, move.values.length + 1);
    const [row] = await executeReturning(
      queryable,
      `WITH moved AS (${update} RETURNING 1), decided AS (${insert}) SELECT CAST(count(*) AS integer) AS "m.count" FROM moved`,
      [...move.values, ...decided.values],
    );
    return row!.m!.count as number;
  }
  let moved = 0;
  for (const { ids, values } of moves) moved += await execute(queryable, sql.admitted(queryable, ids.length, writes.from.length), values);
  for (const { rows, values } of decisions) await execute(queryable, sql.decisions(queryable, rows.length), values);
  return moved;
}

/** A list in statements' worth of rows. */
function chunks<T>(list: T[]): T[][] {
  return Array.from({ length: Math.ceil(list.length / rowsPerStatement) }, (_, i) =>
    list.slice(i * rowsPerStatement, (i + 1) * rowsPerStatement),
  );
}
