// What a batch of people entering the waiting room writes, by hand: their guideline agreements in
// one INSERT and their move from invited to waiting in one UPDATE, on the transaction's own
// connection. Through Prisma these two statements cost ≈ 1.6 ms of CPU a batch (each operation
// goes through the query compiler and interpreter, ≈ 0.6–1 ms here, bench/history.md), and at the
// top of the hour entries come in batches of one to four. test/adapters/db/writes.test.ts holds the
// rows they leave equal to those of the Prisma writes they replace (written out there), on both
// providers, over random batches.
import { v7 as uuidv7 } from "uuid";
import type { Queryable } from "../driver.ts";
import { execute, placeholders, valueRows } from "../reads/sql.ts";

export interface EntryWrites {
  agreements: { attendeeId: string; memberId: string | null; version: number }[];
  /** People entering the waiting room (only those still invited move). */
  arrivals: string[];
}

/** The statements (tests mutate them to check the check). */
export const entrySql = {
  agreements: (queryable: Queryable, rows: number) =>
    `INSERT INTO "GuidelinesAgreement" ("id", "attendeeId", "memberId", "version", "createdAt") VALUES ${valueRows(queryable, rows, 5)}`,
  arrivals: (queryable: Queryable, rows: number) =>
    `UPDATE "Attendee" SET "state" = 'waiting', "stateChangedAt" = ${placeholders(queryable, 1)} WHERE "id" IN (${placeholders(queryable, rows, 2)}) AND "state" = 'invited'`,
};

/**
 * Entries in a batch: at most 200 (group commit's batch), so ≤ 1,000 bound values a statement.
 * `now` is the transaction's instant (the arrivals' stateChangedAt); the agreements are made at
 * `createdAt`, the wall clock as Prisma's `@default(now())` had it (tests fix the first, not this).
 */
export async function writeEntries(
  queryable: Queryable,
  writes: EntryWrites,
  now: Date,
  sql = entrySql,
  createdAt = new Date(),
): Promise<void> {
  if (writes.agreements.length)
    await execute(
      queryable,
      sql.agreements(queryable, writes.agreements.length),
      writes.agreements.flatMap((a) => [
        [uuidv7(), "string"],
        [a.attendeeId, "string"],
        [a.memberId, "string"],
        [a.version, "int"],
        [createdAt, "datetime"],
      ]),
    );
  if (writes.arrivals.length)
    await execute(queryable, sql.arrivals(queryable, writes.arrivals.length), [
      [now, "datetime"],
      ...writes.arrivals.map((id): [string, "string"] => [id, "string"]),
    ]);
}
