// Erasure can only replace what it knows of: every text or JSON column of the schema (the one in
// prisma/models.prisma) must be one where words about a person are kept (swept by erasure), one
// of a person's own details (replaced on their rows), or one that holds no words. A new column
// fails here until someone decides which it is.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ownColumns, wordColumns } from "../../src/domain/erasure.ts";

/** Ids, hashes, the service's vocabulary, times as text, and other people's own details. */
const holdNoWords: Record<string, string[]> = {
  Staff: ["email", "name", "roles"], // staff are not erased with members; their names are theirs
  Settings: ["timeZone", "agreedHours", "emergencyName", "emergencyPhone"], // the organisation's
  GuidelinesVersion: ["body"], // the organisation's texts, the same for everyone
  Volunteer: ["displayName", "email"], // a volunteer's own details
  Session: ["roomName", "occurrenceDate"],
  Group: ["schedule"],
  Waiver: ["rule"],
  Link: ["revokedReason"],
  HelpRequest: ["via"],
  Attendance: ["identity"],
  Recording: ["location"],
  AuditEvent: ["actorType", "action", "data"], // no words, by construction (domain/audit.ts; test/http/erasure.test.ts)
  ConcernNote: ["status"],
  OutboxMessage: ["kind", "recipientType"],
  OutboxAttempt: ["outcome"],
  Erasure: ["subjectType", "origin", "decision", "summary"],
};

function textColumns(schema: string): [string, string][] {
  const columns: [string, string][] = [];
  for (const [, model, body] of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    for (const [, field] of body!.matchAll(/^\s+(\w+)\s+(?:String|Json)\??(?:\s|$)/gm)) columns.push([model!, field!]);
  }
  return columns;
}

describe("erasure's columns", () => {
  it("every text and JSON column is swept, someone's own detail, or holds no words", () => {
    const columns = textColumns(readFileSync(new URL("../../prisma/models.prisma", import.meta.url), "utf8"));
    expect(columns.length).toBeGreaterThan(60);
    const listed = (lists: Record<string, readonly string[]>, [model, field]: [string, string]) => lists[model]?.includes(field) ?? false;
    const unclassified = columns.filter(
      (c) =>
        !(c[1] === "id" || c[1].endsWith("Id") || /hash/i.test(c[1])) &&
        !listed(wordColumns, c) &&
        !listed(ownColumns, c) &&
        !listed(holdNoWords, c),
    );
    expect(unclassified.map((c) => c.join("."))).toEqual([]);
    // And nothing listed that the schema does not have.
    const known = new Set(columns.map((c) => c.join(".")));
    for (const lists of [wordColumns, ownColumns, holdNoWords])
      for (const [model, fields] of Object.entries(lists))
        for (const f of fields) expect(known.has(`${model}.${f}`), `${model}.${f}`).toBe(true);
  });
});
