/// <reference lib="dom" />
// Erasure in a real Chromium: an admin asks on the Safeguarding page for one carer's details to be
// erased, the DSL approves it there, and the list says so; the retention setting is saved from
// Settings. No axe violations on either page.
import { describe, expect, it } from "vitest";
import { browserOrg, chromiumAvailable, consoleContext, expectNoAxeViolations } from "../helpers/browser.ts";
import { addDsl, addMember, call } from "../helpers/scenario.ts";

describe.skipIf(!chromiumAvailable)("erasing personal details, in Chromium", () => {
  const world = browserOrg();

  it("an admin asks, the DSL approves, and the carer's details are erased", async () => {
    const { org, browser } = world;
    const dsl = await addDsl(org);
    const member = await addMember(org, { name: "Wren" });

    const admin = await (await consoleContext(browser, org.base, org.admin)).newPage();
    await admin.goto(`${org.base}/#/safeguarding`);
    await admin.getByRole("heading", { name: "Erasing personal details" }).waitFor();
    await admin.getByLabel("Member", { exact: true }).selectOption({ label: "Wren" });
    await admin.getByLabel("Whose details").selectOption({ label: "Only Chris Carer (carer)" });
    await admin.getByLabel(/^Why/).fill("Chris asked by phone on Monday.");
    await admin.getByRole("button", { name: "Ask to erase" }).click();
    await admin.getByText("Asked. The safeguarding lead will approve or decline it.").waitFor();
    await admin.getByText(/Chris Carer \(carer\), asked/).waitFor();
    // An admin who is not the DSL is not offered the answer.
    expect(await admin.getByRole("button", { name: "Approve and erase" }).count()).toBe(0);
    await expectNoAxeViolations(admin, "the Safeguarding page, for an admin");

    const lead = await (await consoleContext(browser, org.base, dsl)).newPage();
    await lead.goto(`${org.base}/#/safeguarding`);
    await lead.getByRole("button", { name: "Approve and erase" }).click();
    await lead.getByText("Erased.", { exact: true }).waitFor();
    await lead.getByText(/^erased \(carer\), asked/).waitFor();
    await expectNoAxeViolations(lead, "the Safeguarding page, for the DSL");
    const carer = (await call(org, "GET", `/api/members/${member.id}`, org.admin)).json().member.carers[0];
    expect(carer).toMatchObject({ name: "erased", email: null, phone: null });

    // Retention, from Settings.
    await admin.goto(`${org.base}/#/admin`);
    await admin.getByLabel(/after this many years without a session/).fill("6");
    await admin.getByRole("button", { name: "Save settings" }).click();
    await admin.getByText("Settings saved.").waitFor();
    expect((await call(org, "GET", "/api/settings", org.admin)).json().settings.retentionYears).toBe(6);
    await expectNoAxeViolations(admin, "Settings");
  });
});
