// Sessions through the domain on a real database: scheduling checks agreed hours (R6) and who
// may run a session; ending one writes its summary, ends every person's place in it and kills
// their links; only the session's own staff may end it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ctx } from "../../src/domain/context.ts";
import { createMember } from "../../src/domain/members.ts";
import { endSession, scheduleSession } from "../../src/domain/sessions.ts";
import type { StaffView } from "../../src/domain/staff.ts";
import { addStaff, startTestApp, type TestApp } from "../helpers/app.ts";
import { providers } from "../helpers/db.ts";

describe.each(providers)("sessions on %s", (provider) => {
  let t: TestApp;
  let ctx: Ctx;
  let lead: StaffView;
  let other: StaffView;
  let manager: StaffView;
  // A Tuesday, ten minutes before a 14:00 session, in the default agreed hours (08:00 to 21:00, London).
  const now = new Date("2026-03-03T13:50:00Z");
  const at = (time: string) => new Date(`2026-03-03T${time}:00Z`);
  beforeAll(async () => {
    t = await startTestApp(provider, {}, { now: () => now });
    ctx = t.app.ctx;
    lead = await addStaff(t.database, "lead@example.org");
    other = await addStaff(t.database, "other@example.org");
    manager = await addStaff(t.database, "manager@example.org", ["admin"]);
  });
  afterAll(async () => t?.close());

  const member = () => createMember(ctx, { displayName: "Alex", livesWithCarer: false, carers: [] }, lead.id);
  const schedule = async (over: Partial<Parameters<typeof scheduleSession>[1]> = {}) =>
    scheduleSession(
      ctx,
      {
        title: "Art club",
        startsAt: at("14:00"),
        endsAt: at("15:00"),
        delivery: "venue",
        leadStaffId: lead.id,
        memberIds: [(await member()).id],
        ...over,
      },
      lead,
    );

  it("refuses a session outside the agreed hours with R6, and one led by an account without the staff role", async () => {
    await expect(schedule({ startsAt: at("21:30"), endsAt: at("22:30") })).rejects.toMatchObject({ code: "R6.outside-agreed-hours" });
    await expect(schedule({ leadStaffId: manager.id })).rejects.toMatchObject({ code: "unknown_staff" });
    expect((await schedule()).status).toBe("scheduled");
  });

  it("ending writes the summary, ends everyone's place and their links; only its own staff may end it", async () => {
    const s = await schedule();
    await expect(endSession(ctx, s.id, other)).rejects.toMatchObject({ statusCode: 403 });
    const ended = await endSession(ctx, s.id, lead);
    expect(ended.status).toBe("ended");
    expect(ended.summary).toMatchObject({
      endedAt: now,
      attendees: [{ displayName: "Alex", kind: "member", finalState: "invited", admissions: 0 }],
    });
    expect(ended.attendees.map((a) => a.state)).toEqual(["ended"]);
    const links = await t.database.db.link.findMany({ where: { attendee: { sessionId: s.id } } });
    expect(links.length).toBeGreaterThan(0);
    expect(links.every((l) => l.revokedReason === "session-ended")).toBe(true);
    await expect(endSession(ctx, s.id, lead)).rejects.toMatchObject({ code: "session_ended" });
  });
});
