// Invitations that reach people, through a real SMTP server in the test process: the carer of a
// home-delivery member gets one invitation with both links and a calendar file; nothing goes
// outside the agreed hours; a 4xx is tried again and a 5xx is flagged; two instances on one
// PostgreSQL send each message once; and the outbox cannot be changed or emptied (R8).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sendDue } from "../../src/domain/outbox/outbox.ts";
import { providers, type ScratchDatabase, scratchDatabase } from "../helpers/db.ts";
import { MailServer } from "../helpers/mail.ts";
import { addMember, allDayHours, call, clock, type Org, schedule, startOrg } from "../helpers/scenario.ts";

const password = "smtp-secret-do-not-log";

type Message = {
  kind: string;
  to: string | null;
  status: string;
  notBefore: string;
  attempts: { outcome: string; reply: string }[];
  text: string;
};
const messagesOf = async (org: Org, sessionId: string) =>
  (await call(org, "GET", `/api/sessions/${sessionId}/messages`, org.lead)).json().messages as Message[];
const pathOf = (url: string) => new URL(url).pathname;

describe.each(providers)("the outbox on %s", (provider) => {
  let org: Org;
  let smtp: MailServer;
  const now = clock.now;
  beforeAll(async () => {
    smtp = new MailServer({ starttls: false, user: "gatekeeper", password });
    const url = await smtp.start();
    org = await startOrg(provider, { SMTP_URL: url, MAIL_FROM: "Art Club <clubs@example.org>", OUTBOX_SECONDS: "0" });
  });
  afterEach(() => {
    clock.now = now;
    smtp.refuse.clear();
  });
  afterAll(async () => {
    await org?.t.close();
    await smtp?.stop();
  });

  it("the carer of a home-delivery member gets one invitation with both links, which work, and a calendar file", async () => {
    const member = await addMember(org, { name: "Alex" });
    const s = await schedule(org, [member.id]);
    expect(await sendDue(org.app.ctx)).toBe(1);
    expect(await sendDue(org.app.ctx)).toBe(0);
    const mails = smtp.received.filter((r) => r.mail.subject?.includes("Alex is invited"));
    expect(mails).toHaveLength(1);
    const { mail, to } = mails[0]!;
    expect(to).toEqual(["chris@example.org"]);
    expect(mail.from?.text).toBe('"Art Club" <clubs@example.org>');
    expect(mail.text).toContain("Hello Chris,");
    // R9: first names only; nobody else's name or contact.
    expect(mail.text).not.toMatch(/Carer|07700|Lee Lead|Sol Second/);
    expect(mail.text).toContain("It is on Tuesday 3 March, from 2pm to 3pm.");
    expect(mail.text).toContain("call Duty manager on 0161 496 0000");
    expect(mail.html).toContain(`href="${s.attendees[0]!.carerUrl}"`);

    // Both links are the member's own, and they work.
    const links = [...(mail.text ?? "").matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);
    expect(links.sort()).toEqual([s.attendees[0]!.carerUrl!, s.attendees[0]!.inviteUrl].sort());
    expect((await call(org, "GET", `/api${pathOf(s.attendees[0]!.carerUrl!)}`)).statusCode).toBe(200);
    expect((await call(org, "GET", `/api${pathOf(s.attendees[0]!.inviteUrl)}`)).statusCode).toBe(200);

    const ics = mail.attachments.find((a) => a.contentType === "text/calendar");
    expect(ics?.filename).toBe("invitation.ics");
    const raw = ics!.content.toString("utf8");
    // Lines are folded at 75 octets (RFC 5545), also once the long links are in.
    expect(raw.split("\r\n").every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    const calendar = raw.replace(/\r\n /g, "");
    expect(calendar).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(calendar).toContain("BEGIN:VTIMEZONE\r\nTZID:Europe/London");
    expect(calendar).toContain("DTSTART;TZID=Europe/London:20260303T140000");
    expect(calendar).toContain("DTEND;TZID=Europe/London:20260303T150000");
    expect(calendar).toContain(`URL;VALUE=URI:${s.attendees[0]!.carerUrl}`);

    const [message] = await messagesOf(org, s.id);
    expect(message).toMatchObject({ kind: "invitation", to: "chris@example.org", status: "sent", attempts: [{ outcome: "sent" }] });
    // Per person, for any staff: what was sent about Alex, without the links.
    const about = (await call(org, "GET", `/api/members/${member.id}/messages`, org.other)).json().messages;
    expect(about).toMatchObject([{ kind: "invitation", sessionId: s.id, status: "sent", links: [{ url: null }, { url: null }] }]);
    expect(about[0].text).toContain("(their personal link)");
    expect(about[0].text).not.toContain(s.attendees[0]!.inviteUrl);
    // The SMTP password never reaches a log line; link tokens neither.
    const logs = org.t.rawLogs.join("");
    expect(logs).not.toContain(password);
    expect(logs).not.toContain(pathOf(s.attendees[0]!.inviteUrl).split("/").pop());
  });

  it("an independent member and a volunteer on file get their own invitation; someone with no address is listed to be given the link", async () => {
    const res = await call(org, "POST", "/api/members", org.lead, { displayName: "Bo", livesWithCarer: false, email: "bo@example.org" });
    expect(res.statusCode, res.body).toBe(201);
    const bo = res.json().member;
    await call(org, "POST", `/api/members/${bo.id}/consents`, org.lead, { type: "video", givenBy: "member", method: "written" });
    const vol = (await call(org, "POST", "/api/volunteers", org.lead, { displayName: "Val", email: "val@example.org" })).json().volunteer;
    const nobody = await addMember(org, { name: "Cy", livesWithCarer: false });
    const s = await schedule(org, [bo.id, nobody.id], { delivery: "venue", volunteerIds: [vol.id] });
    await sendDue(org.app.ctx);
    expect(
      smtp.received
        .filter((r) => r.mail.subject?.startsWith("You are invited to Art club"))
        .flatMap((r) => r.to)
        .sort(),
    ).toEqual(expect.arrayContaining(["bo@example.org", "val@example.org"]));
    const messages = await messagesOf(org, s.id);
    expect(messages.map((m) => [m.to, m.status]).sort()).toEqual(
      [
        ["bo@example.org", "sent"],
        ["val@example.org", "sent"],
        [null, "not-sent"],
      ].sort(),
    );
    // Cy's invitation is kept with the link to give another way.
    expect(messages.find((m) => m.to === null)?.text).toContain(s.attendees.find((a) => a.displayName === "Cy")!.inviteUrl);
  });

  it("nothing goes outside the agreed hours: it waits for the next opening and goes then", async () => {
    const weekdays = {
      ...allDayHours,
      mon: [{ start: "09:00", end: "17:00" }],
      tue: [{ start: "09:00", end: "17:00" }],
      wed: [{ start: "09:00", end: "17:00" }],
    };
    const put = (agreedHours: object) =>
      call(org, "PUT", "/api/settings", org.admin, {
        timeZone: "Europe/London",
        agreedHours,
        emergencyContact: { name: "Duty manager", phone: "0161 496 0000" },
      });
    expect((await put(weekdays)).statusCode).toBe(200);
    try {
      clock.now = new Date("2026-03-03T19:30:00Z"); // Tuesday 19:30
      const member = await addMember(org, { name: "Dee" });
      const s = await schedule(org, [member.id], { startsAt: "2026-03-04T10:00:00Z", endsAt: "2026-03-04T11:00:00Z" });
      expect(await sendDue(org.app.ctx)).toBe(0);
      const [waiting] = await messagesOf(org, s.id);
      expect(waiting).toMatchObject({ status: "waiting-for-hours", notBefore: "2026-03-04T09:00:00.000Z" });
      clock.now = new Date("2026-03-04T08:59:00Z");
      expect(await sendDue(org.app.ctx)).toBe(0);
      clock.now = new Date("2026-03-04T09:00:00Z");
      expect(await sendDue(org.app.ctx)).toBe(1);
      clock.now = now; // staff's sign-ins from the day before have expired
      expect((await messagesOf(org, s.id))[0]).toMatchObject({ status: "sent" });
    } finally {
      clock.now = now; // the admin's sign-in has expired by the next day
      expect((await put(allDayHours)).statusCode).toBe(200);
    }
  });

  it("a temporary refusal (4xx) is tried again later and then goes; a permanent one (5xx) is flagged and not tried again", async () => {
    const make = async (name: string, email: string) => {
      const res = await call(org, "POST", "/api/members", org.lead, { displayName: name, livesWithCarer: false, email });
      const m = res.json().member;
      await call(org, "POST", `/api/members/${m.id}/consents`, org.lead, { type: "video", givenBy: "member", method: "written" });
      return m.id as string;
    };
    smtp.refuse.set("busy@example.org", "451 4.3.0 Mailbox busy, try again later");
    smtp.refuse.set("nobody@example.org", "550 5.1.1 No such user");
    const s = await schedule(org, [await make("Eve", "busy@example.org"), await make("Fin", "nobody@example.org")], { delivery: "venue" });
    expect(await sendDue(org.app.ctx)).toBe(2);
    let messages = await messagesOf(org, s.id);
    const busy = () => messages.find((m) => m.to === "busy@example.org")!;
    const nobody = () => messages.find((m) => m.to === "nobody@example.org")!;
    expect(busy()).toMatchObject({ status: "queued", attempts: [{ outcome: "retry", reply: expect.stringContaining("451") }] });
    expect(nobody()).toMatchObject({ status: "failed", attempts: [{ outcome: "failed", reply: expect.stringContaining("550") }] });
    // Not before its time, then again once the server takes it.
    expect(await sendDue(org.app.ctx)).toBe(0);
    smtp.refuse.delete("busy@example.org");
    clock.now = new Date(clock.now.getTime() + 61_000);
    expect(await sendDue(org.app.ctx)).toBe(1);
    messages = await messagesOf(org, s.id);
    expect(busy()).toMatchObject({ status: "sent", attempts: [{ outcome: "retry" }, { outcome: "sent" }] });
    expect(nobody().attempts).toHaveLength(1);
  });

  it("a reissued link is sent as a new message and the old one's queued reminder is not sent", async () => {
    clock.now = new Date("2026-03-01T10:00:00Z"); // two days before: a reminder is queued for the day before
    const member = await addMember(org, { name: "Gus" });
    const s = await schedule(org, [member.id]);
    const a = s.attendees[0]!;
    expect((await messagesOf(org, s.id)).map((m) => m.kind)).toEqual(["invitation", "reminder"]);
    await sendDue(org.app.ctx);
    const reissued = await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/reissue`, org.lead);
    expect(reissued.statusCode).toBe(200);
    await sendDue(org.app.ctx);
    const fresh = smtp.received.find((r) => r.mail.subject === "A new link for Art club on Tuesday 3 March");
    expect(fresh?.mail.text).toContain(reissued.json().attendee.carerUrl);
    expect(fresh?.mail.text).toContain("do not work any more");
    clock.now = new Date("2026-03-02T14:00:00Z"); // the reminders are due
    await sendDue(org.app.ctx);
    const kinds = (await messagesOf(org, s.id)).map((m) => [m.kind, m.status, m.attempts.at(-1)?.reply ?? ""]);
    expect(kinds).toEqual([
      ["invitation", "sent", expect.any(String)],
      ["reminder", "not-sent", expect.stringContaining("no longer works")],
      ["link-reissued", "sent", expect.any(String)],
      ["reminder", "sent", expect.any(String)],
    ]);
    const reminder = smtp.received.filter((r) => r.mail.subject?.startsWith("Reminder:")).at(-1)!;
    expect(reminder.mail.text).toContain(reissued.json().attendee.carerUrl);
  });

  it("a reminder is not sent to a carer who has already said they will be there", async () => {
    clock.now = new Date("2026-03-01T10:00:00Z");
    const member = await addMember(org, { name: "Hal" });
    const s = await schedule(org, [member.id]);
    // Confirming opens an hour before the start: record it as the carer page would at that time.
    clock.now = new Date("2026-03-03T13:10:00Z");
    expect(
      (await call(org, "POST", `/api/carer/${s.attendees[0]!.carer}/confirm`, undefined, { present: true, agreedToTerms: true }))
        .statusCode,
    ).toBe(200);
    await sendDue(org.app.ctx);
    const reminder = (await messagesOf(org, s.id)).find((m) => m.kind === "reminder");
    expect(reminder).toMatchObject({ status: "not-sent" });
  });

  it("a note on the invitation is checked for tone (R14): held with nothing created, or sent with a recorded reason", async () => {
    const member = await addMember(org, { name: "Kim" });
    const sessions = await org.t.database.db.session.count();
    const held = await call(org, "POST", "/api/sessions", org.lead, {
      title: "Art club",
      startsAt: "2026-03-03T14:00:00Z",
      endsAt: "2026-03-03T15:00:00Z",
      delivery: "home",
      leadStaffId: org.leadId,
      memberIds: [member.id],
      invitationNote: "Bring ur paints hun xx",
    });
    expect(held.statusCode).toBe(409);
    expect(held.json().error).toMatchObject({ code: "R14.professional-tone", message: expect.stringContaining("text-speak") });
    expect(await org.t.database.db.session.count()).toBe(sessions);

    const reason = "Kim's carer asked us to write the way the family does";
    const s = await schedule(org, [member.id], { invitationNote: "Bring ur paints hun xx", toneWaiverReason: reason });
    await sendDue(org.app.ctx);
    const mail = smtp.received.find((r) => r.mail.subject?.includes("Kim is invited"))!;
    expect(mail.mail.text).toContain("A message from the staff: Bring ur paints hun xx");
    const waivers = await org.t.database.db.waiver.findMany({ where: { sessionId: s.id } });
    expect(waivers.map((w) => [w.rule, w.reason])).toEqual([["R14.professional-tone", reason]]);
  });

  it("the outbox and its attempts cannot be changed or deleted (R8)", async () => {
    for (const table of ["OutboxMessage", "OutboxAttempt"]) {
      expect(
        Number((await org.t.database.db.$queryRawUnsafe<{ n: unknown }[]>(`SELECT COUNT(*) AS n FROM "${table}"`))[0]?.n),
      ).toBeGreaterThan(0);
      await expect(org.t.database.db.$executeRawUnsafe(`UPDATE "${table}" SET "id" = "id"`), table).rejects.toThrow(/append-only/);
      await expect(org.t.database.db.$executeRawUnsafe(`DELETE FROM "${table}"`), table).rejects.toThrow(/append-only/);
    }
  });
});

describe.each(providers)("sending over STARTTLS on %s", (provider) => {
  it("sends over an encrypted connection to a server whose certificate the configuration trusts", async () => {
    const smtp = new MailServer({ starttls: true, user: "gatekeeper", password });
    const url = await smtp.start();
    const org = await startOrg(provider, { SMTP_URL: url, SMTP_CA_FILE: smtp.caFile!, OUTBOX_SECONDS: "0" });
    try {
      const member = await addMember(org, { name: "Ivy" });
      await schedule(org, [member.id]);
      expect(await sendDue(org.app.ctx)).toBe(1);
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]!.secure).toBe(true);
    } finally {
      await org.t.close();
      await smtp.stop();
    }
  });
});

describe("without a mail server", () => {
  it("messages are composed and kept, marked not sent, with their links to give another way", async () => {
    const org = await startOrg("sqlite");
    try {
      const member = await addMember(org, { name: "Jo" });
      const s = await schedule(org, [member.id]);
      expect(await sendDue(org.app.ctx)).toBe(0);
      const [message] = await messagesOf(org, s.id);
      expect(message).toMatchObject({ kind: "invitation", to: "chris@example.org", status: "not-sent", attempts: [] });
      expect(message!.text).toContain(s.attendees[0]!.carerUrl);
    } finally {
      await org.t.close();
    }
  });
});

describe("two instances on one PostgreSQL", () => {
  const postgres = providers.includes("postgresql");
  it.skipIf(!postgres)("send each message once, whichever claims it first", async () => {
    const smtp = new MailServer({ starttls: false });
    const url = await smtp.start();
    let scratch: ScratchDatabase | undefined;
    const env = { SMTP_URL: url, OUTBOX_SECONDS: "0" };
    try {
      scratch = await scratchDatabase("postgresql");
      const a = await startOrg("postgresql", env, scratch);
      const b = await startOrg("postgresql", env, scratch, { reuseStaff: true });
      try {
        const homes = await Promise.all(["Quin", "Ray", "Sam"].map((name) => addMember(a, { name })));
        await schedule(
          a,
          homes.map((m) => m.id),
        );
        const [x, y] = await Promise.all([sendDue(a.app.ctx), sendDue(b.app.ctx)]);
        expect(x + y).toBe(3);
        expect(smtp.received).toHaveLength(3);
        expect(new Set(smtp.received.map((r) => r.mail.messageId)).size).toBe(3);
      } finally {
        await a.t.close();
        await b.t.close();
      }
    } finally {
      await scratch?.drop();
      await smtp.stop();
    }
  });
});
