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

/** `{ …link, attendee: { id, sessionId, session: { status, cancelledAt } } }` per hash found. */
export async function readLinks(queryable: Reader, hashes: string[], sql = linkSql): Promise<Record<string, unknown>[]> {
  if (hashes.length === 0) return [];
  return (await select(queryable, sql, { hashes })).map(({ k, a, s }) => ({ ...k, attendee: { ...a, session: s } }));
}
