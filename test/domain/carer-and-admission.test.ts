// The carer's confirmation and staff decisions, through the domain on a real database. A carer
// can say they are there only from the lead time before the start, and can take it back; each
// is a new record. Staff move people only from the states the move is for, and each move is kept
// as a decision.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refuseAttendee, removeAttendee, returnToWaiting } from "../../src/domain/admission.ts";
import { confirmPresence, withdrawPresence } from "../../src/domain/carer.ts";
import type { Ctx } from "../../src/domain/context.ts";
import { resolveLogin } from "../../src/domain/staff.ts";
import { loginTokenOf } from "../helpers/app.ts";
import { providers } from "../helpers/db.ts";
import { addMember, clock, enterWaiting, type Org, schedule, startOrg } from "../helpers/scenario.ts";

describe.each(providers)("carers and staff decisions on %s", (provider) => {
  let org: Org;
  let ctx: Ctx;
  beforeAll(async () => {
    org = await startOrg(provider);
    ctx = org.app.ctx;
  });
  afterAll(async () => org?.t.close());

  const leadStaff = async () => {
    return (await resolveLogin(ctx, loginTokenOf(org.lead)))!;
  };

  it("a carer confirms only from the lead time before the start, and a withdrawal is a new record", async () => {
    const member = await addMember(org, { name: "Cara" });
    const s = await schedule(org, [member.id]);
    const carer = s.attendees[0]!.carer!;
    const now = clock.now;
    try {
      clock.now = new Date("2026-03-03T12:30:00Z"); // 90 minutes before 14:00; the default lead time is 60
      await expect(confirmPresence(ctx, carer)).rejects.toMatchObject({ code: "R2.too-early" });
      clock.now = new Date("2026-03-03T13:05:00Z");
      expect(await confirmPresence(ctx, carer)).toMatchObject({ present: true });
      expect(await withdrawPresence(ctx, carer)).toMatchObject({ present: false });
    } finally {
      clock.now = now;
    }
    const records = await org.t.database.db.carerConfirmation.findMany({
      where: { attendeeId: s.attendees[0]!.id },
      orderBy: { createdAt: "asc" },
    });
    expect(records.map((r) => r.present)).toEqual([true, false]);
  });

  it("refuse, send back and remove each move a person only from the states they are for, and are kept", async () => {
    const lead = await leadStaff();
    const member = await addMember(org, { name: "Dev", livesWithCarer: false });
    const s = await schedule(org, [member.id], { delivery: "venue" });
    const a = s.attendees[0]!;
    // Not yet waiting: nobody can be refused, sent back or removed.
    await expect(refuseAttendee(ctx, s.id, a.id, null, lead)).rejects.toMatchObject({ code: "wrong_state" });
    await enterWaiting(org, a.invite);
    await expect(returnToWaiting(ctx, s.id, a.id, lead)).rejects.toMatchObject({ code: "wrong_state" });
    expect((await refuseAttendee(ctx, s.id, a.id, "Not today, sorry.", lead)).state).toBe("refused");
    await expect(removeAttendee(ctx, s.id, a.id, "Shouting.", lead)).rejects.toMatchObject({ code: "wrong_state" });
    const decisions = await org.t.database.db.admissionDecision.findMany({ where: { attendeeId: a.id } });
    expect(decisions.map((d) => [d.action, d.message])).toEqual([["refuse", "Not today, sorry."]]);
  });
});
