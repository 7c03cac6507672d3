/// <reference lib="dom" />
// A waiting page that knows you (#17.4, in part), in a real Chromium: who will let you in, by
// first name; the session's easy-read plan with its pictures; and "Read this to me", which hands
// the page's main words to the browser's own speech synthesis. No axe violations.
import { describe, expect, it } from "vitest";
import { browserOrg, chromiumAvailable, expectNoAxeViolations } from "../helpers/browser.ts";
import { addMember, call, confirmCarer, enterWaiting, schedule } from "../helpers/scenario.ts";

describe.skipIf(!chromiumAvailable)("the waiting page that knows you, in Chromium", () => {
  const world = browserOrg();

  it("names the lead, shows the plan, and reads the main words aloud", async () => {
    const { org, browser } = world;
    const member = await addMember(org, { name: "Alex" });
    const s = await schedule(org, [member.id]);
    const a = s.attendees[0]!;
    await confirmCarer(org, a.carer!);
    await enterWaiting(org, a.invite);
    const steps = [
      { text: "Say hello", icon: "hello" },
      { text: "Painting", icon: "make" },
      { text: "Say goodbye", icon: "goodbye" },
    ];
    expect((await call(org, "PUT", `/api/sessions/${s.id}/plan`, org.lead, { steps })).statusCode).toBe(200);
    expect((await call(org, "PUT", `/api/sessions/${s.id}/plan`, org.lead, { steps: [...steps, ...steps, ...steps] })).statusCode).toBe(
      400,
    );
    expect((await call(org, "PUT", `/api/sessions/${s.id}/plan`, org.lead, { steps: [{ text: "x", icon: "rocket" }] })).statusCode).toBe(
      400,
    );
    expect((await call(org, "PUT", `/api/sessions/${s.id}/plan`, org.other, { steps })).statusCode).toBe(403);

    const context = await browser.newContext({ viewport: { width: 320, height: 720 }, timezoneId: "UTC", bypassCSP: true });
    // What the page hands to speech synthesis, recorded instead of spoken.
    await context.addInitScript(() => {
      const spoken: string[] = [];
      (window as unknown as { spoken: string[] }).spoken = spoken;
      window.speechSynthesis.speak = (u: SpeechSynthesisUtterance) => {
        spoken.push(u.text);
      };
    });
    const page = await context.newPage();
    await page.goto(`${org.base}/join/${a.invite}`);
    await page.getByText("Lee will let you in.").waitFor();
    const plan = page.getByRole("list").filter({ hasText: "Painting" });
    expect(await plan.getByRole("listitem").locator("span").allTextContents()).toEqual(["Say hello", "Painting", "Say goodbye"]);
    expect(await plan.getByRole("img", { name: "Making something" }).count()).toBe(1);
    await expectNoAxeViolations(page, "the waiting page with its plan");

    await page.getByRole("button", { name: "Read this to me" }).click();
    const spoken = await page.evaluate(() => (window as unknown as { spoken: string[] }).spoken);
    expect(spoken).toHaveLength(1);
    for (const words of ["Waiting room", "Lee will let you in.", "Say hello", "Painting", "Say goodbye"])
      expect(spoken[0]).toContain(words);
    expect(spoken[0]).not.toContain("I need help");
  });
});
