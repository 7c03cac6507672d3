/// <reference lib="dom" />
// Recording, as the people in it see it, in a real Chromium (R4): a member's waiting page says
// "We are recording this video." in its status region while the room is recorded, and stops
// saying it when the recording stops; a volunteer answers for themselves on their page; the carer
// page says whether the group may be recorded. Every page has no axe violations.
import { describe, expect, it } from "vitest";
import { browserOrg, chromiumAvailable, expectNoAxeViolations, openOnPhone } from "../helpers/browser.ts";
import { addMember, call, confirmCarer, enterWaiting, joinRoom, schedule, startSession } from "../helpers/scenario.ts";

describe.skipIf(!chromiumAvailable)("recording, on the pages, in Chromium", () => {
  const world = browserOrg();

  const open = (path: string) => openOnPhone(world.browser, `${world.org.base}${path}`);

  it("the waiting page announces the recording while it runs; the volunteer answers; the carer page says whether it may be", async () => {
    const { org } = world;
    const consents = async (member: { id: string; carers: { id: string }[] }) => {
      for (const type of ["recording"]) {
        const res = await call(org, "POST", `/api/members/${member.id}/consents`, org.lead, {
          type,
          givenBy: "carer",
          carerId: member.carers[0]!.id,
          method: "written",
        });
        expect(res.statusCode).toBe(201);
      }
    };
    const alex = await addMember(org, { name: "Alex" });
    const bo = await addMember(org, { name: "Bo" });
    await consents(alex);
    await consents(bo);
    const s = await schedule(org, [alex.id, bo.id], { volunteers: [{ displayName: "Vic" }] });
    const [a, b, vic] = ["Alex", "Bo", "Vic"].map((n) => s.attendees.find((x) => x.displayName === n)!);
    for (const x of [a!, b!]) {
      await confirmCarer(org, x.carer!);
      await enterWaiting(org, x.invite);
    }
    await startSession(org, s.id);
    expect((await call(org, "POST", `/api/sessions/${s.id}/attendees/${b!.id}/admit`, org.lead)).statusCode).toBe(200);
    await joinRoom(org, (await call(org, "POST", `/api/join/${b!.invite}/connection`)).json().participant_token);

    const page = await open(`/join/${a!.invite}`);
    const status = page.getByRole("status").first();
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain("Staff will let you in soon.");
    expect(await status.textContent()).not.toContain("We are recording this video.");

    expect((await call(org, "POST", `/api/sessions/${s.id}/recording`, org.lead)).statusCode).toBe(201);
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain("We are recording this video.");
    expect(await page.getByRole("img", { name: "Recording" }).count()).toBe(1);
    await expectNoAxeViolations(page, "the waiting page while recording");

    // The carer page says the group may be recorded, and is now.
    const carer = await open(`/carer/${a!.carer}`);
    await carer.getByText("There is consent on file for Alex to be recorded.").waitFor();
    expect(await carer.textContent("body")).toContain("Staff are recording the group now.");
    await expectNoAxeViolations(carer, "the carer page while recording");

    // The volunteer says no on their page: they were not in the room, so the recording goes on,
    // and their answer is kept.
    const volunteer = await open(`/join/${vic!.invite}`);
    await volunteer.getByRole("button", { name: "Yes, I agree" }).click();
    await volunteer.getByRole("heading", { name: "Can we record you in this group?" }).waitFor();
    await volunteer.getByRole("button", { name: "No, do not record me" }).click();
    await volunteer.getByText("You said no. We will not record you.").waitFor();
    await expectNoAxeViolations(volunteer, "the volunteer's page with the recording question");

    expect((await call(org, "DELETE", `/api/sessions/${s.id}/recording`, org.lead)).statusCode).toBe(200);
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).not.toContain("We are recording this video.");
  });
});
