/// <reference lib="dom" />
// A waiting page that knows you (#17.4), in a real Chromium: who will let you in, by first name
// and with the photo they put up in the console (shown under the page's own strict CSP); "Lee
// knows you are here." once the lead's console has shown them waiting; the session's easy-read
// plan with its pictures; and "Read this to me", which hands the page's main words to the
// browser's own speech synthesis. No axe violations.

import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { browserOrg, chromiumAvailable, consoleContext, expectNoAxeViolations, openOnPhone } from "../helpers/browser.ts";
import { addMember, call, confirmCarer, enterWaiting, schedule, startSession } from "../helpers/scenario.ts";

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

  it("shows the lead's photo from the console, and says the lead knows you are here once their console has shown you", async () => {
    const { org, browser } = world;
    const member = await addMember(org, { name: "Bea" });
    const s = await schedule(org, [member.id]);
    const a = s.attendees[0]!;
    await confirmCarer(org, a.carer!);
    await startSession(org, s.id, {});

    // The lead puts up a photo in the console.
    const lead = await (await consoleContext(browser, org.base, org.lead)).newPage();
    await lead.goto(`${org.base}/#/me`);
    await lead.getByRole("heading", { name: "Your photo" }).waitFor();
    await lead.getByText("You have no photo yet.").waitFor();
    const photo = await sharp({ create: { width: 900, height: 600, channels: 3, background: { r: 40, g: 120, b: 200 } } })
      .jpeg()
      .toBuffer();
    await lead.getByLabel("Choose a photo").setInputFiles({ name: "me.jpg", mimeType: "image/jpeg", buffer: photo });
    await lead.getByRole("button", { name: "Save photo" }).click();
    await lead.getByText("Your photo is saved.").waitFor();
    await lead.getByRole("img", { name: "You, as people waiting see you" }).waitFor();
    await expectNoAxeViolations(lead, "your photo");

    // The member's page, under its own CSP (no bypass): the photo beside "Lee will let you in.".
    const member1 = await (await browser.newContext({ viewport: { width: 320, height: 720 }, timezoneId: "UTC" })).newPage();
    await member1.goto(`${org.base}/join/${a.invite}`);
    await member1.getByRole("button", { name: "Yes, I agree" }).click();
    await member1.getByText("Lee will let you in.").waitFor();
    const face = member1.getByRole("img", { name: "Lee", exact: true });
    await expect.poll(() => face.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(256);
    expect(await member1.getByText("knows you are here").count()).toBe(0);

    // The lead's console shows Bea waiting: her page says so.
    await lead.goto(`${org.base}/#/sessions/${s.id}`);
    await lead.getByText("Bea").first().waitFor();
    await member1.getByText("Lee knows you are here.").waitFor({ timeout: 10_000 });
    const member2 = await openOnPhone(browser, `${org.base}/join/${a.invite}`);
    await member2.getByText("Lee knows you are here.").waitFor();
    await expectNoAxeViolations(member2, "the waiting page with the lead's photo and who knows you are here");
  });
});
