/// <reference lib="dom" />
// The whole story in a real Chromium: the admin sets up a member and a home session in the
// console, the carer confirms on their page, the lead starts the session, the member waits, the
// console shows every rule green, staff admit by keyboard alone, and the member's page connects
// to the LiveKit stand-in with livekit-client's signalling request carrying the token.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { password } from "../helpers/app.ts";
import { chromiumAvailable, expectNoAxeViolations, expectNoSidewaysScroll, launch, screenshot } from "../helpers/browser.ts";
import { MailServer } from "../helpers/mail.ts";
import { addMember, call, clock, enterWaiting, joinRoom, type Org, schedule, startOrg, startSession } from "../helpers/scenario.ts";

// bypassCSP lets axe-core be injected; the pages themselves allow no inline script.
const phone = { viewport: { width: 320, height: 720 }, timezoneId: "UTC", bypassCSP: true };

describe.skipIf(!chromiumAvailable)("the whole story in Chromium", () => {
  let org: Org & { base: string };
  let browser: Browser;
  let staffContext: BrowserContext;
  let console_: Page;
  const smtp = new MailServer({ starttls: false });
  const story: { invite?: string; carer?: string; sessionTitle: string } = { sessionTitle: "Art club" };

  beforeAll(async () => {
    clock.now = new Date("2026-03-03T13:50:00Z");
    org = await startOrg("sqlite", { SMTP_URL: await smtp.start(), OUTBOX_SECONDS: "1" }, undefined, { listen: true });
    browser = await launch();
    staffContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: "UTC", bypassCSP: true });
    console_ = await staffContext.newPage();
  });
  /** The open session's Messages say the carer's invitation was sent (checked again until it is). */
  const invitationShownSent = async () => {
    const messages = console_.getByRole("region", { name: "Messages" });
    await expect
      .poll(async () => {
        await messages.getByRole("button", { name: "Check the messages again" }).click();
        return messages.getByText(/Invitation to Chris Carer \(chris@example\.org\): Sent/).count();
      })
      .toBe(1);
  };

  afterAll(async () => {
    await browser?.close();
    await org?.t.close();
    await smtp.stop();
  });

  it("the admin signs in, adds a member with a carer, records consent and schedules a home session", async () => {
    await console_.goto(`${org.base}/`);
    await expectNoAxeViolations(console_, "console sign-in");
    await console_.getByLabel("Organisation e-mail").fill("admin@example.org");
    await console_.getByLabel("Password").fill(password);
    await console_.getByRole("button", { name: "Sign in" }).click();
    await console_.getByRole("link", { name: "Members" }).click();
    await console_.getByLabel("Display name for the room (a first name, no surname)").fill("Alex");
    await console_.getByLabel("Name", { exact: true }).fill("Chris Carer");
    await console_.getByLabel("E-mail", { exact: true }).fill("chris@example.org");
    await console_.getByLabel("Phone").fill("07700 900123");
    await console_.getByRole("button", { name: "Add member" }).click();
    // Consent is recorded as it was given, never by one click: the form wants how it was given.
    const consent = console_.getByRole("form", { name: "Record consent for Alex" });
    await consent.getByRole("button", { name: "Record consent" }).click();
    expect(await console_.getByText("Video consent: given").count()).toBe(0);
    await consent.getByLabel("Given by").selectOption({ label: "Chris Carer (carer)" });
    await consent.getByLabel("How it was given").selectOption({ label: "in writing" });
    await consent.getByLabel("Note (optional)").fill("Signed form returned by post");
    await consent.getByRole("button", { name: "Record consent" }).click();
    await expect.poll(() => console_.getByText("Video consent: given").count()).toBe(1);
    await expect.poll(() => consent.getByLabel("Note (optional)").inputValue()).toBe("");
    await expectNoAxeViolations(console_, "console members");

    await console_.getByRole("link", { name: "Sessions" }).click();
    await console_.getByLabel("Title").fill(story.sessionTitle);
    await console_.getByLabel("Starts").fill("2026-03-03T14:00");
    await console_.getByLabel("Ends").fill("2026-03-03T15:00");
    await console_.getByLabel("Lead").selectOption({ label: "Ada Admin" });
    await console_.getByLabel("Alex (video consent: given)").check();
    await console_.getByRole("button", { name: "Schedule" }).click();
    await console_.getByRole("heading", { name: "Invite links (shown once)" }).waitFor();
    await expect.poll(() => console_.getByText("Send this invite to their carer, Chris Carer").count()).toBe(1);
    const codes = await console_.locator(".link-box code").allTextContents();
    story.invite = codes.find((c) => c.includes("/join/"));
    story.carer = codes.find((c) => c.includes("/carer/"));
    expect(story.invite).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/join\/[A-Za-z0-9_-]{43}$/);
    expect(story.carer).toMatch(/\/carer\//);
    await expectNoAxeViolations(console_, "console sessions with links");
  });

  it("the invitation reaches the carer by e-mail with both links, and the session's messages say it was sent", async () => {
    await expect.poll(() => smtp.received.length, { timeout: 10_000 }).toBe(1);
    const { mail, to } = smtp.received[0]!;
    expect(to).toEqual(["chris@example.org"]);
    expect(mail.text).toContain(story.carer);
    expect(mail.text).toContain(story.invite);
    await console_.getByRole("link", { name: story.sessionTitle }).click();
    await invitationShownSent();
    await expectNoAxeViolations(console_, "console session messages");
    await console_.getByRole("link", { name: "Sessions" }).click();
  });

  it("the carer confirms on their page, with the GOV.UK error pattern first", async () => {
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    await page.goto(story.carer!);
    await page.getByRole("heading", { name: "Is Alex with you?" }).waitFor();
    await expectNoAxeViolations(page, "carer question");
    await page.getByLabel("Yes, I am with Alex").check();
    await page.getByRole("button", { name: "Continue" }).click();
    const summary = page.getByRole("alert");
    await summary.waitFor();
    expect(await summary.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.getByLabel("Yes, I am with Alex").isChecked()).toBe(true);
    await expectNoAxeViolations(page, "carer error");
    await screenshot(page, "carer-error-320");
    // The question is asked once, and its error goes as soon as it is answered.
    expect(await page.getByText("Is Alex with you?").count()).toBe(1);
    await page.getByLabel("I agree to the carer rules").check();
    await expect.poll(() => page.getByRole("alert").count()).toBe(0);
    expect(await page.getByLabel("I agree to the carer rules").evaluate((el) => el === document.activeElement)).toBe(true);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("heading", { name: "Thank you" }).waitFor();
    await page.getByRole("heading", { name: "What happens next" }).waitFor();
    await page.getByRole("heading", { name: "Need help?" }).waitFor();
    await expectNoAxeViolations(page, "carer confirmed");
    await expectNoSidewaysScroll(page);
    await screenshot(page, "carer-confirmed-320");
    await context.close();
  });

  let member: Page;

  it("the lead starts the session, recording why there is no second member of staff", async () => {
    await console_.getByRole("link", { name: story.sessionTitle }).click();
    await console_.getByRole("button", { name: "Start session" }).click();
    await console_.getByRole("dialog").waitFor();
    await console_.getByLabel("Reason").fill("Second worker is off sick today");
    await console_.getByRole("button", { name: "Start with this reason" }).click();
    await console_.getByText("The session has started.").waitFor();
    // The console's call connects to LiveKit with the lead's staff token.
    await expect.poll(() => org.livekit.signalRequests.some((r) => r.identity?.startsWith("staff:"))).toBe(true);
  });

  it("the member agrees to the rules and waits; the console shows them with every rule green", async () => {
    const context = await browser.newContext(phone);
    member = await context.newPage();
    await member.goto(story.invite!);
    await member.getByRole("heading", { name: "Group rules" }).waitFor();
    await expectNoAxeViolations(member, "member rules");
    await screenshot(member, "member-rules-320");
    await member.getByRole("button", { name: "Yes, I agree" }).click();
    await member.getByRole("heading", { name: "Waiting room" }).waitFor();
    await member.getByRole("status").filter({ hasText: "Staff will let you in soon." }).waitFor();
    await expectNoAxeViolations(member, "member waiting");
    await expectNoSidewaysScroll(member);
    await screenshot(member, "member-waiting-320");

    const alex = console_.getByRole("article", { name: /Alex/ });
    await alex.waitFor();
    await expect
      .poll(async () => (await alex.locator(".chip.fail").count()) === 0 && (await alex.locator(".chip.pass").count()) >= 6)
      .toBe(true);
    await expectNoAxeViolations(console_, "console live session");
  });

  it("a message in the wrong tone is held with what was found, and goes once a reason is given (R14)", async () => {
    const broadcast = console_.getByPlaceholder("Message to everyone waiting");
    await broadcast.fill("Nearly ready, see you soon xx");
    await console_.getByRole("button", { name: "Send to all" }).click();
    await console_
      .getByText(/does not keep the organisation's professional tone: a kiss \("xx"\)/)
      .first()
      .waitFor();
    const reason = console_.getByLabel("To send it as it is, say why (this is recorded)");
    await reason.fill("Alex's mother asked us to sign off the way the family does");
    await expectNoAxeViolations(console_, "console tone refusal");
    await console_.getByRole("button", { name: "Send to all" }).click();
    await console_.getByText("Message sent to everyone waiting.").waitFor();
    await member.getByText("Nearly ready, see you soon xx").waitFor();
    expect(await reason.count()).toBe(0);
  });

  it("when the group rules change, the waiting member is shown them again and agrees", async () => {
    const res = await call(org, "PUT", "/api/guidelines/member", org.admin, {
      lines: ["Be kind.", "Do not take photos of the screen.", "Tell staff if you feel upset.", "Wave to say hello."],
    });
    expect(res.statusCode).toBe(201);
    await member.getByRole("heading", { name: "Group rules" }).waitFor();
    await member.getByText("Wave to say hello.").waitFor();
    await member.getByRole("button", { name: "Yes, I agree" }).click();
    await member.getByRole("heading", { name: "Waiting room" }).waitFor();
    const alex = console_.getByRole("article", { name: /Alex/ });
    await expect.poll(async () => (await alex.locator(".chip.fail").count()) === 0).toBe(true);
  });

  it("staff admit by keyboard alone, and the member's page joins the call with its own token", async () => {
    await console_.locator("body").focus();
    let focused = "";
    for (let i = 0; i < 80 && focused !== "Admit Alex"; i++) {
      await console_.keyboard.press("Tab");
      focused = await console_.evaluate(() => document.activeElement?.textContent?.trim() ?? "");
    }
    expect(focused).toBe("Admit Alex");
    await console_.keyboard.press("Enter");
    await member.getByRole("heading", { name: "You are in the group" }).waitFor();
    await member.getByRole("button", { name: "Leave" }).first().waitFor();
    const attendeeId = (await org.t.database.db.attendee.findFirstOrThrow({ where: { displayName: "Alex" } })).id;
    await expect.poll(() => org.livekit.signalRequests.find((r) => r.identity === attendeeId)).toBeTruthy();
    const request = org.livekit.signalRequests.find((r) => r.identity === attendeeId)!;
    expect(request.path).toMatch(/^\/rtc/);
    expect(request.refused).toBeUndefined();
    await screenshot(member, "member-admitted-320");
    await expectNoSidewaysScroll(member);
    await expectNoAxeViolations(member, "member in the call");
  });

  it("ending the session tells the member's page, in words, with no way back in", async () => {
    // Ending asks first; saying no changes nothing.
    console_.once("dialog", (d) => void d.dismiss());
    await console_.getByRole("button", { name: "End session" }).click();
    await member.getByRole("heading", { name: "You are in the group" }).waitFor();
    console_.once("dialog", (d) => {
      expect(d.message()).toContain("End the session for everyone?");
      void d.accept();
    });
    await console_.getByRole("button", { name: "End session" }).click();
    await member.getByRole("heading", { name: "The group has finished" }).waitFor();
    expect(await member.getByRole("button", { name: "Leave" }).count()).toBe(0);
    await expectNoAxeViolations(member, "member after the end");
    await screenshot(member, "member-ended-320");
  });

  it("the DSL's safeguarding page verifies the audit trail and lists the R3 and R14 waivers", async () => {
    await console_.getByRole("link", { name: "Safeguarding" }).click();
    await console_.getByText("Second worker is off sick today").waitFor();
    await console_.getByText("Alex's mother asked us to sign off the way the family does").waitFor();
    await console_.getByRole("button", { name: "Verify the audit trail" }).click();
    await console_.getByText(/The audit trail is intact: \d+ events/).waitFor();
    await expectNoAxeViolations(console_, "console safeguarding");
  });

  it("a member who cannot be let in is told why in easy-read words, and sees a refusal's message", async () => {
    const bo = await addMember(org, { name: "Bo", consent: false });
    const s = await schedule(org, [bo.id], { title: "Music", delivery: "venue" });
    const started = await call(org, "POST", `/api/sessions/${s.id}/start`, org.lead, {});
    await joinRoom(org, started.json().token);
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    await enterWaiting(org, s.attendees[0]!.invite);
    await page.goto(s.attendees[0]!.inviteUrl);
    await page
      .getByRole("status")
      .filter({ hasText: "You need to say yes to video calls first." })
      .or(page.getByRole("status").filter({ hasText: "Your carer needs to say yes to video calls first." }))
      .waitFor();
    await call(org, "POST", `/api/sessions/${s.id}/attendees/${s.attendees[0]!.id}/refuse`, org.lead, {
      message: "Sorry, we need your carer's permission first.",
    });
    await page.getByRole("heading", { name: "You cannot join today" }).waitFor();
    await page.getByText("Message from staff: Sorry, we need your carer's permission first.").waitFor();
    await expectNoAxeViolations(page, "member refused");
    await screenshot(page, "member-refused-320");
    await context.close();
  });

  it("a coordinator is told in words why someone cannot be let in, and only the lead is offered the start", async () => {
    const cy = await addMember(org, { name: "Cy", consent: false });
    const s = await schedule(org, [cy.id], { title: "Drama", delivery: "venue" });
    await console_.goto(`${org.base}/#/sessions/${s.id}`);
    await console_.getByText("Only the session's lead can start it.").waitFor();
    expect(await console_.getByRole("button", { name: "Start session" }).count()).toBe(0);
    expect(await console_.getByRole("button", { name: "End session" }).count()).toBe(0);

    await startSession(org, s.id);
    await enterWaiting(org, s.attendees[0]!.invite);
    const person = console_.getByRole("article", { name: /Cy/ });
    await person.getByText("Cy cannot be let in until every rule above passes.").waitFor();
    expect(await person.getByRole("button", { name: "Admit Cy" }).isDisabled()).toBe(true);
    expect(await person.locator(".chip-failing li").first().textContent()).toMatch(/^Not yet: /);
    // A mouse press opens a chip's explanation and a second press closes it.
    const failing = person.locator(".chip.fail").first();
    await failing.click();
    await person.locator(".chip-reason").waitFor();
    await failing.click();
    await expect.poll(() => person.locator(".chip-reason").count()).toBe(0);
    await expectNoAxeViolations(console_, "console with someone who cannot be let in");
    await screenshot(console_, "console-cannot-admit");
  });

  it("an admin manages staff: never themselves, deactivating asks first, reactivating and new accounts clear the form", async () => {
    await console_.getByRole("link", { name: "Settings and staff" }).click();
    const me = console_.getByRole("listitem").filter({ hasText: "admin@example.org" });
    await me.getByText("(you)").waitFor();
    expect(await me.getByRole("button", { name: /Deactivate/ }).count()).toBe(0);
    console_.once("dialog", (d) => {
      expect(d.message()).toContain("Deactivate Oli Other?");
      void d.accept();
    });
    await console_.getByRole("button", { name: "Deactivate Oli Other" }).click();
    await console_.getByRole("button", { name: "Reactivate Oli Other" }).click();
    await console_.getByRole("button", { name: "Deactivate Oli Other" }).waitFor();
    const add = console_.locator("form").filter({ has: console_.getByRole("heading", { name: "Add a staff account" }) });
    await add.getByLabel("E-mail").fill("newcomer@example.org");
    await add.getByLabel("Name", { exact: true }).fill("Nia Newcomer");
    await add.getByLabel("Password (12 characters or more)").fill("a long enough password");
    await add.getByRole("button", { name: "Add staff account" }).click();
    await add.getByText("Nia Newcomer was added.").waitFor();
    await expect.poll(() => add.getByLabel("E-mail").inputValue()).toBe("");
    await expectNoAxeViolations(console_, "console staff accounts");
  });

  it("a coordinator creates a weekly group, sees its sessions ahead, and the first invitation is sent", async () => {
    const before = smtp.received.length;
    await console_.getByRole("link", { name: "Groups" }).click();
    await console_.getByLabel("Title").fill("Music club");
    await console_.getByLabel("Lead").selectOption({ label: "Ada Admin" });
    await console_.getByLabel("Day").selectOption({ label: "Thursdays" });
    await console_.getByLabel("Starts (organisation's time)").fill("10:00");
    await console_.getByLabel("Ends").fill("11:00");
    await console_.getByLabel("From").fill("2026-03-05");
    await console_.getByLabel("Until (optional)").fill("2026-03-12");
    await console_.getByLabel("Alex", { exact: true }).check();
    await console_.getByRole("button", { name: "Create group" }).click();
    await console_.getByText("Music club was created").waitFor();
    await expectNoAxeViolations(console_, "console groups");
    await console_.getByRole("link", { name: "Music club" }).click();
    await console_.getByRole("heading", { name: "Next sessions" }).waitFor();
    expect(await console_.getByRole("button", { name: /^Cancel / }).count()).toBe(2);
    await expectNoAxeViolations(console_, "console group");
    // The first Thursday is within three days: its invitation goes now; the next waits its turn.
    await expect.poll(() => smtp.received.length, { timeout: 10_000 }).toBe(before + 1);
    expect(smtp.received.at(-1)!.mail.subject).toBe("Music club on Thursday 5 March at 10am: Alex is invited");
    await console_.getByRole("link", { name: /Thursday 5 March/ }).click();
    await invitationShownSent();
  });

  it("the camera check page works without a session", async () => {
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    await page.goto(`${org.base}/check`);
    await page.getByRole("button", { name: "Test my camera" }).click();
    await page.getByText("Your camera and microphone work.").waitFor();
    await expectNoAxeViolations(page, "camera check");
    await context.close();
  });
});
