// Keep-apart entries and sightings, read for every admission and every waiting page, and who is
// around in a session (read when an entry names someone being admitted). Each is one
// statement; the times are compared here, not in SQL (SQLite keeps times as text in Prisma's
// format), so the only arguments bound are ids. test/adapters/db/reads.test.ts holds each equal
// to the Prisma read it replaced (written out there) over random histories.
import type { Reader } from "../driver.ts";
import { select } from "./sql.ts";

export const peopleSql = {
  keepApart: `SELECT k."aType" AS "k.aType", k."aId" AS "k.aId", k."bType" AS "k.bType", k."bId" AS "k.bId", k."until" AS "k.until"
FROM "KeepApart" k
LEFT JOIN "KeepApartEnd" e ON e."keepApartId" = k."id"
WHERE e."id" IS NULL AND (k."aId" IN (:a) OR k."bId" IN (:b))
ORDER BY k."id"`,
  seen: `SELECT w."attendeeId" AS "w.attendeeId", w."staffId" AS "w.staffId", w."createdAt" AS "w.createdAt"
FROM "WaitingSeen" w
WHERE w."attendeeId" IN (:ids)
ORDER BY w."createdAt", w."id"`,
  around: `SELECT a."memberId" AS "a.memberId", a."volunteerId" AS "a.volunteerId" FROM "Attendee" a
WHERE a."sessionId" IN (:session) AND (a."state" = 'admitted' OR a."id" IN (:present))`,
};

type PersonType = "member" | "volunteer" | "staff";

export interface KeepApartEntry {
  aType: PersonType;
  aId: string;
  bType: PersonType;
  bId: string;
}

/** The entries still in force at `now` (no end time, or one after it), without their end times. */
export function inForce(rows: (KeepApartEntry & { until: Date | null })[], now: Date): KeepApartEntry[] {
  return rows.flatMap(({ until, ...entry }) => (until === null || until > now ? [entry] : []));
}

/** Keep-apart entries not ended and still in force at `now` that name any of these people's ids. */
export async function readKeepApart(queryable: Reader, ids: string[], now: Date, sql = peopleSql): Promise<KeepApartEntry[]> {
  if (ids.length === 0) return [];
  const found = await select(queryable, sql.keepApart, { a: ids, b: ids });
  return inForce(found.map(({ k }) => k) as unknown as (KeepApartEntry & { until: Date | null })[], now);
}

/** When each of these people was seen by staff, oldest first. */
export async function readSightings(queryable: Reader, attendeeIds: string[], sql = peopleSql) {
  if (attendeeIds.length === 0) return [];
  const found = await select(queryable, sql.seen, { ids: attendeeIds });
  return found.map(({ w }) => w as { attendeeId: string; staffId: string; createdAt: Date });
}

/** Whom a session has admitted, or has in its room of these attendees: each one's member and volunteer ids. */
export async function readAround(queryable: Reader, sessionId: string, presentIds: string[], sql = peopleSql) {
  const found = await select(queryable, sql.around, { session: [sessionId], present: presentIds });
  return found.map(({ a }) => a as { memberId: string | null; volunteerId: string | null });
}
