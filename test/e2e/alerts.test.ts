/// <reference lib="dom" />
// Alerts staff cannot miss, in a real Chromium with notification permission granted: while the
// console is not in front, someone arriving or asking for help raises a browser notification;
// the tab's title counts who waits and who needs help; the help banner stays until answered.
import { describe, expect, it } from "vitest";
import { browserOrg, chromiumAvailable, consoleContext, expectNoAxeViolations } from "../helpers/browser.ts";
import { addMember, call, confirmCarer, enterWaiting, schedule, startSession } from "../helpers/scenario.ts";

describe.skipIf(!chromiumAvailable)("alerts staff cannot miss, in Chromium", () => {
  const world = browserOrg();

  it("notifies while the console is behind, counts in the title, and keeps the help banner until someone answers", async () => {
    const { org, browser } = world;
    const member = await addMember(org, { name: "Alex" });
    const s = await schedule(org, [member.id]);
    const a = s.attendees[0]!;
    await confirmCarer(org, a.carer!);
    await startSession(org, s.id, {});

    const context = await consoleContext(browser, org.base, org.lead);
    await context.grantPermissions(["notifications"], { origin: org.base });
    // Record each notification, and make the console "not in front" (another tab on top).
    await context.addInitScript(() => {
      const shown: string[] = [];
      (window as unknown as { shown: string[] }).shown = shown;
      const Real = window.Notification;
      class Recorded extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          shown.push(title);
        }
      }
      Object.defineProperty(window, "Notification", { value: Recorded });
      document.hasFocus = () => false;
    });
    const page = await context.newPage();
    await page.goto(`${org.base}/#/sessions/${s.id}`);
    await page.getByRole("heading", { name: "Waiting room (0)" }).waitFor();
    const shown = () => page.evaluate(() => (window as unknown as { shown: string[] }).shown);

    await enterWaiting(org, a.invite);
    await expect.poll(() => page.title(), { timeout: 10_000 }).toBe("(1 waiting) Art club · Gatekeeper");
    await expect.poll(shown, { timeout: 10_000 }).toContain("Someone is waiting");

    expect((await call(org, "POST", `/api/join/${a.invite}/help`)).statusCode).toBe(202);
    await expect.poll(shown, { timeout: 10_000 }).toContain("Someone needs help");
    await expect.poll(() => page.title(), { timeout: 10_000 }).toBe("(1 need help, 1 waiting) Art club · Gatekeeper");
    const banner = page.getByRole("alert").filter({ hasText: "Someone needs help" });
    await banner.waitFor();
    await expectNoAxeViolations(page, "the console with a call for help");
    await page.getByRole("button", { name: "I will help Alex" }).click();
    await banner.waitFor({ state: "detached" });
    expect(await page.title()).toBe("(1 waiting) Art club · Gatekeeper");
  });
});
