/// <reference lib="dom" />
// The Reports page in a real Chromium: four charts drawn by Chart.js, the same figures in a table
// (what a screen reader reads), a group to choose, the CSV download; no axe violations.
import { describe, expect, it } from "vitest";
import { browserOrg, chromiumAvailable, consoleContext, expectNoAxeViolations } from "../helpers/browser.ts";
import { addMember, call, enterWaiting, readyToAdmit, schedule } from "../helpers/scenario.ts";

describe.skipIf(!chromiumAvailable)("the Reports page, in Chromium", () => {
  const world = browserOrg();

  it("draws the month's figures as charts and as a table, and downloads them as CSV", async () => {
    const { org, browser } = world;
    const { s, a } = await readyToAdmit(org, { name: "Alex" });
    expect((await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/admit`, org.lead)).statusCode).toBe(200);
    const bo = await addMember(org, { name: "Bo" });
    const other = await schedule(org, [bo.id]);
    await enterWaiting(org, other.attendees[0]!.invite);

    const page = await (await consoleContext(browser, org.base, org.admin)).newPage();
    await page.goto(`${org.base}/#/reports`);
    await page.getByRole("heading", { name: "Reports" }).waitFor();
    await page.getByRole("link", { name: "Reports" }).waitFor();
    const table = page.getByRole("table", { name: "All groups, per month" });
    const march = table.getByRole("row", { name: /^2026-03/ });
    await march.waitFor();
    expect(await march.getByRole("cell").allTextContents()).toEqual(["1", "0", "0 s", "0 s", "none", "0", "0", "0", "0"]);
    // Four charts, each a drawn canvas with its words.
    const charts = page.getByRole("img", { name: /The same figures are in the table below/ });
    expect(await charts.count()).toBe(4);
    const drawn = await charts.evaluateAll((canvases) =>
      canvases.map((c) => (c as HTMLCanvasElement).width > 0 && (c as HTMLCanvasElement).toDataURL().length > 1000),
    );
    expect(drawn).toEqual([true, true, true, true]);
    await expectNoAxeViolations(page, "the Reports page");

    await page.getByLabel("Group").selectOption({ label: "One-off sessions" });
    await page.getByRole("table", { name: "One-off sessions, per month" }).waitFor();

    const href = await page.getByRole("link", { name: "Download CSV" }).getAttribute("href");
    const csv = await page.evaluate(async (url) => (await fetch(url!)).text(), href);
    expect(csv.split("\r\n")[0]).toMatch(/^month,group,sessionsHeld/);
    expect(csv).toContain("2026-03,One-off sessions,1,0,0,0,,0,0,0,0\r\n");
  });
});
