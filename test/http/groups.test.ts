// Recurring groups through the API on a real database: occurrences for a rolling window at the
// same local time across both clock changes, R6 at creation, edits that reach future occurrences
// (people added and removed, new times, a new day), and cancelling one occurrence.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { rollGroupsForward } from "../../src/domain/groups/groups.ts";
import { providers } from "../helpers/db.ts";
import { addMember, allDayHours, call, clock, type Org, startOrg } from "../helpers/scenario.ts";

type Session = {
  id: string;
  startsAt: string;
  status: string;
  groupId: string;
  occurrenceDate: string;
  attendees: { id: string; memberId: string; inviteUrl?: string }[];
};
type Message = {
  kind: string;
  status: string;
  attendeeId: string;
  notBefore: string;
  attempts: { reply: string }[];
  links: { name: string; url: string | null }[];
};

describe.each(providers)("recurring groups on %s", (provider) => {
  let org: Org;
  const now = clock.now;
  beforeAll(async () => {
    org = await startOrg(provider);
  });
  afterEach(() => {
    clock.now = now;
  });
  afterAll(async () => org?.t.close());

  const artClub = (memberIds: string[], schedule: object) => ({
    title: "Art club",
    delivery: "home",
    leadStaffId: org.leadId,
    secondStaffId: org.secondId,
    memberIds,
    schedule: { weekday: "tue", start: "14:00", end: "15:30", ...schedule },
  });
  const messagesOf = async (sessionId: string) =>
    (await call(org, "GET", `/api/sessions/${sessionId}/messages`, org.lead)).json().messages as Message[];

  it("keeps eight weeks of occurrences, each at 14:00 London time on both sides of the clock change in March", async () => {
    const alex = await addMember(org, { name: "Alex" });
    const res = await call(org, "POST", "/api/groups", org.lead, artClub([alex.id], { from: "2026-03-10" }));
    expect(res.statusCode, res.body).toBe(201);
    const sessions = res.json().sessions as Session[];
    expect(sessions.map((s) => [s.occurrenceDate, s.startsAt])).toEqual([
      ["2026-03-10", "2026-03-10T14:00:00.000Z"],
      ["2026-03-17", "2026-03-17T14:00:00.000Z"],
      ["2026-03-24", "2026-03-24T14:00:00.000Z"],
      // British Summer Time from 29 March: 14:00 in London is 13:00 UTC.
      ["2026-03-31", "2026-03-31T13:00:00.000Z"],
      ["2026-04-07", "2026-04-07T13:00:00.000Z"],
      ["2026-04-14", "2026-04-14T13:00:00.000Z"],
      ["2026-04-21", "2026-04-21T13:00:00.000Z"],
      ["2026-04-28", "2026-04-28T13:00:00.000Z"],
    ]);
    expect(sessions.every((s) => s.groupId === res.json().group.id && s.status === "scheduled" && s.attendees.length === 1)).toBe(true);
    // Each occurrence's invitation goes three days before it.
    const [first] = await messagesOf(sessions[1]!.id);
    expect(first).toMatchObject({ kind: "invitation", notBefore: "2026-03-14T14:00:00.000Z" });

    // The window rolls on: a week later there is one more, and running again adds nothing.
    clock.now = new Date("2026-03-10T15:00:00Z");
    expect(await rollGroupsForward(org.app.ctx)).toBe(1);
    expect(await rollGroupsForward(org.app.ctx)).toBe(0);
  });

  it("14:00 stays 14:00 when the clocks go back in October", async () => {
    const settings = (weeks: number) =>
      call(org, "PUT", "/api/settings", org.admin, {
        timeZone: "Europe/London",
        agreedHours: allDayHours,
        emergencyContact: { name: "Duty manager", phone: "0161 496 0000" },
        occurrenceWeeksAhead: weeks,
      });
    expect((await settings(40)).statusCode).toBe(200);
    try {
      // A save that leaves the number out (an older console) keeps it.
      const keep = await call(org, "PUT", "/api/settings", org.admin, {
        timeZone: "Europe/London",
        agreedHours: allDayHours,
        emergencyContact: { name: "Duty manager", phone: "0161 496 0000" },
      });
      expect(keep.json().settings).toMatchObject({ occurrenceWeeksAhead: 40, inviteDaysBefore: 3, reminderHoursBefore: 24 });
      const bo = await addMember(org, { name: "Bo" });
      const res = await call(org, "POST", "/api/groups", org.lead, artClub([bo.id], { from: "2026-10-20", until: "2026-11-03" }));
      expect(res.statusCode, res.body).toBe(201);
      expect((res.json().sessions as Session[]).map((s) => s.startsAt)).toEqual([
        "2026-10-20T13:00:00.000Z",
        "2026-10-27T14:00:00.000Z",
        "2026-11-03T14:00:00.000Z",
      ]);
    } finally {
      expect((await settings(8)).statusCode).toBe(200);
    }
  });

  it("refuses a group whose times are outside the agreed hours (R6), creating nothing", async () => {
    const put = (agreedHours: object) =>
      call(org, "PUT", "/api/settings", org.admin, {
        timeZone: "Europe/London",
        agreedHours,
        emergencyContact: { name: "Duty manager", phone: "0161 496 0000" },
      });
    expect((await put({ ...allDayHours, tue: [{ start: "09:00", end: "17:00" }] })).statusCode).toBe(200);
    try {
      const cy = await addMember(org, { name: "Cy" });
      const before = await org.t.database.db.group.count();
      const res = await call(org, "POST", "/api/groups", org.lead, {
        ...artClub([cy.id], { from: "2026-03-10" }),
        schedule: { weekday: "tue", start: "18:00", end: "19:00", from: "2026-03-10" },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe("R6.outside-agreed-hours");
      expect(await org.t.database.db.group.count()).toBe(before);
    } finally {
      expect((await put(allDayHours)).statusCode).toBe(200);
    }
  });

  it("an edit reaches every future occurrence: people added are invited, people removed lose their links, new times are told", async () => {
    const [dee, eve] = [await addMember(org, { name: "Dee" }), await addMember(org, { name: "Eve" })];
    const created = await call(org, "POST", "/api/groups", org.lead, artClub([dee.id], { from: "2026-03-10", until: "2026-03-24" }));
    const groupId = created.json().group.id;
    const deeLinks = (created.json().sessions as Session[]).map((s) => s.attendees[0]!.id);

    const res = await call(org, "PATCH", `/api/groups/${groupId}`, org.lead, {
      memberIds: [eve.id],
      schedule: { weekday: "tue", start: "15:00", end: "16:00", from: "2026-03-10", until: "2026-03-24" },
    });
    expect(res.statusCode, res.body).toBe(200);
    const sessions = res.json().sessions as Session[];
    expect(sessions.map((s) => s.startsAt)).toEqual(["2026-03-10T15:00:00.000Z", "2026-03-17T15:00:00.000Z", "2026-03-24T15:00:00.000Z"]);
    for (const s of sessions) {
      const people = await org.t.database.db.attendee.findMany({ where: { sessionId: s.id }, include: { links: true } });
      const deeRow = people.find((p) => p.memberId === dee.id)!;
      expect(deeRow.links.every((l) => l.revokedAt !== null)).toBe(true);
      expect(people.find((p) => p.memberId === eve.id)?.links.some((l) => l.revokedAt === null)).toBe(true);
      const messages = await messagesOf(s.id);
      // Eve is invited; the change goes to whoever is still in the group (Eve's invitation says the new time).
      expect(
        messages
          .filter((m) => m.kind === "invitation")
          .map((m) => m.attendeeId)
          .sort(),
      ).toEqual([deeRow.id, people.find((p) => p.memberId === eve.id)!.id].sort());
      expect(messages.filter((m) => m.kind === "changed").map((m) => m.attendeeId)).toEqual([]);
    }
    expect(deeLinks).toHaveLength(3);

    // A new day: the Tuesdays are cancelled (everyone told) and Wednesdays are created.
    const moved = await call(org, "PATCH", `/api/groups/${groupId}`, org.lead, {
      schedule: { weekday: "wed", start: "15:00", end: "16:00", from: "2026-03-10", until: "2026-03-25" },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const after = moved.json().sessions as Session[];
    expect(after.filter((s) => s.status === "scheduled").map((s) => s.occurrenceDate)).toEqual(["2026-03-11", "2026-03-18", "2026-03-25"]);
    const cancelled = after.filter((s) => s.status === "ended");
    expect(cancelled.map((s) => s.occurrenceDate)).toEqual(["2026-03-10", "2026-03-17", "2026-03-24"]);
    expect((await messagesOf(cancelled[0]!.id)).filter((m) => m.kind === "cancelled")).toHaveLength(1);
  });

  it("new times on the same day move the occurrences and tell everyone invited", async () => {
    const fay = await addMember(org, { name: "Fay" });
    const created = await call(org, "POST", "/api/groups", org.lead, artClub([fay.id], { from: "2026-03-10", until: "2026-03-10" }));
    const res = await call(org, "PATCH", `/api/groups/${created.json().group.id}`, org.lead, {
      schedule: { weekday: "tue", start: "16:00", end: "17:00", from: "2026-03-10", until: "2026-03-10" },
    });
    expect(res.statusCode, res.body).toBe(200);
    const [s] = res.json().sessions as Session[];
    expect(s!.startsAt).toBe("2026-03-10T16:00:00.000Z");
    expect((await messagesOf(s!.id)).map((m) => m.kind)).toEqual(["invitation", "reminder", "changed"]);
  });

  it("one occurrence is moved inside the agreed hours and everyone is told; an edit of the group's people keeps the move", async () => {
    const hal = await addMember(org, { name: "Hal" });
    const created = await call(org, "POST", "/api/groups", org.lead, artClub([hal.id], { from: "2026-03-10", until: "2026-03-10" }));
    const [s] = created.json().sessions as Session[];
    const move = (startsAt: string, endsAt: string) => call(org, "POST", `/api/sessions/${s!.id}/move`, org.lead, { startsAt, endsAt });
    expect((await move("2026-03-11T10:00:00Z", "2026-03-11T09:00:00Z")).statusCode).toBe(400);
    const moved = await move("2026-03-11T10:00:00Z", "2026-03-11T11:00:00Z");
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().session).toMatchObject({ startsAt: "2026-03-11T10:00:00.000Z", occurrenceDate: "2026-03-10" });
    expect((await messagesOf(s!.id)).map((m) => m.kind)).toContain("changed");
    const ivy = await addMember(org, { name: "Ivy" });
    const edited = await call(org, "PATCH", `/api/groups/${created.json().group.id}`, org.lead, { memberIds: [hal.id, ivy.id] });
    expect(edited.statusCode, edited.body).toBe(200);
    expect((edited.json().sessions as Session[])[0]).toMatchObject({ startsAt: "2026-03-11T10:00:00.000Z" });
    expect((edited.json().sessions as Session[])[0]!.attendees).toHaveLength(2);
  });

  it("a group's invitation note is checked for tone once, and a waiver is kept with each occurrence it goes to", async () => {
    const jo = await addMember(org, { name: "Jo" });
    const body = { ...artClub([jo.id], { from: "2026-03-10", until: "2026-03-17" }), invitationNote: "CU THERE SOON xx" };
    const groups = await org.t.database.db.group.count();
    const held = await call(org, "POST", "/api/groups", org.lead, body);
    expect(held.statusCode).toBe(409);
    expect(held.json().error.code).toBe("R14.professional-tone");
    expect(await org.t.database.db.group.count()).toBe(groups);
    const res = await call(org, "POST", "/api/groups", org.lead, { ...body, toneWaiverReason: "The carers asked for it." });
    expect(res.statusCode, res.body).toBe(201);
    for (const s of res.json().sessions as Session[]) {
      expect(await org.t.database.db.waiver.count({ where: { sessionId: s.id, rule: "R14.professional-tone" } })).toBe(1);
    }
    expect(res.json().group.invitationNote).toBe("CU THERE SOON xx");
  });

  it("one occurrence is cancelled with a reason everyone is told; its links stop working; a reason out of tone is held (R14)", async () => {
    const gus = await addMember(org, { name: "Gus" });
    const created = await call(org, "POST", "/api/groups", org.lead, artClub([gus.id], { from: "2026-03-10", until: "2026-03-17" }));
    const [first, second] = created.json().sessions as Session[];
    // The links were never shown: they are in the invitation, which staff can read.
    const inviteUrl = (await messagesOf(first!.id)).find((m) => m.kind === "invitation")!.links.find((l) => l.name === "invite")!.url!;
    const invite = new URL(inviteUrl).pathname;
    expect((await call(org, "GET", `/api${invite}`)).statusCode).toBe(200);
    const offTone = await call(org, "POST", `/api/sessions/${first!.id}/cancel`, org.lead, { reason: "Sorry hun, Sam is off sick xx" });
    expect(offTone.statusCode).toBe(409);
    expect(offTone.json().error.code).toBe("R14.professional-tone");
    const res = await call(org, "POST", `/api/sessions/${first!.id}/cancel`, org.lead, { reason: "Sam is ill today." });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().session).toMatchObject({ status: "ended", cancelReason: "Sam is ill today.", cancelledAt: expect.any(String) });
    const messages = await messagesOf(first!.id);
    expect(messages.map((m) => [m.kind, m.status])).toContainEqual(["cancelled", "not-sent"]);
    expect(await org.t.database.db.link.count({ where: { attendee: { sessionId: first!.id }, revokedAt: null } })).toBe(0);
    expect(invite).toMatch(/^\/join\//);
    const gone = await call(org, "GET", `/api${invite}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json().error).toMatchObject({ code: "R10.session-cancelled", message: "This group is cancelled. It will not happen." });
    // The other occurrence is untouched, and a cancelled one cannot be cancelled again.
    expect((await call(org, "GET", `/api/sessions/${second!.id}`, org.lead)).json().session.status).toBe("scheduled");
    expect((await call(org, "POST", `/api/sessions/${first!.id}/cancel`, org.lead, { reason: "Again." })).statusCode).toBe(409);
    // Staff who do not run it cannot cancel it.
    expect((await call(org, "POST", `/api/sessions/${second!.id}/cancel`, org.other, { reason: "Not mine." })).statusCode).toBe(403);
  });
});
