// Members and consent, through the domain on a real database: consent at a glance is judged as
// R4 judges it (who must give it depends on whether the member lives with a carer), and consent
// records are never changed, only withdrawn.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ctx } from "../../src/domain/context.ts";
import { createMember, getMember, recordConsent, withdrawConsent } from "../../src/domain/members.ts";
import { addStaff, startTestApp, type TestApp } from "../helpers/app.ts";
import { providers } from "../helpers/db.ts";

describe.each(providers)("members and consent on %s", (provider) => {
  let t: TestApp;
  let ctx: Ctx;
  let staffId: string;
  beforeAll(async () => {
    t = await startTestApp(provider);
    ctx = t.app.ctx;
    staffId = (await addStaff(t.database, "lead@example.org")).id;
  });
  afterAll(async () => t?.close());

  const carerMember = () => createMember(ctx, { displayName: "Alex", livesWithCarer: true, carers: [{ name: "Chris" }] }, staffId);

  it("a member who lives with a carer needs the carer's consent: their own counts as the wrong giver", async () => {
    const m = await carerMember();
    expect((await getMember(ctx, m.id)).consentState.video).toBe("missing");
    await recordConsent(ctx, m.id, { type: "video", givenBy: "member", method: "verbal" }, staffId);
    expect((await getMember(ctx, m.id)).consentState.video).toBe("wrong-giver");
    await recordConsent(ctx, m.id, { type: "video", givenBy: "carer", carerId: m.carers[0]!.id, method: "written" }, staffId);
    expect((await getMember(ctx, m.id)).consentState).toEqual({ video: "given", recording: "missing", "social-media": "missing" });
  });

  it("a member who lives independently gives their own consent", async () => {
    const m = await createMember(ctx, { displayName: "Bo", livesWithCarer: false, carers: [] }, staffId);
    await recordConsent(ctx, m.id, { type: "video", givenBy: "member", method: "online" }, staffId);
    expect((await getMember(ctx, m.id)).consentState.video).toBe("given");
  });

  it("withdrawing keeps the consent and adds its withdrawal; a second withdrawal is refused", async () => {
    const m = await carerMember();
    const given = await recordConsent(ctx, m.id, { type: "video", givenBy: "carer", carerId: m.carers[0]!.id, method: "written" }, staffId);
    await withdrawConsent(ctx, m.id, given.id, "The carer asked us to stop.", staffId);
    const after = await getMember(ctx, m.id);
    expect(after.consentState.video).toBe("withdrawn");
    expect(after.consents).toHaveLength(1);
    expect(after.consents[0]!.withdrawal).toMatchObject({ reason: "The carer asked us to stop." });
    await expect(withdrawConsent(ctx, m.id, given.id, "Again.", staffId)).rejects.toMatchObject({ code: "already_withdrawn" });
  });

  it("refuses a carer who is not this member's, and a carer on consent the member gave", async () => {
    const m = await carerMember();
    const other = await carerMember();
    await expect(
      recordConsent(ctx, m.id, { type: "video", givenBy: "carer", carerId: other.carers[0]!.id, method: "written" }, staffId),
    ).rejects.toMatchObject({ code: "unknown_carer" });
    await expect(
      recordConsent(ctx, m.id, { type: "video", givenBy: "member", carerId: m.carers[0]!.id, method: "written" }, staffId),
    ).rejects.toMatchObject({ code: "unexpected_carer" });
  });
});
