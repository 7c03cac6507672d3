// Recording (R4, SPEC §8): a room is recorded only while every person in it, and everyone
// admitted to it, has recording consent; it stops at once when that stops being true; and every
// step is in the audit trail. Through the API, against the LiveKit stand-in's Egress service.

import { EgressClient, EncodedFileOutput } from "livekit-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleSnapshot, pageStates } from "../../src/domain/live.ts";
import { reconcileRecordings } from "../../src/domain/recording/recording.ts";
import { resolveLogin } from "../../src/domain/staff.ts";
import { loginTokenOf } from "../helpers/app.ts";
import { providers } from "../helpers/db.ts";
import {
  addDsl,
  addMember,
  call,
  confirmCarer,
  enterWaiting,
  joinRoom,
  type Org,
  schedule,
  startOrg,
  startSession,
} from "../helpers/scenario.ts";

describe.each(providers)("recording on %s", (provider) => {
  let org: Org;
  let dsl: string;
  beforeAll(async () => {
    org = await startOrg(provider);
    dsl = await addDsl(org);
  });
  afterAll(async () => org.t.close());

  /** Records consent of a type for a member, from the right person. */
  async function give(member: { id: string; carers: { id: string }[] }, type: string, livesWithCarer = true) {
    const res = await call(org, "POST", `/api/members/${member.id}/consents`, org.lead, {
      type,
      givenBy: livesWithCarer ? "carer" : "member",
      ...(livesWithCarer ? { carerId: member.carers[0]!.id } : {}),
      method: "written",
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().consent.id as string;
  }

  /** A live home session: the lead in the room, one member (with the consents named) admitted and connected. */
  async function liveWith(name: string, consents: string[], opts: { livesWithCarer?: boolean; volunteer?: string } = {}) {
    const livesWithCarer = opts.livesWithCarer ?? true;
    const member = await addMember(org, { name, livesWithCarer });
    const consentIds = new Map<string, string>();
    for (const type of consents) consentIds.set(type, await give(member, type, livesWithCarer));
    const s = await schedule(org, [member.id], opts.volunteer ? { volunteers: [{ displayName: opts.volunteer }] } : {});
    const a = s.attendees.find((x) => x.displayName === name)!;
    if (a.carer) await confirmCarer(org, a.carer);
    await enterWaiting(org, a.invite);
    await startSession(org, s.id, {});
    const admitted = await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/admit`, org.lead);
    expect(admitted.statusCode, admitted.body).toBe(200);
    const connection = await call(org, "POST", `/api/join/${a.invite}/connection`);
    await joinRoom(org, connection.json().participant_token);
    return { member, s, a, consentIds };
  }

  const startRecording = (sessionId: string, cookie = org.lead) => call(org, "POST", `/api/sessions/${sessionId}/recording`, cookie);
  const recordings = async (sessionId: string, cookie = org.lead) =>
    (await call(org, "GET", `/api/sessions/${sessionId}/recordings`, cookie)).json().recordings;
  const audit = async (sessionId: string) =>
    (
      await org.t.database.db.auditEvent.findMany({ where: { sessionId, action: { startsWith: "recording." } }, orderBy: { seq: "asc" } })
    ).map((e) => ({ action: e.action, data: JSON.parse(e.data) }));
  const refusal = (res: {
    statusCode: number;
    json: () => { error: { code: string; checks: { code: string; outcome: string; reason: string }[] } };
  }) => {
    expect(res.statusCode).toBe(409);
    const body = res.json();
    expect(body.error.code).toBe("policy_refused");
    const check = body.error.checks.find((c) => c.code === "R4.recording-consent");
    expect(check?.outcome).toBe("fail");
    return check!.reason;
  };

  it("refuses to start unless everyone has recording consent: the member's, from the carer; a volunteer's; the other staff member's", async () => {
    // The member lives with a carer: their own recording consent is the wrong person's.
    const { member, s } = await liveWith("Ana", ["video"], { volunteer: "Vic" });
    expect(refusal(await startRecording(s.id))).toContain("Ana has no recording consent on file (from their carer)");
    await call(org, "POST", `/api/members/${member.id}/consents`, org.lead, { type: "recording", givenBy: "member", method: "verbal" });
    expect(refusal(await startRecording(s.id))).toContain("Ana's recording consent must come from their carer");
    await give(member, "recording");

    // A volunteer admitted without saying yes for themselves.
    const vic = s.attendees.find((x) => x.displayName === "Vic")!;
    await enterWaiting(org, vic.invite);
    expect((await call(org, "POST", `/api/sessions/${s.id}/attendees/${vic.id}/admit`, org.lead)).statusCode).toBe(200);
    expect(refusal(await startRecording(s.id))).toContain("Vic has not said yes to being recorded");
    expect((await call(org, "POST", `/api/join/${vic.invite}/recording-consent`, undefined, { agreed: true })).statusCode).toBe(204);

    // The second member of staff in the room has not said yes.
    const join = await call(org, "POST", `/api/sessions/${s.id}/join`, org.second);
    await joinRoom(org, join.json().token);
    expect(refusal(await startRecording(s.id))).toMatch(/Sam|Second|has not said yes/);
    expect((await call(org, "POST", `/api/sessions/${s.id}/recording-consent`, org.second, { agreed: true })).statusCode).toBe(204);

    const started = await startRecording(s.id);
    expect(started.statusCode, started.body).toBe(201);
    expect(started.json().recording).toMatchObject({ egressId: expect.stringMatching(/^EG_/), status: expect.any(String) });
    await org.livekit.flushWebhooks();
    expect((await recordings(s.id))[0].status).toBe("active");
    const actions = (await audit(s.id)).map((e) => e.action);
    expect(actions.filter((a) => a === "recording.refused")).toHaveLength(4);
    expect(actions.slice(-3)).toEqual(["recording.requested", "recording.starting", "recording.active"]);
    // Who was present when it started is recorded with it.
    const requested = (await audit(s.id)).find((e) => e.action === "recording.requested")!;
    expect(requested.data.present).toHaveLength(4);
    // LiveKit was asked for a room composite of this session's room.
    const egress = org.livekit.egresses.get(started.json().recording.egressId)!;
    expect(org.livekit.identities(egress.roomName)).toContain(s.attendees[0]!.id);
  });

  it("a member's own consent counts when they live independently; staff see who lacks it, members nothing", async () => {
    const { member, s } = await liveWith("Bo", ["video"], { livesWithCarer: false });
    expect(refusal(await startRecording(s.id))).toContain("Bo has no recording consent on file (from them)");
    await give(member, "recording", false);
    expect((await startRecording(s.id)).statusCode).toBe(201);
    expect((await startRecording(s.id)).json().error.code).toBe("already_recording");
  });

  it("while recording, the pages of people in the room say so", async () => {
    const { s } = await liveWith("Cy", ["video", "recording"]);
    const [before] = (await pageStates(org.app.ctx, [s.attendees[0]!.invite])).values();
    expect(before).toMatchObject({ state: "admitted", recording: false });
    expect((await startRecording(s.id)).statusCode).toBe(201);
    await org.livekit.flushWebhooks();

    const [page] = (await pageStates(org.app.ctx, [s.attendees[0]!.invite])).values();
    expect(page).toMatchObject({ state: "admitted", recording: true });
  });

  it("admitting someone without recording consent while recording is refused, naming the stop", async () => {
    const ed = await addMember(org, { name: "Ed" });
    const fi = await addMember(org, { name: "Fi" });
    await give(ed, "recording");
    const s = await schedule(org, [ed.id, fi.id]);
    for (const a of s.attendees) {
      await confirmCarer(org, a.carer!);
      await enterWaiting(org, a.invite);
    }
    await startSession(org, s.id, {});
    const [edA, fiA] = [s.attendees.find((a) => a.displayName === "Ed")!, s.attendees.find((a) => a.displayName === "Fi")!];
    expect((await call(org, "POST", `/api/sessions/${s.id}/attendees/${edA.id}/admit`, org.lead)).statusCode).toBe(200);
    expect((await startRecording(s.id)).statusCode).toBe(201);
    const denied = await call(org, "POST", `/api/sessions/${s.id}/attendees/${fiA.id}/admit`, org.lead);
    expect(refusal(denied)).toContain("Stop the recording to let Fi in");
    const [page] = (await pageStates(org.app.ctx, [fiA.invite])).values();
    expect(page).toMatchObject({ state: "waiting", recording: true });
    expect(page!.reasons).toContain("Staff are recording the group now. Staff will talk to you.");
    // Stopped: Fi may come in.
    const stopped = await call(org, "DELETE", `/api/sessions/${s.id}/recording`, org.lead);
    expect(stopped.statusCode, stopped.body).toBe(200);
    await org.livekit.flushWebhooks();
    expect((await recordings(s.id))[0]).toMatchObject({ status: "complete", stoppedById: org.leadId, stopReason: "Stopped by staff." });
    expect((await call(org, "POST", `/api/sessions/${s.id}/attendees/${fiA.id}/admit`, org.lead)).statusCode).toBe(200);
    expect((await call(org, "DELETE", `/api/sessions/${s.id}/recording`, org.lead)).json().error.code).toBe("not_recording");
  });

  it("a withdrawal of recording consent by someone in the room stops the recording at once", async () => {
    const { member, s, consentIds } = await liveWith("Gus", ["video", "recording"]);
    expect((await startRecording(s.id)).statusCode).toBe(201);
    await org.livekit.flushWebhooks();
    const withdrawn = await call(org, "POST", `/api/members/${member.id}/consents/${consentIds.get("recording")}/withdraw`, org.lead, {
      reason: "Carer changed their mind",
    });
    expect(withdrawn.statusCode).toBe(201);
    await org.livekit.flushWebhooks();
    const [rec] = await recordings(s.id);
    expect(rec).toMatchObject({ status: "complete", stoppedById: null });
    expect(rec.stopReason).toContain("Recording consent was withdrawn.");
    expect(rec.stopReason).toContain("Gus's recording consent (from their carer) was withdrawn");
    const [page] = (await pageStates(org.app.ctx, [s.attendees[0]!.invite])).values();
    expect(page!.recording).toBe(false);
  });

  it("a person without consent appearing in the room stops it; so does a volunteer saying no", async () => {
    const { s } = await liveWith("Hal", ["video", "recording"], { volunteer: "Ivy" });
    expect((await startRecording(s.id)).statusCode).toBe(201);
    // The second member of staff joins without having said yes.
    const join = await call(org, "POST", `/api/sessions/${s.id}/join`, org.second);
    await joinRoom(org, join.json().token);
    await org.livekit.flushWebhooks();
    const [first] = await recordings(s.id);
    expect(first.status).toBe("complete");
    expect(first.stopReason).toContain("Someone without recording consent came into the room.");

    // Again with the second's yes; then the volunteer, admitted with a yes, changes their mind.
    await call(org, "POST", `/api/sessions/${s.id}/recording-consent`, org.second, { agreed: true });
    const ivy = s.attendees.find((x) => x.displayName === "Ivy")!;
    await enterWaiting(org, ivy.invite);
    await call(org, "POST", `/api/join/${ivy.invite}/recording-consent`, undefined, { agreed: true });
    expect((await call(org, "POST", `/api/sessions/${s.id}/attendees/${ivy.id}/admit`, org.lead)).statusCode).toBe(200);
    expect((await startRecording(s.id)).statusCode).toBe(201);
    await call(org, "POST", `/api/join/${ivy.invite}/recording-consent`, undefined, { agreed: false });
    await org.livekit.flushWebhooks();
    const [, second] = await recordings(s.id);
    expect(second.status).toBe("complete");
    expect(second.stopReason).toContain("Ivy said no to being recorded");
    // A member's link cannot answer for them: their consent is on file with staff.
    const member = await call(org, "POST", `/api/join/${s.attendees[0]!.invite}/recording-consent`, undefined, { agreed: true });
    expect(member.statusCode).toBe(409);
  });

  it("ending the session stops the recording; the audit trail has who started and stopped it and where the file is", async () => {
    const { s } = await liveWith("Jo", ["video", "recording", "social-media"]);
    expect((await startRecording(s.id)).statusCode).toBe(201);
    await org.livekit.flushWebhooks();
    expect((await call(org, "POST", `/api/sessions/${s.id}/end`, org.lead)).statusCode).toBe(200);
    await org.livekit.flushWebhooks();
    const [rec] = await recordings(s.id, dsl);
    expect(rec).toMatchObject({ status: "complete", stopReason: "The session ended.", stoppedById: org.leadId });
    expect(rec.location).toMatch(/^\/recordings\/recordings\/.+\.mp4$/);
    // The DSL sees where the file is and who was in it; the lead sees neither the location.
    expect((await recordings(s.id))[0].location).toBeUndefined();
    const names = rec.people.map((p: { name: string }) => p.name);
    expect(names).toContain("Jo");
    const jo = rec.people.find((p: { name: string }) => p.name === "Jo");
    expect(jo).toMatchObject({ socialMedia: true, mayBePosted: "may be posted: yes" });
    const lead = rec.people.find((p: { staff: boolean }) => p.staff);
    expect(lead.mayBePosted).toMatch(/^may be posted: no — .+ has not given consent$/);
    const actions = (await audit(s.id)).map((e) => e.action);
    expect(actions).toEqual([
      "recording.consent",
      "recording.requested",
      "recording.starting",
      "recording.active",
      "recording.stop",
      "recording.ending",
      "recording.complete",
    ]);
    const complete = (await audit(s.id)).at(-1)!;
    expect(complete.data.location).toBe(rec.location);
    // Every recording, for the DSL and admins only.
    expect((await call(org, "GET", "/api/recordings", dsl)).json().recordings.some((r: { id: string }) => r.id === rec.id)).toBe(true);
    expect((await call(org, "GET", "/api/recordings", org.lead)).statusCode).toBe(403);
  });

  it("lost egress webhooks are made good by reconciling with ListEgress", async () => {
    const { s } = await liveWith("Kit", ["video", "recording"]);
    org.livekit.dropWebhooks = new Set(["egress_started", "egress_updated", "egress_ended"]);
    try {
      expect((await startRecording(s.id)).statusCode).toBe(201);
      expect((await recordings(s.id))[0].status).toBe("starting");
      await reconcileRecordings(org.app.ctx);
      expect((await recordings(s.id))[0].status).toBe("active");
      await call(org, "DELETE", `/api/sessions/${s.id}/recording`, org.lead);
      expect((await recordings(s.id))[0].status).toBe("ending");
      await reconcileRecordings(org.app.ctx);
      const [rec] = await recordings(s.id, dsl);
      expect(rec.status).toBe("complete");
      expect(rec.location).toMatch(/\.mp4$/);
    } finally {
      org.livekit.dropWebhooks = new Set();
    }
  });

  it("a start whose answer was lost (the service stopped in between) is adopted from ListEgress, or marked failed after a minute", async () => {
    const { s } = await liveWith("Nia", ["video", "recording"]);
    const db = org.t.database.db;
    const session = await db.session.findUniqueOrThrow({ where: { id: s.id } });
    const at = org.app.ctx.now();
    // The lead said yes (as starting does), asked for it, and the service stopped before
    // LiveKit's answer was written down; its webhooks are lost too.
    await call(org, "POST", `/api/sessions/${s.id}/recording-consent`, org.lead, { agreed: true });
    const lost = await db.recording.create({ data: { sessionId: s.id, startedById: org.leadId, startedAt: at } });
    const egress = new EgressClient(org.livekit.url, "devkey", "secret");
    org.livekit.dropWebhooks = new Set(["egress_started", "egress_updated"]);
    let started: Awaited<ReturnType<typeof egress.startRoomCompositeEgress>>;
    try {
      started = await egress.startRoomCompositeEgress(session.roomName, { file: new EncodedFileOutput({ filepath: "x" }) });
      await reconcileRecordings(org.app.ctx);
    } finally {
      org.livekit.dropWebhooks = new Set();
    }
    expect(await db.recording.findUniqueOrThrow({ where: { id: lost.id } })).toMatchObject({
      egressId: started.egressId,
      status: "active",
    });
    await call(org, "DELETE", `/api/sessions/${s.id}/recording`, org.lead);
    await org.livekit.flushWebhooks();

    // Asked for, and LiveKit never started it: "on" (the safe side) until a minute has passed.
    const never = await db.recording.create({
      data: { sessionId: s.id, startedById: org.leadId, startedAt: new Date(at.getTime() - 30_000) },
    });
    await reconcileRecordings(org.app.ctx);
    expect((await db.recording.findUniqueOrThrow({ where: { id: never.id } })).status).toBe("requested");
    await db.recording.update({ where: { id: never.id }, data: { startedAt: new Date(at.getTime() - 61_000) } });
    await reconcileRecordings(org.app.ctx);
    expect(await db.recording.findUniqueOrThrow({ where: { id: never.id } })).toMatchObject({
      status: "failed",
      error: "LiveKit never answered.",
    });
  });

  it("the console's snapshot shows the recording and who may be recorded", async () => {
    const { s, a } = await liveWith("Ola", ["video", "recording"]);
    const lead = (await resolveLogin(org.app.ctx, loginTokenOf(org.lead)))!;
    const before = await consoleSnapshot(org.app.ctx, s.id, lead);
    expect(before.recording).toBeNull();
    expect(before.inRoom.find((p) => p.identity === a.id)?.recordingConsent).toBe(true);
    expect(before.inRoom.find((p) => p.staff)?.recordingConsent).toBe(false);
    expect((await startRecording(s.id)).statusCode).toBe(201);
    const during = await consoleSnapshot(org.app.ctx, s.id, lead);
    expect(during.recording).toMatchObject({ stopping: false });
    expect(during.inRoom.find((p) => p.staff)?.recordingConsent).toBe(true);
  });

  it("when LiveKit cannot record, the start fails plainly (503) and nothing is left recording", async () => {
    const { s } = await liveWith("Lu", ["video", "recording"]);
    org.livekit.up = false;
    try {
      const res = await startRecording(s.id);
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe("recording_unavailable");
    } finally {
      org.livekit.up = true;
    }
    expect((await recordings(s.id))[0]).toMatchObject({ status: "failed", egressId: null });
    const [page] = (await pageStates(org.app.ctx, [s.attendees[0]!.invite])).values();
    expect(page!.recording).toBe(false);
  });

  it("bad input changes nothing: a wrong body is 400; someone not assigned is 403", async () => {
    const { s } = await liveWith("Mo", ["video", "recording"]);
    expect((await call(org, "POST", `/api/sessions/${s.id}/recording-consent`, org.lead, { agreed: "yes" })).statusCode).toBe(400);
    expect((await startRecording(s.id, org.other)).statusCode).toBe(403);
    expect(await recordings(s.id)).toEqual([]);
  });
});
