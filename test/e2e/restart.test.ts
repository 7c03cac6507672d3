/// <reference lib="dom" />
// The service restarts under open pages, in a real Chromium: a member's waiting page and the
// lead's console both say in plain words that the service is restarting (close code 1001 and its
// reason), and both come back by themselves once it is up again on the same database.
import { once } from "node:events";
import type { Browser } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { restartingReason } from "../../src/http/sockets/heartbeat.ts";
import { password } from "../helpers/app.ts";
import { chromiumAvailable, launch } from "../helpers/browser.ts";
import { freePort } from "../helpers/livekit.ts";
import { liveWorld, startService } from "../helpers/service.ts";

describe.skipIf(!chromiumAvailable)("a restart under open pages, in Chromium", () => {
  const stopping: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const stop of stopping.reverse()) await stop();
  });

  it("the waiting page and the console say the service is restarting, then carry on by themselves", async () => {
    const world = await liveWorld("sqlite", 1);
    stopping.push(() => world.stop());
    const { scratch, livekitUrl, crowd } = world;

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const start = () => startService(scratch.url, port, livekitUrl);
    let server = await start();
    stopping.push(async () => server.kill("SIGKILL"));

    const browser: Browser = await launch();
    stopping.push(() => browser.close());
    const member = await (await browser.newContext({ timezoneId: "UTC" })).newPage();
    await member.goto(`${base}/join/${crowd.attendees[0]!.invite}`);
    await member.getByRole("heading", { name: "Waiting room" }).waitFor();

    const staff = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: "UTC" })).newPage();
    await staff.goto(`${base}/`);
    await staff.getByLabel("Organisation e-mail").fill("lead@example.org");
    await staff.getByLabel("Password").fill(password);
    await staff.getByRole("button", { name: "Sign in" }).click();
    await staff.goto(`${base}/#/sessions/${crowd.sessionId}`);
    await staff.getByRole("heading", { name: "Bench group" }).waitFor();

    server.kill("SIGTERM");
    await once(server, "exit");
    await member.getByText(restartingReason).waitFor();
    await staff.getByText(restartingReason).waitFor();

    server = await start();
    // Both reconnect without anyone touching them, and the words go away.
    await member.getByText(restartingReason).waitFor({ state: "detached", timeout: 20_000 });
    await staff.getByText(restartingReason).waitFor({ state: "detached", timeout: 20_000 });
    await member.getByRole("heading", { name: "Waiting room" }).waitFor();
    expect(await staff.getByText("Member 0").count()).toBeGreaterThan(0);
    // The service starts twice through tsx (≈ 3 s each alone, several times that while the whole
    // suite runs beside it): 30 s was once too short in a full run (2026-11-28).
  }, 90_000);
});
