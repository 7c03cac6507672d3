// Races that must never hand out a second admission or a token for an ended session.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providers } from "../helpers/db.ts";
import { call, type Org, readyToAdmit, startOrg } from "../helpers/scenario.ts";

describe.each(providers)("concurrency on %s", (provider) => {
  let org: Org;
  beforeAll(async () => {
    org = await startOrg(provider);
  });
  afterAll(async () => org.t.close());

  it("50 simultaneous admits of one person make exactly one admission and one token", async () => {
    const { s, a } = await readyToAdmit(org);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/admit`, i % 2 ? org.lead : org.second),
      ),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(49);
    expect(await org.t.database.db.admissionDecision.count({ where: { attendeeId: a.id, action: "admit" } })).toBe(1);
    const attendee = await org.t.database.db.attendee.findUniqueOrThrow({ where: { id: a.id } });
    expect(attendee.admissionSeq).toBe(1);

    const tokens = await Promise.all(Array.from({ length: 10 }, () => call(org, "POST", `/api/join/${a.invite}/connection`)));
    // Every page request for the one admission gets a token for that same admission.
    const admissions = new Set(
      await Promise.all(tokens.map(async (t) => JSON.parse(atob(t.json().participant_token.split(".")[1])).metadata)),
    );
    expect(admissions).toEqual(new Set([JSON.stringify({ admission: 1 })]));
  });

  it("admit racing with end never yields a token for an ended session", async () => {
    for (let round = 0; round < 5; round++) {
      const { s, a } = await readyToAdmit(org, { name: `Racer${"abcde"[round]}` });
      const [, , conn1, conn2] = await Promise.all([
        call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/admit`, org.lead),
        call(org, "POST", `/api/sessions/${s.id}/end`, org.second),
        call(org, "POST", `/api/join/${a.invite}/connection`),
        call(org, "POST", `/api/join/${a.invite}/connection`),
      ]);
      const after = await call(org, "POST", `/api/join/${a.invite}/connection`);
      expect(after.statusCode).toBe(409);
      const session = await org.t.database.db.session.findUniqueOrThrow({ where: { id: s.id } });
      expect(session.status).toBe("ended");
      // Any token that was issued was issued before the end was recorded.
      const issued = await org.t.database.db.auditEvent.findMany({
        where: { sessionId: s.id, action: { in: ["token.issued", "session.ended"] } },
        orderBy: { seq: "asc" },
      });
      expect(issued.at(-1)?.action).toBe("session.ended");
      for (const conn of [conn1, conn2]) expect([201, 409]).toContain(conn.statusCode);
    }
  });
});
