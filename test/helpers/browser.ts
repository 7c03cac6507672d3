/// <reference lib="dom" />
// Real Chromium through playwright-core. Skips loudly where Chromium is missing, unless
// GATEKEEPER_REQUIRE_CHROMIUM=1 (set by .ci/run) makes it required.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { type Org, startOrg } from "./scenario.ts";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const chromiumAvailable = existsSync(chromiumPath);
if (!chromiumAvailable) {
  if (process.env.GATEKEEPER_REQUIRE_CHROMIUM === "1")
    throw new Error(`GATEKEEPER_REQUIRE_CHROMIUM=1 but there is no Chromium at ${chromiumPath}`);
  console.warn(`\n!!! No Chromium at ${chromiumPath}: the browser tests are SKIPPED (npm run test:setup installs it)\n`);
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
    ],
  });
}

/**
 * A new page at a phone's width, opened at `url`, as a member or carer holds it. bypassCSP lets
 * axe-core be injected; the pages themselves allow no inline script.
 */
export async function openOnPhone(browser: Browser, url: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 320, height: 720 }, timezoneId: "UTC", bypassCSP: true })).newPage();
  await page.goto(url);
  return page;
}

/** A desktop browser context signed in to the console with `cookie` (as `signIn` returns it). */
export async function consoleContext(browser: Browser, base: string, cookie: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: "UTC", bypassCSP: true });
  await context.addCookies(
    cookie.split("; ").map((pair) => {
      const [name, ...value] = pair.split("=");
      return { name: name!, value: value.join("="), url: base };
    }),
  );
  return context;
}

/**
 * For one describe block: an organisation whose service listens on a port (SQLite, the LiveKit
 * stand-in) and a Chromium, both closed after the block. Read them inside the tests.
 */
export function browserOrg(): { org: Org & { base: string }; browser: Browser } {
  const world = {} as { org: Org & { base: string }; browser: Browser };
  beforeAll(async () => {
    world.org = await startOrg("sqlite", {}, undefined, { listen: true });
    world.browser = await launch();
  });
  afterAll(async () => {
    await world.browser?.close();
    await world.org?.t.close();
  });
  return world;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Runs axe-core in the page at WCAG 2.2 AA and fails the test on any violation, naming each. */
export async function expectNoAxeViolations(page: Page, where: string): Promise<void> {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const result = await (
      window as unknown as {
        axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  });
  expect(violations, `axe violations on ${where}`).toEqual([]);
}

export const artefacts = "test-results/screenshots";

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(artefacts, { recursive: true });
  await page.screenshot({ path: `${artefacts}/${name}.png`, fullPage: true });
}

/** No sideways scrolling: the page fits its viewport's width. */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  expect(scroll).toBeLessThanOrEqual(width);
}
