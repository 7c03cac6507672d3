// Who is in a session's room and who has asked for help: read for every page refresh and every
// admission. One statement each (help was two through Prisma). test/adapters/db/reads.test.ts
// holds each equal to the Prisma read it replaced (written out there) over random histories.
import type { Reader } from "../driver.ts";
import { select } from "./sql.ts";

export const roomSql = {
  presence: `SELECT p."identity" AS "p.identity", p."event" AS "p.event" FROM "Attendance" p
WHERE p."sessionId" IN (:session) AND p."event" IN ('joined', 'left')
ORDER BY p."createdAt", p."id"`,
  help: `SELECT h."attendeeId" AS "h.attendeeId", a."staffId" AS "a.staffId" FROM "HelpRequest" h
LEFT JOIN "HelpAnswer" a ON a."helpRequestId" = h."id"
WHERE h."attendeeId" IN (:ids)
ORDER BY h."createdAt", h."id"`,
};

/** A session's joined and left events, oldest first. */
export async function readPresence(queryable: Reader, sessionId: string, sql = roomSql) {
  return (await select(queryable, sql.presence, { session: [sessionId] })).map(
    ({ p }) => p as { identity: string; event: "joined" | "left" },
  );
}

/** These people's calls for help, oldest first, each with who answered it. */
export async function readHelp(queryable: Reader, attendeeIds: string[], sql = roomSql) {
  if (attendeeIds.length === 0) return [];
  return (await select(queryable, sql.help, { ids: attendeeIds })).map(({ h, a }) => ({
    attendeeId: h!.attendeeId as string,
    answer: a!.staffId === null ? null : { staffId: a!.staffId as string },
  }));
}
