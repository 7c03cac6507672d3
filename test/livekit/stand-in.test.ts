// What only the stand-in can show without a browser: participants "connecting" with a token, as
// LiveKit's signalling checks it, and the webhooks that follow; and egress, which LiveKit's own
// server here cannot run (it has no egress service), through the SDK's own EgressClient. The RoomService and signalling
// checks it shares with LiveKit's own server are in contract.test.ts.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  AccessToken,
  EgressClient,
  EgressStatus,
  EncodedFileOutput,
  RoomServiceClient,
  type WebhookEvent,
  WebhookReceiver,
} from "livekit-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LiveKitStandIn } from "./stand-in.ts";

describe("LiveKit stand-in", () => {
  const received: { event: WebhookEvent | null; error?: string }[] = [];
  const receiver = new WebhookReceiver("devkey", "secret");
  const hooks = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    try {
      if (req.headers["content-type"] !== "application/webhook+json") throw new Error("wrong content type");
      received.push({ event: await receiver.receive(body, req.headers.authorization) });
      res.writeHead(200).end();
    } catch (err) {
      received.push({ event: null, error: String(err) });
      res.writeHead(401).end();
    }
  });
  let standIn: LiveKitStandIn;
  let rooms: RoomServiceClient;

  beforeAll(async () => {
    await new Promise<void>((resolve) => hooks.listen(0, "127.0.0.1", resolve));
    standIn = new LiveKitStandIn({ webhookUrl: `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/` });
    rooms = new RoomServiceClient(await standIn.start(), "devkey", "secret");
  });
  afterAll(async () => {
    await standIn.stop();
    hooks.close();
  });

  const tokenFor = async (identity: string, grant: Record<string, unknown>, secret = "secret", ttl: number | string = 600) => {
    const at = new AccessToken("devkey", secret, { identity, ttl });
    at.addGrant(grant);
    return at.toJwt();
  };

  it("connects a participant whose token is valid, and LiveKit's webhook verifier accepts what it sends", async () => {
    await rooms.createRoom({ name: "r1" });
    await standIn.connect(await tokenFor("alice", { roomJoin: true, room: "r1" }));
    expect((await rooms.listParticipants("r1")).map((p) => p.identity)).toEqual(["alice"]);
    await standIn.flushWebhooks();
    const events = received.filter((r) => r.event).map((r) => r.event!.event);
    expect(events).toEqual(["room_started", "participant_joined"]);
    const joined = received.at(-1)!.event!;
    expect(joined.participant?.identity).toBe("alice");
    expect(joined.room?.name).toBe("r1");
    expect(joined.id).toMatch(/^EV_/);
  });

  it("refuses tokens LiveKit refuses: wrong secret, expired, no roomJoin, full room", async () => {
    await expect(standIn.connect(await tokenFor("mallory", { roomJoin: true, room: "r1" }, "not-the-secret"))).rejects.toThrow(
      /unauthorized/,
    );
    await expect(standIn.connect(await tokenFor("mallory", { roomJoin: true, room: "r1" }, "secret", -10))).rejects.toThrow(/unauthorized/);
    await expect(standIn.connect(await tokenFor("mallory", { room: "r1" }))).rejects.toThrow(/roomJoin/);
    await rooms.createRoom({ name: "tiny", maxParticipants: 1 });
    await standIn.connect(await tokenFor("one", { roomJoin: true, room: "tiny" }));
    await expect(standIn.connect(await tokenFor("two", { roomJoin: true, room: "tiny" }))).rejects.toThrow(/full/);
  });

  it("removing a participant and deleting a room send participant_left and room_finished", async () => {
    await rooms.removeParticipant("r1", "alice");
    await rooms.deleteRoom("r1");
    await standIn.flushWebhooks();
    const tail = received.slice(-2).map((r) => r.event?.event);
    expect(tail).toEqual(["participant_left", "room_finished"]);
  });

  it("records a room through the SDK's EgressClient: started, active, ending, complete with its file; LiveKit's errors", async () => {
    const url = standIn.url;
    const egress = new EgressClient(url, "devkey", "secret");
    await rooms.createRoom({ name: "rec" });
    await expect(egress.startRoomCompositeEgress("nowhere", { file: new EncodedFileOutput({ filepath: "x" }) })).rejects.toMatchObject({
      status: 404,
      code: "not_found",
    });
    const started = await egress.startRoomCompositeEgress("rec", {
      file: new EncodedFileOutput({ filepath: "recordings/{room_name}-{time}" }),
    });
    expect(started).toMatchObject({ roomName: "rec", status: EgressStatus.EGRESS_STARTING });
    expect(started.egressId).toMatch(/^EG_/);
    expect((await egress.listEgress({ roomName: "rec", active: true })).map((e) => e.egressId)).toEqual([started.egressId]);
    const stopping = await egress.stopEgress(started.egressId);
    expect(stopping.status).toBe(EgressStatus.EGRESS_ENDING);
    await standIn.flushWebhooks();
    const egressEvents = received.filter((r) => r.event?.egressInfo?.egressId === started.egressId).map((r) => r.event!);
    expect(egressEvents.map((e) => [e.event, e.egressInfo!.status])).toEqual([
      ["egress_started", EgressStatus.EGRESS_STARTING],
      ["egress_updated", EgressStatus.EGRESS_ACTIVE],
      ["egress_updated", EgressStatus.EGRESS_ENDING],
      ["egress_ended", EgressStatus.EGRESS_COMPLETE],
    ]);
    expect(egressEvents.at(-1)!.egressInfo!.fileResults[0]!.filename).toMatch(/^recordings\/rec-\d{8}T\d{6}\.mp4$/);
    expect(await egress.listEgress({ roomName: "rec", active: true })).toEqual([]);
    await expect(egress.stopEgress(started.egressId)).rejects.toMatchObject({ status: 412, code: "failed_precondition" });
    await expect(egress.stopEgress("EG_nope")).rejects.toMatchObject({ status: 404, code: "not_found" });
    const denied = new EgressClient(url, "devkey", "not-the-secret");
    await expect(denied.listEgress({ roomName: "rec" })).rejects.toMatchObject({ status: 401 });
  });

  it("its webhook signatures are checked: a forged body is refused by the SDK's receiver", async () => {
    const body = JSON.stringify({ event: "participant_joined", id: "EV_forged" });
    expect(await standIn.postWebhook(body, { secret: "not-the-secret" })).toBe(401);
    expect(await standIn.postWebhook(body, { sha256: "AAAA" })).toBe(401);
    expect(await standIn.postWebhook(body)).toBe(200);
  });
});
