// The small reads every page and decision makes, written by hand: the settings row, the newest
// version of a text, who agreed to which guidelines, which sessions are being recorded, whose
// photo there is, where a person stands, who answered what to being recorded; and whether there
// is any staff account (start-up).
// Each is one statement, like Prisma's, without Prisma's interpreter (≈ 0.3 ms each; a page made
// a dozen of them). test/adapters/db/reads.test.ts holds each equal to the Prisma read it
// replaced (written out there) over random histories.
import type { Reader } from "../driver.ts";
import type { AttendeeState } from "../generated/sqlite/enums.ts";
import { GuidelinesVersionScalarFieldEnum, SettingsScalarFieldEnum } from "../generated/sqlite/internal/prismaNamespace.ts";
import { columns, select } from "./sql.ts";

/** The statements, with `:name`s where the placeholders for a list of values go. */
export const sharedSql = {
  settings: `SELECT ${columns("s", SettingsScalarFieldEnum)} FROM "Settings" s WHERE s."id" = :id`,
  newestText: `SELECT ${columns("g", GuidelinesVersionScalarFieldEnum)} FROM "GuidelinesVersion" g WHERE g."audience" = :audience ORDER BY g."version" DESC LIMIT 1`,
  agreements: `SELECT g."memberId" AS "g.memberId", g."attendeeId" AS "g.attendeeId", g."version" AS "g.version" FROM "GuidelinesAgreement" g WHERE g."memberId" IN (:members) OR g."attendeeId" IN (:attendees)`,
  recording: `SELECT DISTINCT r."sessionId" AS "r.sessionId" FROM "Recording" r WHERE r."sessionId" IN (:ids) AND r."status" IN (:statuses)`,
  photos: `SELECT p."staffId" AS "p.staffId" FROM "StaffPhoto" p WHERE p."staffId" IN (:ids)`,
  states: `SELECT a."id" AS "a.id", a."sessionId" AS "a.sessionId", a."state" AS "a.state" FROM "Attendee" a WHERE a."id" IN (:ids) ORDER BY a."id"`,
  anyStaff: `SELECT s."id" AS "s.id" FROM "Staff" s LIMIT 1`,
  recordingAnswers: `SELECT r."attendeeId" AS "r.attendeeId", r."staffId" AS "r.staffId", r."agreed" AS "r.agreed" FROM "RecordingAgreement" r
WHERE r."sessionId" IN (:session) AND (r."attendeeId" IN (:attendees) OR r."staffId" IN (:staff))
ORDER BY r."createdAt", r."id"`,
};

/** Whether any staff account exists (start-up asks, before the Prisma client has loaded: client.ts). */
export async function readStaffExists(queryable: Reader, sql = sharedSql) {
  return (await select(queryable, sql.anyStaff, {})).length > 0;
}

export async function readSettingsRow(queryable: Reader, id: string, sql = sharedSql) {
  return (await select(queryable, sql.settings, { id: [id] }))[0]?.s ?? null;
}

export async function readNewestText(queryable: Reader, audience: string, sql = sharedSql) {
  return (await select(queryable, sql.newestText, { audience: [audience] }))[0]?.g ?? null;
}

/** Every agreement by these members (carried over between sessions) or these attendees. */
export async function readAgreements(queryable: Reader, memberIds: string[], attendeeIds: string[], sql = sharedSql) {
  const found = await select(queryable, sql.agreements, { members: memberIds, attendees: attendeeIds });
  return found.map(({ g }) => g as { memberId: string | null; attendeeId: string; version: number });
}

/** Which of these sessions have a recording in one of these statuses. */
export async function readRecordingSessions(queryable: Reader, sessionIds: string[], statuses: readonly string[], sql = sharedSql) {
  if (sessionIds.length === 0) return new Set<string>();
  const found = await select(queryable, sql.recording, { ids: sessionIds, statuses: [...statuses] });
  return new Set(found.map(({ r }) => r!.sessionId as string));
}

/** Which of these members of staff have a photo. */
export async function readPhotoOwners(queryable: Reader, staffIds: string[], sql = sharedSql) {
  return new Set((await select(queryable, sql.photos, { ids: staffIds })).map(({ p }) => p!.staffId as string));
}

/** Where each of these people stands, by id. */
export async function readAttendeeStates(queryable: Reader, ids: string[], sql = sharedSql) {
  const found = await select(queryable, sql.states, { ids });
  return found.map(({ a }) => a as { id: string; sessionId: string; state: AttendeeState });
}

/** The answers to being recorded in this session by these volunteers (by attendee id) or members of staff, oldest first. */
export async function readRecordingAnswers(
  queryable: Reader,
  sessionId: string,
  attendeeIds: string[],
  staffIds: string[],
  sql = sharedSql,
) {
  const found = await select(queryable, sql.recordingAnswers, { session: [sessionId], attendees: attendeeIds, staff: staffIds });
  return found.map(({ r }) => r as { attendeeId: string | null; staffId: string | null; agreed: boolean });
}
