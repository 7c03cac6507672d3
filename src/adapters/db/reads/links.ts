// Links by the hashes of their tokens, each with whose it is and where their session stands: one
// statement (three through Prisma on SQLite). Every page asks this first, once per request.
// links.ts's `findLinksThroughPrisma` is the reference; test/adapters/db/reads.test.ts holds the
// two equal over random histories.
import type { Reader } from "../driver.ts";
import { LinkScalarFieldEnum } from "../generated/sqlite/internal/prismaNamespace.ts";
import { columns, select } from "./sql.ts";

export const linkSql = `SELECT ${columns("k", LinkScalarFieldEnum)}, ${columns("a", { id: "id", sessionId: "sessionId" })}, ${columns("s", { status: "status", cancelledAt: "cancelledAt" })}
FROM "Link" k
JOIN "Attendee" a ON a."id" = k."attendeeId"
JOIN "Session" s ON s."id" = a."sessionId"
WHERE k."tokenHash" IN (:hashes)
ORDER BY k."id"`;

/**
 * PostgreSQL: the same read, locking the links' sessions (shared, or for update) as it reads them,
 * in the order of their ids, as unit-of-work.ts's lockSession takes them one by one (the same order
 * everywhere, so no two transactions wait for each other): one round trip where the read and a lock
 * per session were two or more. The rows' own columns are as the statement first read them; what a
 * decision needs from after the lock is read after it (facts.ts's linkFacts). Each text is made
 * once, not for every token batch and entry.
 */
const lockingLinkText = (lock: string) => `${linkSql.replace('ORDER BY k."id"', 'ORDER BY s."id", k."id"')}\nFOR ${lock} OF s`;
export const lockingLinkSql = { share: lockingLinkText("SHARE"), update: lockingLinkText("UPDATE") };

/** `{ …link, attendee: { id, sessionId, session: { status, cancelledAt } } }` per hash found. */
export async function readLinks(queryable: Reader, hashes: string[], sql = linkSql): Promise<Record<string, unknown>[]> {
  if (hashes.length === 0) return [];
  return (await select(queryable, sql, { hashes })).map(({ k, a, s }) => ({ ...k, attendee: { ...a, session: s } }));
}
