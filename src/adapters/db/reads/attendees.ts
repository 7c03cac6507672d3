// People with everything a decision reads about them, in two statements: the person, their
// session with its two staff, their member record, their newest carer confirmation and their
// newest invite link in one; their consents with any withdrawal in the other. PostgreSQL, where
// each statement is a round trip, runs the two as one (withConsents below). The same rows as
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
import { columns, mappedEnums, select } from "./sql.ts";

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

/** The consent and withdrawal columns that hold times: withConsents sends them as milliseconds. */
const consentTimes = new Set(["n.createdAt", "w.createdAt"]);

/** `consents`'s text taken apart: its columns, what it reads from up to the member's id, its order. */
const consentParts = /^SELECT (.*)\nFROM ([\s\S]*) IN \(:ids\)\nORDER BY (.*)$/;

const combinedTexts = new Map<string, { sql: string; aliases: string[] }>();

/**
 * PostgreSQL's one statement for both: `people` (newest rows through LATERAL, as `lateral` gives
 * it) with each person's consents as one JSON column, `x.consents`, made from `consents`'s own
 * text: per consent an array of its columns in their order (times as milliseconds since 1970;
 * Prisma keeps them in UTC), in `consents`'s order, for the person's member: one round trip fewer
 * for every decision.
 */
export function withConsents(sql: typeof attendeeSql): { sql: string; aliases: string[] } {
  const key = `${sql.people}\u0000${sql.consents}`;
  let combined = combinedTexts.get(key);
  if (combined === undefined) {
    const [, list, from, order] = sql.consents.match(consentParts) ?? [];
    if (!list || !from || !order) throw new Error("withConsents: the consents read is not in the expected shape");
    const fields = list.split(/, (?=\w+\.")/).map((column) => {
      const [, expression, alias] = column.match(/^(.*) AS "(.*)"$/)!;
      return {
        expression: consentTimes.has(alias!) ? `CAST(extract(epoch FROM ${expression}) * 1000 AS bigint)` : expression!,
        alias: alias!,
      };
    });
    const json = `(SELECT json_agg(json_build_array(${fields.map((f) => f.expression).join(", ")}) ORDER BY ${order}) FROM ${from} = a."memberId") AS "x.consents"`;
    combined = {
      sql: lateral(sql.people).replace('\nFROM "Attendee" a', `, ${json}\nFROM "Attendee" a`),
      aliases: fields.map((f) => f.alias),
    };
    combinedTexts.set(key, combined);
  }
  return combined;
}

type Consent = Record<string, unknown> & { withdrawal: Record<string, unknown> | null };

/** One consent as the separate read decodes it, from its `n` and `w` columns. */
const consentOf = (n: Record<string, unknown>, w: Record<string, unknown>): Consent => ({
  ...n,
  type: mappedEnums.ConsentType![n.type as string] ?? n.type,
  withdrawal: w.id === null ? null : w,
});

/** A consent's JSON array back into its `n` and `w` columns, times as dates. */
function consentFromJson(values: unknown[], aliases: string[]): Consent {
  const parts: Record<string, Record<string, unknown>> = { n: {}, w: {} };
  for (const [i, alias] of aliases.entries()) {
    const value = values[i] ?? null;
    const [table, field] = alias.split(".") as [string, string];
    parts[table]![field] = value !== null && consentTimes.has(alias) ? new Date(value as number) : value;
  }
  return consentOf(parts.n!, parts.w!);
}

/** `{ …attendee, session: { …, lead, second }, member: { …, consents }, confirmations, links }` per id found. */
export async function readAttendees(queryable: Reader, ids: string[], sql = attendeeSql): Promise<Record<string, unknown>[]> {
  if (ids.length === 0) return [];
  const consents = new Map<string, Consent[]>();
  let people: Record<string, Record<string, unknown>>[];
  if (queryable.provider === "postgres") {
    const combined = withConsents(sql);
    people = await select(queryable, combined.sql, { ids });
    for (const { m, x } of people)
      if (m!.id !== null)
        consents.set(
          m!.id as string,
          ((x!.consents ?? []) as unknown[][]).map((c) => consentFromJson(c, combined.aliases)),
        );
  } else {
    people = await select(queryable, sql.people, { ids });
    const memberIds = [...new Set(people.flatMap((p) => (p.m!.id === null ? [] : [p.m!.id as string])))];
    if (memberIds.length)
      for (const { n, w } of await select(queryable, sql.consents, { ids: memberIds })) {
        const consent = consentOf(n!, w!);
        const list = consents.get(n!.memberId as string);
        if (list) list.push(consent);
        else consents.set(n!.memberId as string, [consent]);
      }
  }
  return people.map(({ a, s, l, t, m, c, k }) => ({
    ...a,
    session: { ...s, lead: l, second: t!.id === null ? null : t },
    member: m!.id === null ? null : { ...m, consents: consents.get(m!.id as string) ?? [] },
    confirmations: c!.id === null ? [] : [c],
    links: k!.id === null ? [] : [k],
  }));
}
