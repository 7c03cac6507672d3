/// <reference lib="dom" />
// A waiting page whose connection fails, in a real Chromium: its first socket is refused, or its
// first requests get no answer or a busy service, and the page says in easy-read words that it is
// connecting, tries again by itself after a short, jittered wait, and shows the member where they
// stand.
import { describe, expect, it } from "vitest";
import { browserOrg, chromiumAvailable } from "../helpers/browser.ts";
import { addMember, enterWaiting, schedule } from "../helpers/scenario.ts";

describe.skipIf(!chromiumAvailable)("a waiting page whose connection fails, in Chromium", () => {
  const world = browserOrg();

  it("says it is trying again, reconnects by itself and shows the member's state", async () => {
    const { org, browser } = world;
    const member = await addMember(org, { name: "Alex" });
    const s = await schedule(org, [member.id]);
    await enterWaiting(org, s.attendees[0]!.invite);
    const page = await (await browser.newContext({ timezoneId: "UTC" })).newPage();
    let sockets = 0;
    await page.routeWebSocket(/\/ws\/join\//, (ws) => {
      sockets++;
      // The first is refused as a busy server would; the next goes through to the service.
      if (sockets === 1) void ws.close({ code: 1013, reason: "Try again later" });
      else ws.connectToServer();
    });
    // What the page said on the way, however briefly it said it.
    await page.addInitScript(() => {
      const seen = new Set<string>();
      (window as unknown as { seen: Set<string> }).seen = seen;
      new MutationObserver(() => {
        for (const words of ["Connecting. Please keep this page open.", "Trying to connect again."]) {
          if (document.body?.textContent?.includes(words)) seen.add(words);
        }
      }).observe(document, { childList: true, subtree: true, characterData: true });
    });
    await page.goto(`${org.base}/join/${s.attendees[0]!.invite}`);
    await expect
      .poll(() => page.getByRole("status").first().textContent(), { timeout: 10_000 })
      .toContain("The group starts on Tuesday 3 March at 2pm.");
    await page.getByText("Trying to connect again.").waitFor({ state: "detached" });
    expect(await page.evaluate(() => [...(window as unknown as { seen: Set<string> }).seen].sort())).toEqual([
      "Connecting. Please keep this page open.",
      "Trying to connect again.",
    ]);
    expect(sockets).toBe(2);
  });

  it("opening the link when the service does not answer or is busy: says it is connecting and loads by itself", async () => {
    const { org, browser } = world;
    const member = await addMember(org, { name: "Bo" });
    const s = await schedule(org, [member.id]);
    const invite = s.attendees[0]!.invite;
    const page = await (await browser.newContext({ timezoneId: "UTC" })).newPage();
    let tries = 0;
    await page.route(`**/api/join/${invite}`, async (route) => {
      if (route.request().method() !== "GET") return route.continue();
      tries++;
      // No answer at all, then a busy service, then the real one.
      if (tries === 1) return route.abort("connectionreset");
      if (tries === 2)
        return route.fulfill({
          status: 503,
          contentType: "application/json",
          body: JSON.stringify({ error: { code: "busy", message: "Busy" } }),
        });
      return route.continue();
    });
    await page.addInitScript(() => {
      const seen = new Set<string>();
      (window as unknown as { seen: Set<string> }).seen = seen;
      new MutationObserver(() => {
        if (document.body?.textContent?.includes("Connecting. Please keep this page open.")) seen.add("connecting");
        if (document.body?.textContent?.includes("Something went wrong")) seen.add("error");
      }).observe(document, { childList: true, subtree: true, characterData: true });
    });
    await page.goto(`${org.base}/join/${invite}`);
    await page.getByRole("button", { name: "Yes, I agree" }).click({ timeout: 15_000 });
    await expect
      .poll(() => page.getByRole("status").first().textContent(), { timeout: 10_000 })
      .toContain("The group starts on Tuesday 3 March at 2pm.");
    expect(await page.evaluate(() => [...(window as unknown as { seen: Set<string> }).seen])).toEqual(["connecting"]);
    expect(tries).toBe(3);
  });
});
