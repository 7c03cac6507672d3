// People with everything a decision reads about them, in two statements: the person, their
// session with its two staff, their member record, their newest carer confirmation and their
// newest invite link in one; their consents with any withdrawal in the other. The same rows as
// facts.ts's `findAttendeesThroughPrisma` (nine statements through Prisma on SQLite), which stays
// as the reference: test/adapters/db/reads.test.ts holds the two equal over random histories.
import type { Reader } from "../driver.ts";
import {
  AttendeeScalarFieldEnum,
  CarerConfirmationScalarFieldEnum,
  ConsentScalarFieldEnum,
  ConsentWithdrawalScalarFieldEnum,
  LinkScalarFieldEnum,
  MemberScalarFieldEnum,
  SessionScalarFieldEnum,
} from "../generated/sqlite/internal/prismaNamespace.ts";
import { columns, select } from "./sql.ts";

const staff = { id: "id", name: "name", active: "active" };

/** The statements, with `:ids` where the placeholders go (tests mutate them to check the check). */
export const attendeeSql = {
  people: `SELECT ${[
    columns("a", AttendeeScalarFieldEnum),
    columns("s", SessionScalarFieldEnum),
    columns("l", staff),
    columns("t", staff),
    columns("m", MemberScalarFieldEnum),
    columns("c", CarerConfirmationScalarFieldEnum),
    columns("k", LinkScalarFieldEnum),
  ].join(", ")}
FROM "Attendee" a
JOIN "Session" s ON s."id" = a."sessionId"
JOIN "Staff" l ON l."id" = s."leadStaffId"
LEFT JOIN "Staff" t ON t."id" = s."secondStaffId"
LEFT JOIN "Member" m ON m."id" = a."memberId"
LEFT JOIN "CarerConfirmation" c ON c."id" = (SELECT c1."id" FROM "CarerConfirmation" c1 WHERE c1."attendeeId" = a."id" ORDER BY c1."createdAt" DESC, c1."id" DESC LIMIT 1)
LEFT JOIN "Link" k ON k."id" = (SELECT k1."id" FROM "Link" k1 WHERE k1."attendeeId" = a."id" AND k1."kind" = 'invite' ORDER BY k1."createdAt" DESC, k1."id" DESC LIMIT 1)
WHERE a."id" IN (:ids)
ORDER BY a."createdAt", a."id"`,
  consents: `SELECT ${columns("n", ConsentScalarFieldEnum)}, ${columns("w", ConsentWithdrawalScalarFieldEnum)}
FROM "Consent" n
LEFT JOIN "ConsentWithdrawal" w ON w."consentId" = n."id"
WHERE n."memberId" IN (:ids)
ORDER BY n."createdAt", n."id"`,
};

/** `LEFT JOIN "T" x ON x."id" = (SELECT x1."id" FROM … LIMIT 1)`: a join on a person's newest row of T. */
const newestJoin = /LEFT JOIN "\w+" (\w+) ON \1\."id" = \(SELECT (\w+)\."id" (FROM .*?LIMIT 1)\)/g;
const lateralTexts = new Map<string, string>();

/**
 * PostgreSQL's text of `people`: each newest-row join as a LATERAL subquery, which PostgreSQL runs
 * once per person through the index; the join on the subquery's id (the text SQLite runs, a loop
 * per person there too) PostgreSQL ran as a hash join over the whole table (for 32 people of
 * 4,000: 3.5 → 1.9 ms). The same rows either way: test/adapters/db/reads.test.ts on both providers.
 */
export function lateral(sql: string): string {
  let text = lateralTexts.get(sql);
  if (text === undefined) {
    text = sql.replace(newestJoin, "LEFT JOIN LATERAL (SELECT $2.* $3) $1 ON true");
    lateralTexts.set(sql, text);
  }
  return text;
}

/** `{ …attendee, session: { …, lead, second }, member: { …, consents }, confirmations, links }` per id found. */
export async function readAttendees(queryable: Reader, ids: string[], sql = attendeeSql): Promise<Record<string, unknown>[]> {
  if (ids.length === 0) return [];
  const people = await select(queryable, queryable.provider === "postgres" ? lateral(sql.people) : sql.people, { ids });
  const memberIds = [...new Set(people.flatMap((p) => (p.m!.id === null ? [] : [p.m!.id as string])))];
  const consents = new Map<string, Record<string, unknown>[]>();
  if (memberIds.length)
    for (const { n, w } of await select(queryable, sql.consents, { ids: memberIds }, { "n.type": "ConsentType" })) {
      const consent = { ...n, withdrawal: w!.id === null ? null : w };
      const list = consents.get(n!.memberId as string);
      if (list) list.push(consent);
      else consents.set(n!.memberId as string, [consent]);
    }
  return people.map(({ a, s, l, t, m, c, k }) => ({
    ...a,
    session: { ...s, lead: l, second: t!.id === null ? null : t },
    member: m!.id === null ? null : { ...m, consents: consents.get(m!.id as string) ?? [] },
    confirmations: c!.id === null ? [] : [c],
    links: k!.id === null ? [] : [k],
  }));
}
