// One contract, two servers: every check here runs against the stand-in in test/livekit and
// against LiveKit's own server (`livekit-server --dev`), through livekit-server-sdk's own
// RoomServiceClient and WebhookReceiver and through raw HTTP where the SDK hides the wire. When
// LiveKit changes, or the stand-in drifts from it, this file fails.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { AccessToken, RoomServiceClient, type WebhookEvent, WebhookReceiver } from "livekit-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { livekitRooms } from "../../src/adapters/livekit/rooms.ts";
import { livekitAvailable, startRealLiveKit } from "../helpers/livekit.ts";
import { LiveKitStandIn } from "./stand-in.ts";

interface Server {
  /** http://127.0.0.1:port */
  url: string;
  stop(): Promise<void>;
}

const servers: { name: string; available: boolean; start: (webhookUrl: string) => Promise<Server> }[] = [
  {
    name: "the stand-in",
    available: true,
    start: async (webhookUrl) => {
      const standIn = new LiveKitStandIn({ webhookUrl });
      return { url: await standIn.start(), stop: () => standIn.stop() };
    },
  },
  {
    name: "LiveKit's own server",
    available: livekitAvailable,
    start: async (webhookUrl) => {
      const real = await startRealLiveKit(webhookUrl);
      return { url: real.url.replace("ws:", "http:"), stop: () => real.stop() };
    },
  },
];

const tokenFor = async (grant: Record<string, unknown>, secret = "secret") => {
  const at = new AccessToken("devkey", secret, { identity: "checker", ttl: 600 });
  at.addGrant(grant);
  return at.toJwt();
};

describe.each(servers)("LiveKit's contract: $name", ({ available, start }) => {
  const received: { event?: WebhookEvent; contentType?: string; error?: string }[] = [];
  const receiver = new WebhookReceiver("devkey", "secret");
  const hooks = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    try {
      received.push({ event: await receiver.receive(body, req.headers.authorization), contentType: req.headers["content-type"] });
    } catch (err) {
      received.push({ error: String(err) });
    }
    res.writeHead(200).end();
  });
  let server: Server;
  let rooms: RoomServiceClient;
  const events = () => received.map((r) => r.event?.event ?? r.error);

  const twirp = async (method: string, body: string, authorization?: string, service = "RoomService") => {
    const res = await fetch(`${server.url}/twirp/livekit.${service}/${method}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(authorization ? { Authorization: authorization } : {}) },
      body,
    });
    return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
  };

  beforeAll(async () => {
    if (!available) return;
    await new Promise<void>((resolve) => hooks.listen(0, "127.0.0.1", resolve));
    server = await start(`http://127.0.0.1:${(hooks.address() as AddressInfo).port}/`);
    rooms = new RoomServiceClient(server.url, "devkey", "secret");
  });
  afterAll(async () => {
    await server?.stop();
    hooks.close();
  });

  it.skipIf(!available)("CreateRoom is an upsert: the first options stay; room_started is sent, signed as the SDK expects", async () => {
    const room = await rooms.createRoom({ name: "r1", maxParticipants: 3, emptyTimeout: 120, departureTimeout: 10 });
    expect(room).toMatchObject({ name: "r1", maxParticipants: 3, emptyTimeout: 120, departureTimeout: 10 });
    expect(room.sid).toMatch(/^RM_/);
    const again = await rooms.createRoom({ name: "r1", maxParticipants: 9 });
    expect(again).toMatchObject({ sid: room.sid, maxParticipants: 3 });
    expect((await rooms.listRooms(["r1"])).map((r) => r.name)).toEqual(["r1"]);
    await expect.poll(events).toEqual(["room_started"]);
    expect(received[0]).toMatchObject({ contentType: "application/webhook+json", event: { room: { name: "r1" } } });
    expect(received[0]!.event!.id).toMatch(/^EV_/);
  });

  it.skipIf(!available)("unknown rooms and participants: an empty list, or 404 not_found", async () => {
    expect(await rooms.listParticipants("nowhere")).toEqual([]);
    await expect(rooms.removeParticipant("r1", "nobody")).rejects.toMatchObject({ status: 404, code: "not_found" });
    await expect(rooms.removeParticipant("nowhere", "nobody")).rejects.toMatchObject({ status: 404, code: "not_found" });
    await expect(rooms.getParticipant("r1", "nobody")).rejects.toMatchObject({ status: 404, code: "not_found" });
    await expect(rooms.deleteRoom("nowhere")).rejects.toMatchObject({ status: 404, code: "not_found" });
  });

  it.skipIf(!available)("grants are checked: a Twirp 401 for a missing grant or header, plain text for a bad signature", async () => {
    const denied = { status: 401, type: "application/json", text: JSON.stringify({ code: "unauthenticated", msg: "permissions denied" }) };
    const listR1 = JSON.stringify({ room: "r1" });
    expect(await twirp("ListParticipants", listR1, `Bearer ${await tokenFor({ roomAdmin: true, room: "other" })}`)).toEqual(denied);
    expect(await twirp("ListParticipants", listR1, `Bearer ${await tokenFor({ roomList: true })}`)).toEqual(denied);
    expect(await twirp("CreateRoom", JSON.stringify({ name: "r2" }), `Bearer ${await tokenFor({ roomList: true })}`)).toEqual(denied);
    expect(await twirp("ListRooms", "{}")).toEqual(denied);
    const forged = await twirp("ListParticipants", listR1, `Bearer ${await tokenFor({ roomAdmin: true, room: "r1" }, "not-the-secret")}`);
    expect(forged.status).toBe(401);
    expect(forged.type).toMatch(/^text\/plain/);
    expect(forged.text).toMatch(/^invalid token/);
    const ok = await twirp("ListParticipants", listR1, `Bearer ${await tokenFor({ roomAdmin: true, room: "r1" })}`);
    expect(ok).toEqual({ status: 200, type: "application/json", text: expect.stringMatching(/^\{"participants":\[\]\}$/) });
  });

  it.skipIf(!available)(
    "the readiness probe (ListRooms through node:http): reachable with the right key, not with a wrong secret or nothing listening",
    async () => {
      expect(await livekitRooms(server.url, "devkey", "secret").reachable()).toBe(true);
      expect(await livekitRooms(server.url.replace("http:", "ws:"), "devkey", "secret").reachable()).toBe(true);
      expect(await livekitRooms(server.url, "devkey", "not-the-secret").reachable()).toBe(false);
      expect(await livekitRooms(server.url, "nokey", "secret").reachable()).toBe(false);
      expect(await livekitRooms("ws://127.0.0.1:1", "devkey", "secret").reachable()).toBe(false);
    },
  );

  it.skipIf(!available)("Egress needs the roomRecord grant on every call: a Twirp 401 without it", async () => {
    const denied = { status: 401, type: "application/json", text: JSON.stringify({ code: "unauthenticated", msg: "permissions denied" }) };
    const admin = `Bearer ${await tokenFor({ roomAdmin: true, roomCreate: true, roomList: true, room: "r1" })}`;
    const calls: [string, object][] = [
      ["StartRoomCompositeEgress", { roomName: "r1", file: { filepath: "x.mp4" } }],
      ["StopEgress", { egressId: "EG_nope" }],
      ["ListEgress", { roomName: "r1" }],
    ];
    for (const [method, body] of calls) {
      expect(await twirp(method, JSON.stringify(body), admin, "Egress"), method).toEqual(denied);
      expect(await twirp(method, JSON.stringify(body), undefined, "Egress"), method).toEqual(denied);
    }
  });

  it.skipIf(!available)("bad requests: malformed JSON is 400 malformed; an unknown method is 404 bad_route", async () => {
    const auth = `Bearer ${await tokenFor({ roomList: true })}`;
    const malformed = await twirp("ListRooms", "{nope", auth);
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.text)).toEqual({ code: "malformed", msg: "the json request could not be decoded" });
    const unknown = await twirp("Nope", "{}", auth);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toMatchObject({ code: "bad_route", msg: 'no handler for path "/twirp/livekit.RoomService/Nope"' });
  });

  it.skipIf(!available)("signalling checks the token before anything else: 401 plain text; /rtc/validate says why", async () => {
    const forged = await tokenFor({ roomJoin: true, room: "r1" }, "not-the-secret");
    const refused = await new Promise<{ status?: number; type?: string }>((resolve) => {
      const socket = new WebSocket(`${server.url.replace("http:", "ws:")}/rtc?access_token=${forged}`);
      socket.on("unexpected-response", (_req, res) => resolve({ status: res.statusCode, type: res.headers["content-type"] }));
      socket.on("open", () => {
        socket.close();
        resolve({});
      });
      socket.on("error", () => resolve({}));
    });
    expect(refused.status).toBe(401);
    expect(refused.type).toMatch(/^text\/plain/);
    const validate = async (token: string) => {
      const res = await fetch(`${server.url}/rtc/validate?access_token=${token}`);
      return { status: res.status, text: await res.text() };
    };
    expect(await validate(forged)).toMatchObject({ status: 401, text: expect.stringMatching(/^invalid token/) });
    expect(await validate(await tokenFor({ roomJoin: true, room: "r1" }))).toEqual({ status: 200, text: "success" });
  });

  it.skipIf(!available)("DeleteRoom closes the room and sends room_finished", async () => {
    await rooms.deleteRoom("r1");
    expect(await rooms.listRooms(["r1"])).toEqual([]);
    await expect.poll(events).toEqual(["room_started", "room_finished"]);
    expect(received.every((r) => r.error === undefined)).toBe(true);
  });
});
