// The live waiting room over real sockets, with the LiveKit stand-in sending real webhooks.
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { providers } from "../helpers/db.ts";
import {
  addMember,
  call,
  clock,
  confirmCarer,
  enterWaiting,
  joinRoom,
  type Org,
  readyToAdmit,
  schedule,
  startOrg,
  startSession,
} from "../helpers/scenario.ts";
import { state, TestSocket } from "../helpers/socket.ts";

describe.each(providers)("live waiting room on %s", (provider) => {
  let org: Org;
  let base: string;
  beforeAll(async () => {
    org = await startOrg(provider, { WAITING_GRACE_SECONDS: "0.3" });
    const address = await org.app.listen({ port: 0, host: "127.0.0.1" });
    base = address.replace("http:", "ws:");
  });
  afterAll(async () => org.t.close());
  beforeEach(() => {
    clock.now = new Date("2026-03-03T13:50:00Z");
  });

  const page = (invite: string) => TestSocket.open(`${base}/ws/join/${invite}`);
  const admit = (sessionId: string, attendeeId: string) =>
    call(org, "POST", `/api/sessions/${sessionId}/attendees/${attendeeId}/admit`, org.lead);

  it("pushes the admission and the token to that person's page only, which then gets into the room", async () => {
    const member = await addMember(org, { name: "Ann" });
    const other = await addMember(org, { name: "Ben" });
    const s = await schedule(org, [member.id, other.id]);
    const [a, b] = s.attendees;
    for (const x of [a!, b!]) {
      await confirmCarer(org, x.carer!);
      await enterWaiting(org, x.invite);
    }
    const pageA = await page(a!.invite);
    const pageB = await page(b!.invite);
    const waiting = await pageA.next(state("waiting"));
    expect(waiting.reasons).toEqual(expect.arrayContaining([expect.stringContaining("The group starts on Tuesday 3 March at 2pm")]));

    await startSession(org, s.id);
    await pageA.next((m) => m.type === "state" && m.state === "waiting" && (m.reasons as string[]).includes("Staff will let you in soon."));
    expect((await admit(s.id, a!.id)).statusCode).toBe(200);
    const admitted = await pageA.next(state("admitted"));
    expect(admitted.token).toEqual(expect.any(String));
    expect(admitted.livekitUrl).toBe(org.livekit.url.replace("http:", "ws:"));
    await new Promise((r) => setTimeout(r, 100));
    expect(pageB.messages.some((m) => "token" in m)).toBe(false);

    const connected = await joinRoom(org, admitted.token as string);
    expect(connected.identity).toBe(a!.id);
    expect(org.livekit.identities(connected.room)).toContain(a!.id);
    const attendance = await org.t.database.db.attendance.findMany({ where: { sessionId: s.id, identity: a!.id } });
    expect(attendance.map((r) => r.event)).toEqual(["joined"]);
    await Promise.all([pageA.close(), pageB.close()]);
  });

  it("sending someone back takes them out of the room, and their old token is refused by enforcement", async () => {
    const { s, a } = await readyToAdmit(org);
    const p = await page(a.invite);
    await admit(s.id, a.id);
    const { token } = await p.next(state("admitted"));
    const joined = await joinRoom(org, token as string);
    expect((await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/return-to-waiting`, org.lead)).statusCode).toBe(200);
    await p.next(state("returned"));
    expect(org.livekit.identities(joined.room)).not.toContain(a.id);

    // The old token still verifies at LiveKit (tokens are not revoked), so the gatekeeper removes them.
    await joinRoom(org, token as string);
    expect(org.livekit.identities(joined.room)).not.toContain(a.id);
    const audit = await org.t.database.db.auditEvent.findMany({ where: { sessionId: s.id, action: "enforcement.removed" } });
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.data).reason).toMatch(/not admitted/);

    // Let in again: a new admission, a new token, and the old one is still refused.
    await admit(s.id, a.id);
    p.clear();
    const fresh = await p.next(state("admitted"));
    await joinRoom(org, fresh.token as string);
    expect(org.livekit.identities(joined.room)).toContain(a.id);
    await joinRoom(org, token as string);
    expect(org.livekit.identities(joined.room)).not.toContain(a.id);
    await p.close();
  });

  it("when the last member of staff leaves, members go back to the waiting room and the console is told", async () => {
    const { s, a } = await readyToAdmit(org);
    const consoleSocket = await TestSocket.open(`${base}/ws/console/sessions/${s.id}`, { cookie: org.lead });
    await consoleSocket.next((m) => m.type === "snapshot");
    const p = await page(a.invite);
    await admit(s.id, a.id);
    const { token } = await p.next(state("admitted"));
    const room = (await joinRoom(org, token as string)).room;
    org.livekit.disconnect(room, `staff:${org.leadId}`);
    await org.livekit.flushWebhooks();
    await p.next(state("returned"));
    expect(org.livekit.identities(room)).toEqual([]);
    const alert = await consoleSocket.next((m) => m.type === "alert" && m.kind === "last-staff-left");
    expect(alert.text).toMatch(/1 sent back/);
    expect((await admit(s.id, a.id)).statusCode).toBe(409);
    await Promise.all([p.close(), consoleSocket.close()]);
  });

  it("ignores a forged webhook and a replayed one", async () => {
    const { s, a } = await readyToAdmit(org);
    await admit(s.id, a.id);
    const p = await page(a.invite);
    const { token } = await p.next(state("admitted"));
    await joinRoom(org, token as string);
    const sent = org.livekit.webhooksSent.at(-1)!;
    expect(sent).toMatchObject({ event: "participant_joined", status: 200 });
    const before = await org.t.database.db.attendance.count({ where: { sessionId: s.id } });
    expect(await org.livekit.postWebhook(sent.body)).toBe(200);
    expect(await org.t.database.db.attendance.count({ where: { sessionId: s.id } })).toBe(before);

    const forged = sent.body
      .replace(/"identity":"[^"]+"/, `"identity":"staff:${org.secondId}"`)
      .replace(/"id":"EV_[^"]+"/, '"id":"EV_forged"');
    expect(await org.livekit.postWebhook(forged, { secret: "wrong-secret" })).toBe(401);
    expect(await org.livekit.postWebhook(forged, { sha256: "bm90IHRoZSBib2R5" })).toBe(401);
    const unsigned = await org.app.inject({
      method: "POST",
      url: "/webhooks/livekit",
      headers: { "content-type": "application/webhook+json" },
      payload: forged,
    });
    expect(unsigned.statusCode).toBe(401);
    expect(await org.t.database.db.attendance.count({ where: { sessionId: s.id } })).toBe(before);
    await p.close();
  });

  it("a page that goes away leaves the waiting list after the grace period and comes back when it reconnects", async () => {
    const { s, a } = await readyToAdmit(org);
    const first = await page(a.invite);
    await first.next(state("waiting"));
    await first.close();
    await new Promise((r) => setTimeout(r, 600));
    expect((await org.t.database.db.attendee.findUniqueOrThrow({ where: { id: a.id } })).state).toBe("away");
    const detail = (await call(org, "GET", `/api/sessions/${s.id}`, org.lead)).json().session;
    expect(detail.attendees[0].eligible).toBe(false);

    const again = await page(a.invite);
    await again.next(state("waiting"));
    expect((await org.t.database.db.attendee.findUniqueOrThrow({ where: { id: a.id } })).state).toBe("waiting");
    expect((await admit(s.id, a.id)).statusCode).toBe(200);
    await again.close();
  });

  it("a quick reconnect keeps the person in the waiting list", async () => {
    const { a } = await readyToAdmit(org);
    const first = await page(a.invite);
    await first.next(state("waiting"));
    await first.close();
    const second = await page(a.invite);
    await second.next(state("waiting"));
    await new Promise((r) => setTimeout(r, 600));
    expect((await org.t.database.db.attendee.findUniqueOrThrow({ where: { id: a.id } })).state).toBe("waiting");
    await second.close();
  });

  it("R13: when the guidelines change, open waiting pages are asked to agree again at once", async () => {
    const { s, a } = await readyToAdmit(org);
    const p = await page(a.invite);
    await p.next(state("waiting"));
    const published = await call(org, "PUT", "/api/guidelines/member", org.admin, { lines: ["Be kind.", "Mute when others talk."] });
    expect(published.statusCode).toBe(201);
    const asked = await p.next((m) => m.type === "state" && m.needsAgreement === true);
    expect(asked.reasons).toContain("Please read the group rules and say yes.");
    expect((await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/admit`, org.lead)).statusCode).toBe(409);
    p.clear();
    expect((await call(org, "POST", `/api/join/${a.invite}`, undefined, { agreedToGuidelines: true })).statusCode).toBe(200);
    const again = await p.next(state("waiting"));
    expect(again.needsAgreement).toBeUndefined();
    expect((await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/admit`, org.lead)).statusCode).toBe(200);
    await p.close();
  });

  it("staff messages reach the waiting page at once", async () => {
    const { s, a } = await readyToAdmit(org);
    const p = await page(a.invite);
    await call(org, "POST", `/api/sessions/${s.id}/message`, org.lead, { text: "We start in two minutes." });
    expect((await p.next((m) => m.type === "message")).text).toBe("We start in two minutes.");
    await p.close();
  });

  it("refusing shows the message on the page; ending tells everyone still waiting and closes their pages", async () => {
    const one = await addMember(org, { name: "Cat" });
    const two = await addMember(org, { name: "Dan" });
    const s = await schedule(org, [one.id, two.id]);
    for (const x of s.attendees) {
      await confirmCarer(org, x.carer!);
      await enterWaiting(org, x.invite);
    }
    await startSession(org, s.id);
    const [p1, p2] = await Promise.all(s.attendees.map((x) => page(x.invite)));
    await call(org, "POST", `/api/sessions/${s.id}/attendees/${s.attendees[0]!.id}/refuse`, org.lead, { message: "Not today, sorry." });
    expect((await p1!.next(state("refused"))).message).toBe("Not today, sorry.");
    await call(org, "POST", `/api/sessions/${s.id}/end`, org.lead);
    expect((await p2!.next(state("ended"))).reasons).toEqual(["The group has finished."]);
    expect(await p2!.closed).toBe(1000);
    await expect(page(s.attendees[1]!.invite)).rejects.toThrow(/410/);
  });

  it("the console socket needs a signed-in member of the session's staff, checked before the upgrade", async () => {
    const { s } = await readyToAdmit(org);
    await expect(TestSocket.open(`${base}/ws/console/sessions/${s.id}`)).rejects.toThrow(/401/);
    await expect(TestSocket.open(`${base}/ws/console/sessions/${s.id}`, { cookie: org.other })).rejects.toThrow(/403/);
    await expect(TestSocket.open(`${base}/ws/join/${"x".repeat(43)}`)).rejects.toThrow(/404/);
  });

  it("the console sees the waiting list with rule states, a knock when someone arrives, and a carer withdrawing", async () => {
    const member = await addMember(org, { name: "Eve" });
    const s = await schedule(org, [member.id]);
    const a = s.attendees[0]!;
    await startSession(org, s.id);
    const c = await TestSocket.open(`${base}/ws/console/sessions/${s.id}`, { cookie: org.second });
    const first = await c.next((m) => m.type === "snapshot");
    expect(first.waiting).toEqual([]);
    expect(first.inRoom).toEqual([{ identity: `staff:${org.leadId}`, name: "Lee Lead", staff: true, recordingConsent: false }]);

    await enterWaiting(org, a.invite);
    expect((await c.next((m) => m.type === "alert" && m.kind === "knock")).text).toMatch(/Eve/);
    const withEve = await c.next((m) => m.type === "snapshot" && (m.waiting as unknown[]).length === 1);
    const eve = (withEve.waiting as { eligible: boolean; checks: { rule: string; outcome: string }[] }[])[0]!;
    expect(eve.eligible).toBe(false);
    expect(eve.checks.find((x) => x.rule === "R2.carer-present")?.outcome).toBe("fail");

    await confirmCarer(org, a.carer!);
    await c.next((m) => m.type === "snapshot" && (m.waiting as { eligible: boolean }[])[0]?.eligible === true);
    await admit(s.id, a.id);
    await call(org, "POST", `/api/carer/${a.carer}/withdraw`);
    expect((await c.next((m) => m.type === "alert" && m.kind === "carer-withdrew")).text).toMatch(/Eve/);
    await c.close();
  });
});

describe("page sockets", () => {
  let org: Org;
  let base: string;
  beforeAll(async () => {
    org = await startOrg("sqlite");
    base = (await org.app.listen({ port: 0, host: "127.0.0.1" })).replace("http:", "ws:");
  });
  afterAll(async () => org.t.close());

  /** The waiting-page address of a new member who has entered the waiting room. */
  async function waitingPageUrl(): Promise<string> {
    const member = await addMember(org);
    const s = await schedule(org, [member.id]);
    await enterWaiting(org, s.attendees[0]!.invite);
    return `${base}/ws/join/${s.attendees[0]!.invite}`;
  }

  it("an open waiting page keeps nothing of the HTTP request that opened it", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const url = await waitingPageUrl();
    let request: WeakRef<IncomingMessage> | undefined;
    org.app.websocketServer.once("connection", (_socket: unknown, req: IncomingMessage) => {
      request = new WeakRef(req);
    });
    const page = await TestSocket.open(url);
    await page.next(state("waiting"));
    expect(request).toBeDefined();
    // A WeakRef made in this job holds its target until the job ends: collect in later ones.
    await expect
      .poll(async () => {
        await new Promise((r) => setTimeout(r, 10));
        gc();
        return request!.deref();
      })
      .toBeUndefined();
    // The page still works without it.
    page.ws.send(JSON.stringify({ type: "ping" }));
    await page.next((m) => m.type === "pong");
    page.ws.close();
  });

  it("a page that sends a broken frame is closed as a protocol error, and the server carries on", async () => {
    const url = await waitingPageUrl();
    const broken = await TestSocket.open(url);
    await broken.next(state("waiting"));
    // A final frame with opcode 3, which RFC 6455 reserves.
    (broken.ws as unknown as { _socket: Socket })._socket.write(Buffer.from([0x83, 0x80, 0, 0, 0, 0]));
    expect(await broken.closed).toBe(1002);
    const again = await TestSocket.open(url);
    await again.next(state("waiting"));
    again.ws.close();
  });
});

describe("LiveKit slow", () => {
  it("a video server that has not answered yet does not hold up the waiting room while a session starts", async () => {
    const org = await startOrg("sqlite");
    let release = () => {};
    try {
      const member = await addMember(org);
      const s = await schedule(org, [member.id]);
      org.livekit.gate = new Promise((resolve) => {
        release = resolve;
      });
      const starting = call(org, "POST", `/api/sessions/${s.id}/start`, org.lead, {});
      await expect.poll(() => org.livekit.calls.some((c) => c.method === "CreateRoom")).toBe(true);
      // CreateRoom is still unanswered: a write must go through all the same.
      const confirmed = await call(org, "POST", `/api/carer/${s.attendees[0]!.carer}/confirm`, undefined, {
        present: true,
        agreedToTerms: true,
      });
      expect(confirmed.statusCode).toBe(200);
      release();
      expect((await starting).statusCode).toBe(200);
    } finally {
      release();
      await org.t.close();
    }
  });
});

describe("LiveKit unreachable", () => {
  it("a session cannot start, the waiting room keeps working, and /readyz says so", async () => {
    const org = await startOrg("sqlite");
    try {
      org.livekit.up = false;
      const member = await addMember(org);
      const s = await schedule(org, [member.id]);
      await enterWaiting(org, s.attendees[0]!.invite);
      const start = await call(org, "POST", `/api/sessions/${s.id}/start`, org.lead, {});
      expect(start.statusCode).toBe(503);
      expect(start.json().error.code).toBe("livekit_unreachable");
      expect((await call(org, "GET", `/api/sessions/${s.id}`, org.lead)).json().session.status).toBe("scheduled");
      expect((await call(org, "GET", "/readyz")).json().checks.livekit).toBe("unreachable");
      org.livekit.up = true;
      expect((await call(org, "GET", "/readyz")).json().checks.livekit).toBe("ok");
      const started = await startSession(org, s.id);
      expect(started.session.status).toBe("live");
      const created = org.livekit.calls.find((c) => c.method === "CreateRoom");
      expect(created?.body).toMatchObject({ maxParticipants: 3, emptyTimeout: 600, departureTimeout: 20 });
    } finally {
      await org.t.close();
    }
  });
});
