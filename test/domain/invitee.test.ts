// What a member does with their invite link, through the domain on a real database: a link is
// only ever its own kind, the guidelines are agreed once per version, staff's decisions stand when
// a page is reopened, and a token goes only to someone whose admission holds now.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ctx } from "../../src/domain/context.ts";
import { type AttendeeRow, linkFacts } from "../../src/domain/facts.ts";
import { connectionDetails, describeInvite, emergencyContact, enterWaitingRoom, entryGrouping } from "../../src/domain/invitee.ts";
import type { SettingsView } from "../../src/domain/settings.ts";
import { providers } from "../helpers/db.ts";
import { addMember, call, type Org, readyToAdmit, schedule, startOrg } from "../helpers/scenario.ts";

// The link in hand was read before its session's lock, the attendee's newest invite link after it
// (test/http/concurrency.test.ts has the race itself on PostgreSQL).
describe("link facts", () => {
  const at = new Date("2026-11-29T10:00:00Z");
  const link = (id: string, kind: string, revokedAt: Date | null = null) => ({ id, kind, revokedAt });
  const attendee = (...links: ReturnType<typeof link>[]) => ({ links }) as unknown as AttendeeRow;
  it.each([
    ["the newest invite link, live", link("a", "invite"), attendee(link("a", "invite")), false],
    ["the newest, revoked since it was read", link("a", "invite"), attendee(link("a", "invite", at)), true],
    ["replaced by a newer invite link since it was read", link("a", "invite"), attendee(link("b", "invite")), true],
    ["read as revoked", link("a", "invite", at), attendee(link("a", "invite")), true],
    ["a carer's link: its own row decides", link("c", "carer"), attendee(link("b", "invite")), false],
    ["a carer's link, revoked", link("c", "carer", at), attendee(link("b", "invite")), true],
  ])("%s", (_name, inHand, a, revoked) => {
    expect(linkFacts(a, inHand)).toEqual({ revoked });
  });
  it("without a link in hand, the newest invite link decides", () => {
    expect(linkFacts(attendee(link("a", "invite")))).toEqual({ revoked: false });
    expect(linkFacts(attendee(link("a", "invite", at)))).toEqual({ revoked: true });
    expect(linkFacts(attendee())).toEqual({ revoked: true });
  });
});

describe.each(providers)("invite links on %s", (provider) => {
  let org: Org;
  let ctx: Ctx;
  beforeAll(async () => {
    org = await startOrg(provider);
    ctx = org.app.ctx;
  });
  afterAll(async () => org?.t.close());

  const failing = (checks: { rule: string; outcome: string }[]) => checks.filter((c) => c.outcome === "fail").map((c) => c.rule);
  const auditCount = (subjectId: string, action: string) => org.t.database.db.auditEvent.count({ where: { subjectId, action } });

  it("a link that never existed, or a carer's link used as an invite, is the same 404", async () => {
    const member = await addMember(org);
    const { attendees } = await schedule(org, [member.id]);
    const unknown = { statusCode: 404, code: "R10.unknown-link" };
    await expect(describeInvite(ctx, "no-such-link")).rejects.toMatchObject(unknown);
    await expect(describeInvite(ctx, attendees[0]!.carer!)).rejects.toMatchObject(unknown);
    await expect(enterWaitingRoom(ctx, attendees[0]!.carer!, true)).rejects.toMatchObject(unknown);
  });

  it("entering needs the current guidelines agreed; the agreement and the arrival are each kept once", async () => {
    const member = await addMember(org);
    const a = (await schedule(org, [member.id])).attendees[0]!;
    const without = await enterWaitingRoom(ctx, a.invite, false);
    expect(without.ok).toBe(false);
    if (!without.ok) expect(failing(without.checks)).toEqual(["R13.guidelines-agreed"]);
    expect((await describeInvite(ctx, a.invite)).attendee.state).toBe("invited");

    expect(await enterWaitingRoom(ctx, a.invite, true)).toMatchObject({ ok: true, attendee: { state: "waiting" } });
    // Reopening the page: already agreed, already waiting.
    expect(await enterWaitingRoom(ctx, a.invite, true)).toMatchObject({ ok: true, attendee: { state: "waiting" } });
    expect(await describeInvite(ctx, a.invite)).toMatchObject({ agreedToCurrentGuidelines: true, attendee: { state: "waiting" } });
    expect(await org.t.database.db.guidelinesAgreement.count({ where: { attendeeId: a.id } })).toBe(1);
    expect(await auditCount(a.id, "guidelines.agreed")).toBe(1);
    expect(await auditCount(a.id, "waiting.entered")).toBe(1);
  });

  it("people opening their links at the same moment enter together, each on their own facts; a bad link fails only itself", async () => {
    const members = await Promise.all(Array.from({ length: 6 }, (_, i) => addMember(org, { name: `Group ${i}` })));
    const [one, two] = [
      await schedule(
        org,
        members.slice(0, 3).map((m) => m.id),
      ),
      await schedule(
        org,
        members.slice(3).map((m) => m.id),
      ),
    ];
    const everyone = [...one.attendees, ...two.attendees];
    const before = entryGrouping(ctx);
    const answers = await Promise.allSettled([
      ...everyone.map((a, i) => enterWaitingRoom(ctx, a.invite, i !== 0)),
      enterWaitingRoom(ctx, "no-such-link", true),
      enterWaitingRoom(ctx, everyone[1]!.carer!, true),
    ]);
    const after = entryGrouping(ctx);
    // Eight requests, fewer transactions (they arrived together).
    expect(after.items - before.items).toBe(8);
    expect(after.batches - before.batches).toBeLessThan(8);
    const [first, ...rest] = answers.slice(0, 6);
    // The first did not agree to the guidelines: refused on its own facts, the others are in.
    expect(first).toMatchObject({ status: "fulfilled", value: { ok: false } });
    for (const answer of rest) expect(answer).toMatchObject({ status: "fulfilled", value: { ok: true, attendee: { state: "waiting" } } });
    for (const answer of answers.slice(6)) expect(answer).toMatchObject({ status: "rejected", reason: { statusCode: 404 } });
    for (const a of everyone.slice(1)) expect(await auditCount(a.id, "waiting.entered")).toBe(1);
    expect(await auditCount(everyone[0]!.id, "waiting.entered")).toBe(0);
    // What was stored, as each was decided: the batch writes its rows together.
    const db = org.t.database.db;
    const stored = await db.attendee.findMany({ where: { id: { in: everyone.map((a) => a.id) } }, include: { agreements: true } });
    const of = (id: string) => stored.find((row) => row.id === id)!;
    expect(of(everyone[0]!.id)).toMatchObject({ state: "invited", agreements: [] });
    for (const a of everyone.slice(1)) {
      expect(of(a.id)).toMatchObject({ state: "waiting", stateChangedAt: ctx.now() });
      expect(of(a.id).agreements).toEqual([expect.objectContaining({ attendeeId: a.id, version: expect.any(Number) })]);
    }
  });

  it("someone staff refused who opens their link again stays refused", async () => {
    const member = await addMember(org);
    const s = await schedule(org, [member.id]);
    const a = s.attendees[0]!;
    await enterWaitingRoom(ctx, a.invite, true);
    const refused = await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/refuse`, org.lead, { message: "Not today." });
    expect(refused.statusCode, refused.body).toBe(200);
    expect(await enterWaitingRoom(ctx, a.invite, true)).toMatchObject({ ok: true, attendee: { state: "refused" } });
  });

  it("a token goes only to someone admitted whose admission still holds, and each one issued is kept", async () => {
    const { s, a, member } = await readyToAdmit(org);
    const waiting = await connectionDetails(ctx, a.invite);
    expect(waiting.ok).toBe(false);
    if (!waiting.ok) expect(failing(waiting.checks)).toEqual(["R1.waiting-room"]);

    const admit = await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/admit`, org.lead);
    expect(admit.statusCode, admit.body).toBe(200);
    expect(await connectionDetails(ctx, a.invite)).toMatchObject({ ok: true, server_url: ctx.config.LIVEKIT_URL });
    expect(await auditCount(a.id, "token.issued")).toBe(1);

    // The consent is withdrawn after admission: the next request is refused on R4, with no token.
    const consent = await org.t.database.db.consent.findFirstOrThrow({ where: { memberId: member.id } });
    const withdrawn = await call(org, "POST", `/api/members/${member.id}/consents/${consent.id}/withdraw`, org.lead, {
      reason: "Carer asked.",
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(201);
    const after = await connectionDetails(ctx, a.invite);
    expect(after.ok).toBe(false);
    if (!after.ok) expect(failing(after.checks)).toEqual(["R4.consent"]);
    expect(await auditCount(a.id, "token.issued")).toBe(1);
  });

  it("a reissued link is gone (410) and the new one works", async () => {
    const member = await addMember(org);
    const s = await schedule(org, [member.id]);
    const a = s.attendees[0]!;
    const res = await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/reissue`, org.lead);
    expect(res.statusCode, res.body).toBe(200);
    await expect(describeInvite(ctx, a.invite)).rejects.toMatchObject({ statusCode: 410 });
    const fresh = new URL(res.json().attendee.inviteUrl).pathname.split("/").pop()!;
    expect((await describeInvite(ctx, fresh)).attendee.id).toBe(a.id);
  });

  it("the emergency contact is the organisation's, or the lead's name when none is set (R12)", () => {
    const settings = (name: string) => ({ emergencyContact: { name, phone: name ? "0161 496 0000" : "" } }) as SettingsView;
    expect(emergencyContact(settings("Duty manager"), "Lee Lead")).toEqual({ name: "Duty manager", phone: "0161 496 0000" });
    expect(emergencyContact(settings(""), "Lee Lead")).toEqual({ name: "Lee Lead", phone: "" });
  });
});
