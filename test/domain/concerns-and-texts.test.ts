// Concerns and the easy-read texts, through the domain on a real database. A concern is read by
// whoever raised it and the DSL only; follow-up is the DSL's, and changes its status by adding
// notes. A new text is a new version, and the versions before it are kept.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addConcernNote, getConcern, listConcerns, raiseConcern } from "../../src/domain/concerns.ts";
import type { Ctx } from "../../src/domain/context.ts";
import { currentTexts, publishText } from "../../src/domain/settings.ts";
import type { StaffView } from "../../src/domain/staff.ts";
import { addStaff, startTestApp, type TestApp } from "../helpers/app.ts";
import { providers } from "../helpers/db.ts";

describe.each(providers)("concerns and texts on %s", (provider) => {
  let t: TestApp;
  let ctx: Ctx;
  let raiser: StaffView;
  let colleague: StaffView;
  let dsl: StaffView;
  let admin: StaffView;
  beforeAll(async () => {
    t = await startTestApp(provider);
    ctx = t.app.ctx;
    raiser = await addStaff(t.database, "raiser@example.org");
    colleague = await addStaff(t.database, "colleague@example.org");
    dsl = await addStaff(t.database, "dsl@example.org", ["dsl", "staff"]);
    admin = await addStaff(t.database, "admin@example.org", ["admin", "staff"]);
  });
  afterAll(async () => t?.close());

  it("a concern is seen by whoever raised it and the DSL, not by colleagues or admins", async () => {
    const concern = await raiseConcern(ctx, { text: "Alex seemed frightened of someone at home." }, raiser);
    expect((await getConcern(ctx, concern.id, raiser)).text).toContain("frightened");
    expect((await getConcern(ctx, concern.id, dsl)).status).toBe("open");
    for (const other of [colleague, admin]) await expect(getConcern(ctx, concern.id, other)).rejects.toMatchObject({ statusCode: 404 });
    expect((await listConcerns(ctx, colleague)).map((c) => c.id)).not.toContain(concern.id);
    expect((await listConcerns(ctx, dsl)).map((c) => c.id)).toContain(concern.id);
  });

  it("follow-up is the DSL's: notes add up, the newest status is the concern's", async () => {
    const concern = await raiseConcern(ctx, { text: "Bo mentioned money going missing." }, raiser);
    await expect(addConcernNote(ctx, concern.id, "I will look into it.", "in-progress", raiser)).rejects.toMatchObject({ statusCode: 403 });
    await addConcernNote(ctx, concern.id, "Called the carer.", "in-progress", dsl);
    const closed = await addConcernNote(ctx, concern.id, "Referred to the local authority.", "closed", dsl);
    expect(closed.status).toBe("closed");
    expect(closed.notes.map((n) => n.status)).toEqual(["in-progress", "closed"]);
  });

  it("publishing a text makes a new version and keeps the old ones", async () => {
    const before = (await currentTexts(ctx)).member;
    const published = await publishText(ctx, "member", ["Be kind.", "Ask if you need help."], dsl.id);
    expect(published.version).toBe(before.version + 1);
    expect((await currentTexts(ctx)).member.lines).toEqual(["Be kind.", "Ask if you need help."]);
    const versions = await t.database.db.guidelinesVersion.findMany({ where: { audience: "member" }, orderBy: { version: "asc" } });
    expect(versions.map((v) => v.version)).toEqual([...Array(published.version).keys()].map((i) => i + 1));
    expect(versions[0]!.body).toEqual(before.lines);
  });
});
