// What the live pages show, through the domain on a real database: each waiting page's state in
// easy-read words, the console's view of a session, and pages that go away and come back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ctx } from "../../src/domain/context.ts";
import { consoleSnapshot, pageConnected, pageGone, pageOwner, pageStates } from "../../src/domain/live.ts";
import { resolveLogin } from "../../src/domain/staff.ts";
import { loginTokenOf } from "../helpers/app.ts";
import { providers } from "../helpers/db.ts";
import { addMember, call, enterWaiting, type Org, readyToAdmit, schedule, startOrg } from "../helpers/scenario.ts";

describe.each(providers)("live pages on %s", (provider) => {
  let org: Org;
  let ctx: Ctx;
  beforeAll(async () => {
    org = await startOrg(provider);
    ctx = org.app.ctx;
  });
  afterAll(async () => org?.t.close());

  const act = async (sessionId: string, attendeeId: string, step: string, payload?: object) => {
    const res = await call(org, "POST", `/api/sessions/${sessionId}/attendees/${attendeeId}/${step}`, org.lead, payload);
    expect(res.statusCode, res.body).toBe(200);
    return res;
  };

  it("tells each page where its person stands, in easy-read words, and leaves out links it does not know", async () => {
    const member = await addMember(org, { name: "Ana" });
    const early = (await schedule(org, [member.id])).attendees[0]!;
    await enterWaiting(org, early.invite);
    const { s, a: admitted } = await readyToAdmit(org, { name: "Bea" });
    await act(s.id, admitted.id, "admit");
    const other = await addMember(org, { name: "Cal" });
    const refusedIn = await schedule(org, [other.id]);
    const refused = refusedIn.attendees[0]!;
    await enterWaiting(org, refused.invite);
    await act(refusedIn.id, refused.id, "refuse", { message: "Not today, sorry." });

    const states = await pageStates(ctx, [early.invite, admitted.invite, refused.invite, "no-such-link"]);
    expect([...states.keys()].sort()).toEqual([early.invite, admitted.invite, refused.invite].sort());
    // Not started yet, and the carer has not said they are there: both, in words, and when it starts.
    expect(states.get(early.invite)).toMatchObject({ state: "waiting" });
    const reasons = (states.get(early.invite) as { reasons: string[] }).reasons;
    expect(reasons.at(-1)).toBe("The group starts on Tuesday 3 March at 2pm.");
    expect(reasons.length).toBeGreaterThan(1);
    expect(states.get(admitted.invite)).toMatchObject({ state: "admitted", livekitUrl: ctx.config.LIVEKIT_URL, token: expect.any(String) });
    expect(states.get(refused.invite)).toEqual({ type: "state", state: "refused", message: "Not today, sorry.", recording: false });
  });

  /** The context, with the transactions opened through it counted. */
  function countingTransactions() {
    let opened = 0;
    const counted: Ctx = {
      ...ctx,
      transaction: (work, options) => {
        opened++;
        return ctx.transaction(work, options);
      },
    };
    return { counted, transactions: () => opened };
  }

  it("waiting pages are told why they wait without a transaction; a token only ever comes from one", async () => {
    const member = await addMember(org, { name: "Gus" });
    const waiting = (await schedule(org, [member.id])).attendees[0]!;
    await enterWaiting(org, waiting.invite);
    const { s, a } = await readyToAdmit(org, { name: "Hal" });
    const { counted, transactions } = countingTransactions();
    expect((await pageStates(counted, [waiting.invite, a.invite])).get(a.invite)).toMatchObject({ state: "waiting" });
    expect(transactions()).toBe(0);
    await act(s.id, a.id, "admit");
    const states = await pageStates(counted, [waiting.invite, a.invite]);
    expect(states.get(a.invite)).toMatchObject({ state: "admitted", token: expect.any(String) });
    expect(states.get(waiting.invite)).toMatchObject({ state: "waiting" });
    expect(transactions()).toBe(1);
  });

  it("news of an admission goes straight to the transaction, and news gone stale still gives every page its true state", async () => {
    const { s, a } = await readyToAdmit(org, { name: "Ida" });
    const { counted, transactions } = countingTransactions();
    // Stale: the news said admitted, but nobody is (yet, or any more).
    expect((await pageStates(counted, [a.invite], { admittedNews: true })).get(a.invite)).toMatchObject({ state: "waiting" });
    expect(transactions()).toBe(1);
    await act(s.id, a.id, "admit");
    const fresh = await pageStates(counted, [a.invite], { admittedNews: true });
    expect(fresh.get(a.invite)).toMatchObject({ state: "admitted", token: expect.any(String) });
    expect(transactions()).toBe(2);
  });

  it("a page for an ended session or a reissued link is told so, and the socket's owner check refuses it", async () => {
    const member = await addMember(org, { name: "Dan" });
    const s = await schedule(org, [member.id]);
    const a = s.attendees[0]!;
    expect(await pageOwner(ctx, a.invite)).toEqual({ attendeeId: a.id, sessionId: s.id });
    await act(s.id, a.id, "reissue");
    expect((await pageStates(ctx, [a.invite])).get(a.invite)).toMatchObject({ state: "ended" });
    await expect(pageOwner(ctx, a.invite)).rejects.toMatchObject({ statusCode: 410, code: "R10.link-revoked" });
    await expect(pageOwner(ctx, "no-such-link")).rejects.toMatchObject({ statusCode: 404 });
  });

  it("someone whose page has gone leaves the waiting list and comes back with it; someone admitted stays admitted", async () => {
    const { s, a } = await readyToAdmit(org, { name: "Eve" });
    await pageGone(ctx, a.id);
    await pageGone(ctx, a.id);
    expect((await org.t.database.db.attendee.findUniqueOrThrow({ where: { id: a.id } })).state).toBe("away");
    await pageConnected(ctx, a.id);
    expect((await org.t.database.db.attendee.findUniqueOrThrow({ where: { id: a.id } })).state).toBe("waiting");
    const audit = await org.t.database.db.auditEvent.findMany({
      where: { subjectId: a.id, action: { in: ["waiting.left", "waiting.returned"] } },
    });
    expect(audit.map((e) => e.action).sort()).toEqual(["waiting.left", "waiting.returned"]);

    await act(s.id, a.id, "admit");
    await pageGone(ctx, a.id);
    expect((await org.t.database.db.attendee.findUniqueOrThrow({ where: { id: a.id } })).state).toBe("admitted");
  });

  it("the console sees each waiting person with their checks, and who is in the room by name", async () => {
    const { s, a } = await readyToAdmit(org, { name: "Fay" });
    const lead = (await resolveLogin(ctx, loginTokenOf(org.lead)))!;
    const snapshot = await consoleSnapshot(ctx, s.id, lead);
    expect(snapshot.waiting).toMatchObject([{ attendeeId: a.id, displayName: "Fay", state: "waiting", eligible: true }]);
    expect(snapshot.waiting[0]!.checks.every((c) => c.outcome !== "fail")).toBe(true);
    expect(snapshot.inRoom).toEqual([{ identity: `staff:${org.leadId}`, name: "Lee Lead", staff: true, recordingConsent: false }]);
  });
});
