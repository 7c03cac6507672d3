// The small facts a decision shares across everyone it decides for: the settings row, the newest
// member guidelines, who agreed to which guidelines, who is in the room, whether the room is
// being recorded, and the keep-apart entries naming these people. Six statements, each of them a
// round trip on PostgreSQL (≈ 0.5 ms each, and a socket write and read of the server's CPU), so
// there they are one statement of subqueries; SQLite, where a statement is a function call, runs
// the six reads of shared.ts, room.ts and people.ts one after another. test/adapters/db/reads.test.ts
// holds the one statement equal to the six over random histories.
import type { Reader } from "../driver.ts";
import type { GuidelinesVersion, Settings } from "../generated/sqlite/client.ts";
import { GuidelinesVersionScalarFieldEnum, SettingsScalarFieldEnum } from "../generated/sqlite/internal/prismaNamespace.ts";
import { inForce, type KeepApartEntry, readKeepApart } from "./people.ts";
import { readPresence } from "./room.ts";
import { readAgreements, readNewestText, readRecordingSessions, readSettingsRow } from "./shared.ts";
import { byAlias, columns } from "./sql.ts";

export interface SharedAsk {
  settingsId: string;
  audience: string;
  /** Agreements by these members, or by these attendees (volunteers agree per invite). */
  memberIds: string[];
  attendeeIds: string[];
  sessionId: string;
  /** The recording statuses that count as recording. */
  statuses: readonly string[];
  /** Keep-apart entries in force at `now` naming any of these people's ids. */
  personIds: string[];
  now: Date;
}

export interface SharedFacts {
  settings: Settings | null;
  text: GuidelinesVersion | null;
  agreements: { memberId: string | null; attendeeId: string; version: number }[];
  presence: { identity: string; event: "joined" | "left" }[];
  recording: boolean;
  keepApart: KeepApartEntry[];
}

/**
 * PostgreSQL's one statement: the settings row and the newest text as joined columns (decoded by
 * their types, as the separate reads decode them), the lists as JSON arrays in the separate
 * reads' order, a keep-apart entry's end in milliseconds since 1970 (Prisma keeps times in UTC).
 * Each list is one array value (`= ANY($n)`), so the text is the same whatever the batch's size
 * and stays prepared on each connection (connection.ts), planned once.
 */
export const decisionSql = `SELECT ${columns("s", SettingsScalarFieldEnum)}, ${columns("g", GuidelinesVersionScalarFieldEnum)},
(SELECT json_agg(json_build_array(ag."memberId", ag."attendeeId", ag."version")) FROM "GuidelinesAgreement" ag
  WHERE ag."memberId" = ANY($1) OR ag."attendeeId" = ANY($2)) AS "x.agreements",
(SELECT json_agg(json_build_array(p."identity", p."event") ORDER BY p."createdAt", p."id") FROM "Attendance" p
  WHERE p."sessionId" = $3 AND p."event" IN ('joined', 'left')) AS "x.presence",
EXISTS (SELECT 1 FROM "Recording" r WHERE r."sessionId" = $3 AND r."status" = ANY($4)) AS "x.recording",
(SELECT json_agg(json_build_array(k."aType", k."aId", k."bType", k."bId", CAST(extract(epoch FROM k."until") * 1000 AS bigint)) ORDER BY k."id")
  FROM "KeepApart" k LEFT JOIN "KeepApartEnd" e ON e."keepApartId" = k."id"
  WHERE e."id" IS NULL AND (k."aId" = ANY($5) OR k."bId" = ANY($5))) AS "x.keepApart"
FROM (SELECT 1) AS one
LEFT JOIN "Settings" s ON s."id" = $6
LEFT JOIN LATERAL (SELECT * FROM "GuidelinesVersion" g0 WHERE g0."audience" = $7 ORDER BY g0."version" DESC LIMIT 1) g ON true`;

type Tuple = (string | number | null)[];

/** The six reads one after another: what SQLite runs, and what the one statement must equal. */
export async function readSharedFactsApart(queryable: Reader, ask: SharedAsk): Promise<SharedFacts> {
  return {
    settings: (await readSettingsRow(queryable, ask.settingsId)) as Settings | null,
    text: (await readNewestText(queryable, ask.audience)) as GuidelinesVersion | null,
    agreements: await readAgreements(queryable, ask.memberIds, ask.attendeeIds),
    presence: await readPresence(queryable, ask.sessionId),
    recording: (await readRecordingSessions(queryable, [ask.sessionId], ask.statuses)).size > 0,
    keepApart: await readKeepApart(queryable, ask.personIds, ask.now),
  };
}

export async function readSharedFacts(queryable: Reader, ask: SharedAsk, sql = decisionSql): Promise<SharedFacts> {
  if (queryable.provider !== "postgres") return readSharedFactsApart(queryable, ask);
  const args = [ask.memberIds, ask.attendeeIds, ask.sessionId, [...ask.statuses], ask.personIds, ask.settingsId, ask.audience];
  const result = await queryable.queryRaw({
    sql,
    args,
    argTypes: args.map((arg) => ({ scalarType: "string", arity: Array.isArray(arg) ? "list" : "scalar" })),
  });
  const [row] = byAlias(result);
  const { s, g, x } = row!;
  const list = (value: unknown) => (value ?? []) as Tuple[];
  return {
    settings: s!.id === null ? null : (s as Settings),
    text: g!.id === null ? null : (g as GuidelinesVersion),
    agreements: list(x!.agreements).map(([memberId, attendeeId, version]) => ({
      memberId: memberId as string | null,
      attendeeId: attendeeId as string,
      version: version as number,
    })),
    presence: list(x!.presence).map(([identity, event]) => ({ identity: identity as string, event: event as "joined" | "left" })),
    recording: x!.recording as boolean,
    keepApart: inForce(
      list(x!.keepApart).map(([aType, aId, bType, bId, until]) => ({
        aType,
        aId,
        bType,
        bId,
        until: until === null ? null : new Date(until as number),
      })) as (KeepApartEntry & { until: Date | null })[],
      ask.now,
    ),
  };
}
