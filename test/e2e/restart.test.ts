/// <reference lib="dom" />
// The service restarts under open pages, in a real Chromium: a member's waiting page and the
// lead's console both say in plain words that the service is restarting (close code 1001 and its
// reason), and both come back by themselves once it is up again on the same database.
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import type { Browser } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/adapters/db/client.ts";
import { createStaff } from "../../src/domain/staff.ts";
import { storeOf } from "../../src/domain/unit-of-work.ts";
import { restartingReason } from "../../src/http/sockets/heartbeat.ts";
import { password } from "../helpers/app.ts";
import { chromiumAvailable, launch } from "../helpers/browser.ts";
import { liveSession } from "../helpers/crowd.ts";
import { scratchDatabase } from "../helpers/db.ts";
import { freePort } from "../helpers/livekit.ts";
import { spawnService } from "../helpers/service.ts";
import { LiveKitStandIn } from "../livekit/stand-in.ts";

describe.skipIf(!chromiumAvailable)("a restart under open pages, in Chromium", () => {
  const stopping: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const stop of stopping.reverse()) await stop();
  });

  it("the waiting page and the console say the service is restarting, then carry on by themselves", async () => {
    const scratch = await scratchDatabase("sqlite");
    const livekit = new LiveKitStandIn();
    const livekitUrl = (await livekit.start()).replace("http:", "ws:");
    stopping.push(
      () => scratch.drop(),
      () => livekit.stop(),
    );
    const setup = await openDatabase(scratch.url);
    const lead = await createStaff(storeOf(setup), { email: "lead@example.org", name: "Lee Lead", password, roles: ["staff"] }, null);
    const crowd = await liveSession(setup, lead.id, 1, new Date());
    await setup.close();

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const start = async (): Promise<ChildProcess> => {
      const { child } = spawnService({
        ...process.env,
        DATABASE_URL: scratch.url,
        PORT: String(port),
        LIVEKIT_URL: livekitUrl,
        LOG_LEVEL: "error",
      });
      await expect
        .poll(
          () =>
            fetch(`${base}/readyz`).then(
              (r) => r.ok,
              () => false,
            ),
          { timeout: 20_000, interval: 100 },
        )
        .toBe(true);
      return child;
    };
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
  });
});
