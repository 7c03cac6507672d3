/// <reference lib="dom" />
// "I need help" in a real Chromium: the member presses the big button, the page says staff were
// told, then who is coming once a member of staff answers; the carer page's "Something is wrong"
// says staff were told. No axe violations in any of these states.
import { describe, expect, it } from "vitest";
import { browserOrg, chromiumAvailable, expectNoAxeViolations, openOnPhone } from "../helpers/browser.ts";
import { call, readyToAdmit } from "../helpers/scenario.ts";

describe.skipIf(!chromiumAvailable)("calls for help, on the pages, in Chromium", () => {
  const world = browserOrg();

  const open = (path: string) => openOnPhone(world.browser, `${world.org.base}${path}`);

  it("the member asks for help, is told staff know, then who is coming; the carer can say something is wrong", async () => {
    const { org } = world;
    const { s, a } = await readyToAdmit(org, { name: "Alex" });
    const page = await open(`/join/${a.invite}`);
    await page.getByRole("button", { name: "I need help" }).click();
    await page.getByText("We told the staff. Someone will help you soon.").waitFor();
    await expectNoAxeViolations(page, "the waiting page after asking for help");
    const calls = await org.t.database.db.helpRequest.findMany({ where: { attendeeId: a.id } });
    expect(calls).toHaveLength(1);

    expect((await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/help/answer`, org.lead)).statusCode).toBe(204);
    await page.getByText("Lee is coming to help you.").waitFor({ timeout: 10_000 });

    const carer = await open(`/carer/${a.carer}`);
    await carer.getByRole("button", { name: "Something is wrong: tell the staff" }).click();
    await carer.getByText("We told the staff. Someone will help you soon.").waitFor();
    await expectNoAxeViolations(carer, "the carer page after saying something is wrong");
    expect(await org.t.database.db.helpRequest.count({ where: { attendeeId: a.id, via: "carer" } })).toBe(1);
  });
});
