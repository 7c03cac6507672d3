// Attendance, through the domain on a real database and the LiveKit stand-in: what LiveKit saw
// is recorded once, someone in the room whose admission is not current is removed, the last
// member of staff leaving sends members back (R5), and reconciling makes good lost webhooks.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { BusEvent } from "../../src/contract/bus.ts";
import { applySighting, reconcile, recordRoomFinished } from "../../src/domain/attendance.ts";
import type { Ctx } from "../../src/domain/context.ts";
import { connectionDetails } from "../../src/domain/invitee.ts";
import { providers } from "../helpers/db.ts";
import { call, clock, type Org, readyToAdmit, startOrg } from "../helpers/scenario.ts";

describe.each(providers)("attendance on %s", (provider) => {
  let org: Org;
  let ctx: Ctx;
  let deliver: Org["livekit"]["deliver"];
  beforeAll(async () => {
    org = await startOrg(provider);
    ctx = org.app.ctx;
    deliver = org.livekit.deliver;
  });
  afterEach(() => {
    org.livekit.deliver = deliver;
  });
  afterAll(async () => org?.t.close());

  /** A live session with the lead in the room and one member admitted; the member's token. */
  const admitted = async () => {
    const ready = await readyToAdmit(org);
    const res = await call(org, "POST", `/api/sessions/${ready.s.id}/attendees/${ready.a.id}/admit`, org.lead);
    expect(res.statusCode, res.body).toBe(200);
    const connection = await connectionDetails(ctx, ready.a.invite);
    if (!connection.ok) throw new Error("no token");
    const { roomName } = await org.t.database.db.session.findUniqueOrThrow({ where: { id: ready.s.id } });
    return { ...ready, roomName, token: connection.participant_token };
  };
  const loseWebhooks = () => {
    org.livekit.deliver = async () => 200;
  };
  const attendanceOf = (sessionId: string, identity: string) =>
    org.t.database.db.attendance.findMany({ where: { sessionId, identity }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  const auditOf = (sessionId: string, action: string) => org.t.database.db.auditEvent.findMany({ where: { sessionId, action } });

  it("a sighting delivered twice is recorded once", async () => {
    const { s, a, roomName } = await admitted();
    const sighting = { eventId: `EV_twice_${a.id}`, event: "left" as const, identity: a.id, metadata: "", at: clock.now };
    await applySighting(ctx, roomName, sighting);
    await applySighting(ctx, roomName, sighting);
    expect((await attendanceOf(s.id, a.id)).filter((r) => r.eventId === sighting.eventId)).toHaveLength(1);
    expect(await auditOf(s.id, "attendance.left")).toHaveLength(1);
  });

  it("someone who joins with a token from an earlier admission is removed from the room, and staff are told", async () => {
    const { s, a, roomName, token } = await admitted();
    // Sent back and let in again: the first token's admission is no longer current.
    for (const step of ["return-to-waiting", "admit"]) {
      const res = await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/${step}`, org.lead);
      expect(res.statusCode, res.body).toBe(200);
    }
    loseWebhooks();
    const joined = await org.livekit.connect(token);
    expect(org.livekit.identities(roomName)).toContain(a.id);
    const alerts: BusEvent[] = [];
    const stop = ctx.bus.subscribe((e) => e.type === "alert" && alerts.push(e));
    try {
      await applySighting(ctx, roomName, {
        eventId: `EV_old_${a.id}`,
        event: "joined",
        identity: a.id,
        metadata: joined.metadata,
        at: clock.now,
      });
      await new Promise((resolve) => setImmediate(resolve)); // the bus delivers on a later tick
    } finally {
      stop();
    }
    expect(org.livekit.identities(roomName)).not.toContain(a.id);
    expect((await auditOf(s.id, "enforcement.removed")).map((e) => JSON.parse(e.data ?? "null"))).toEqual([
      { reason: "joined with a token from an earlier admission" },
    ]);
    expect(alerts).toMatchObject([{ sessionId: s.id, kind: "unexpected-participant" }]);
  });

  it("the last member of staff leaving sends everyone admitted back to the waiting room, each as a decision", async () => {
    const { s, a, roomName } = await admitted();
    await applySighting(ctx, roomName, {
      eventId: `EV_lead_left_${s.id}`,
      event: "left",
      identity: `staff:${org.leadId}`,
      metadata: "",
      at: clock.now,
    });
    const attendee = await org.t.database.db.attendee.findUniqueOrThrow({ where: { id: a.id } });
    expect(attendee.state).toBe("returned");
    const decisions = await org.t.database.db.admissionDecision.findMany({ where: { attendeeId: a.id }, orderBy: { createdAt: "asc" } });
    expect(decisions.map((d) => [d.action, d.staffId, d.message])).toEqual([
      ["admit", org.leadId, null],
      ["return", null, "The last member of staff left the room."],
    ]);
    // The admission kept the engine's checks; a return needs none, kept as an empty list.
    expect(decisions[0]!.checks).toEqual(expect.arrayContaining([expect.objectContaining({ rule: "R1.waiting-room", outcome: "pass" })]));
    expect(decisions[1]!.checks).toEqual([]);
  });

  it("reconciling records a join and a leave whose webhooks were lost", async () => {
    const { s, a, roomName, token } = await admitted();
    loseWebhooks();
    await org.livekit.connect(token);
    await reconcile(ctx);
    expect((await attendanceOf(s.id, a.id)).map((r) => r.event)).toEqual(["joined"]);
    org.livekit.disconnect(roomName, a.id);
    await reconcile(ctx);
    await reconcile(ctx);
    expect((await attendanceOf(s.id, a.id)).map((r) => r.event)).toEqual(["joined", "left"]);
    // The member was let in and is still admitted; only their presence was recorded.
    expect((await org.t.database.db.attendee.findUniqueOrThrow({ where: { id: a.id } })).state).toBe("admitted");
  });

  it("the room finishing is recorded once, and not for a room the service does not know", async () => {
    const { s, roomName } = await admitted();
    await recordRoomFinished(ctx, roomName, `EV_finished_${s.id}`);
    await recordRoomFinished(ctx, roomName, `EV_finished_${s.id}`);
    await recordRoomFinished(ctx, "gk_not_ours", `EV_finished_elsewhere_${s.id}`);
    expect(await org.t.database.db.attendance.count({ where: { eventId: { startsWith: `EV_finished` }, sessionId: s.id } })).toBe(1);
    expect(await org.t.database.db.attendance.count({ where: { eventId: `EV_finished_elsewhere_${s.id}` } })).toBe(0);
  });
});
