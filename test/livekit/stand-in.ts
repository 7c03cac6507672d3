// A stand-in for the LiveKit server, for fast tests and for egress (LiveKit's own server runs in
// the end-to-end tests, but records nothing without an egress service). It speaks what
// livekit-server-sdk speaks, as LiveKit's server does (see NOTES): the RoomService and Egress
// Twirp JSON APIs with the same grant checks and error shapes, and signed webhooks. Rooms and participants live
// in memory; a test "connects" a participant with a token, verified as LiveKit verifies it.
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  AccessToken,
  type ClaimGrants,
  EgressInfo,
  EgressStatus,
  ParticipantInfo,
  ParticipantInfo_State,
  Room,
  TokenVerifier,
  WebhookEvent,
} from "livekit-server-sdk";
import { WebSocketServer } from "ws";

/** Delivers one webhook (body and Authorization header) and answers the HTTP status. */
export type WebhookDelivery = (body: string, authorization: string) => Promise<number>;

export interface StandInOptions {
  apiKey?: string;
  apiSecret?: string;
  /** Where webhooks go, over HTTP; or set `deliver`. None are sent when neither is set. */
  webhookUrl?: string;
}

interface StandInRoom {
  room: Room;
  participants: Map<string, ParticipantInfo>;
}

export interface Connected {
  identity: string;
  room: string;
  metadata: string;
}

type Twirp = { status: number; code: string; msg: string; meta?: Record<string, string> };
const twirpError = (status: number, code: string, msg: string): Twirp => ({ status, code, msg });

function invalidToken(res: ServerResponse, token: string): void {
  res.writeHead(401, { "Content-Type": "text/plain; charset=utf-8" }).end(`invalid token: ${token}\n`);
}

const requiredGrant: Record<string, "roomCreate" | "roomList" | "roomAdmin"> = {
  CreateRoom: "roomCreate",
  DeleteRoom: "roomCreate",
  ListRooms: "roomList",
  ListParticipants: "roomAdmin",
  GetParticipant: "roomAdmin",
  RemoveParticipant: "roomAdmin",
  UpdateParticipant: "roomAdmin",
  MutePublishedTrack: "roomAdmin",
  UpdateRoomMetadata: "roomAdmin",
  SendData: "roomAdmin",
};

/** Egress: every call needs the roomRecord grant (LiveKit's EnsureRecordPermission). */
const egressMethods = new Set(["StartRoomCompositeEgress", "StopEgress", "ListEgress"]);

/** LiveKit's egress file path template, filled as its egress service fills it. */
function filledPath(template: string, room: string, fileType: number): string {
  const time = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "");
  const path = template.replaceAll("{room_name}", room).replaceAll("{time}", time).replaceAll("{room_id}", "RM");
  return /\.\w+$/.test(path) ? path : `${path}.${fileType === 2 ? "ogg" : "mp4"}`;
}

export class LiveKitStandIn {
  readonly apiKey: string;
  readonly apiSecret: string;
  webhookUrl: string | undefined;
  /** Overrides HTTP delivery (tests hand webhooks straight to app.inject). */
  deliver: WebhookDelivery | undefined;
  readonly rooms = new Map<string, StandInRoom>();
  /** Every webhook body sent, in order. */
  readonly webhooksSent: { event: string; body: string; status: number }[] = [];
  /** Twirp calls received, for tests that check what the gatekeeper asked for. */
  readonly calls: { method: string; body: Record<string, unknown> }[] = [];
  private readonly verifier: TokenVerifier;
  private server: Server | undefined;
  private webhookQueue: Promise<void> = Promise.resolve();
  /** When false, every request is answered as if the server were down (connection reset). */
  up = true;
  /** While set, every RoomService call waits for it before it is answered (a slow server). */
  gate: Promise<void> | undefined;
  /** Signalling requests from real clients (livekit-client in a browser): who, and with which token. */
  readonly signalRequests: { path: string; token: string; identity?: string; refused?: string }[] = [];
  private readonly signalling = new WebSocketServer({ noServer: true });
  /** Egresses by id, as LiveKit's egress store keeps them. */
  readonly egresses = new Map<string, EgressInfo>();
  /** Webhooks of these events are dropped (as LiveKit drops them after 30 s of failures). */
  dropWebhooks = new Set<string>();

  constructor(options: StandInOptions = {}) {
    this.apiKey = options.apiKey ?? "devkey";
    this.apiSecret = options.apiSecret ?? "secret";
    this.webhookUrl = options.webhookUrl;
    this.verifier = new TokenVerifier(this.apiKey, this.apiSecret);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    // LiveKit's signalling endpoint: livekit-client opens /rtc/v1 (falling back to /rtc) with the
    // token in access_token. The token is checked as connect() checks it; the stand-in accepts
    // the socket but speaks no further signalling (no media runs here).
    this.server.on("upgrade", (req, socket, head) => {
      const url = new URL(req.url ?? "/", "http://stand-in");
      if (!/^\/rtc(\/v1)?\/?$/.test(url.pathname)) return socket.destroy();
      const token = url.searchParams.get("access_token") ?? "";
      const entry: (typeof this.signalRequests)[number] = { path: url.pathname, token };
      this.signalRequests.push(entry);
      this.connect(token).then(
        (connected) => {
          entry.identity = connected.identity;
          this.signalling.handleUpgrade(req, socket, head, () => undefined);
        },
        (err: Error) => {
          entry.refused = err.message;
          socket.end(`HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain; charset=utf-8\r\n\r\ninvalid token: ${token}\n`);
        },
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return this.url;
  }

  get url(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    await this.webhookQueue;
    for (const client of this.signalling.clients) client.terminate();
    this.signalling.close();
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  /** Waits until every webhook queued so far has been delivered. */
  async flushWebhooks(): Promise<void> {
    await this.webhookQueue;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.up) {
      req.socket.destroy();
      return;
    }
    const match = /^\/twirp\/livekit\.(RoomService|Egress)\/(\w+)$/.exec(req.url ?? "");
    const url = new URL(req.url ?? "/", "http://stand-in");
    if (req.method === "GET" && url.pathname === "/rtc/validate") return this.validate(res, url.searchParams.get("access_token") ?? "");
    if (req.method !== "POST" || !match) {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("404 page not found\n");
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const service = match[1]!;
    const method = match[2]!;

    // LiveKit answers a request with no token as one without the grant, and a malformed or badly
    // signed token with a plain-text 401.
    const auth = req.headers.authorization ?? "";
    let claims: ClaimGrants = {};
    if (auth.startsWith("Bearer ")) {
      const token = auth.slice("Bearer ".length);
      try {
        claims = await this.verifier.verify(token, 60);
      } catch {
        return invalidToken(res, token);
      }
    }
    let body: Record<string, unknown>;
    try {
      body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
    } catch {
      return this.sendTwirp(res, twirpError(400, "malformed", "the json request could not be decoded"));
    }
    this.calls.push({ method, body });
    if (this.gate) await this.gate;
    const grant = service === "Egress" ? (egressMethods.has(method) ? "roomRecord" : undefined) : requiredGrant[method];
    if (!grant) {
      const route = `/twirp/livekit.${service}/${method}`;
      return this.sendTwirp(res, {
        ...twirpError(404, "bad_route", `no handler for path "${route}"`),
        meta: { twirp_invalid_route: `POST ${route}` },
      });
    }
    const video = claims.video ?? {};
    const roomMatches = grant !== "roomAdmin" || (video.room !== undefined && video.room === body.room);
    if (!video[grant] || !roomMatches) return this.sendTwirp(res, twirpError(401, "unauthenticated", "permissions denied"));
    try {
      const result = service === "Egress" ? this.egressCall(method, body) : await this.call(method, body);
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(result));
    } catch (err) {
      if (err && typeof err === "object" && "code" in err) return this.sendTwirp(res, err as Twirp);
      throw err;
    }
  }

  /** GET /rtc/validate: livekit-client asks it why a signalling connection failed. */
  private async validate(res: ServerResponse, token: string): Promise<void> {
    try {
      await this.verifier.verify(token);
    } catch {
      return invalidToken(res, token);
    }
    res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" }).end("success");
  }

  private sendTwirp(res: ServerResponse, err: Twirp): void {
    const { status, ...body } = err;
    res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
  }

  private async call(method: string, body: Record<string, unknown>): Promise<unknown> {
    const roomName = String(body.room ?? "");
    switch (method) {
      case "CreateRoom": {
        // LiveKit creates a room even with an empty name; the gatekeeper never asks for one.
        const name = String(body.name ?? "");
        const existing = this.rooms.get(name);
        if (existing) return existing.room.toJson();
        const room = this.createRoom(name, body);
        return room.room.toJson();
      }
      case "DeleteRoom": {
        const room = this.rooms.get(roomName);
        if (!room) throw twirpError(404, "not_found", "requested room does not exist");
        // The room's recordings end with it.
        for (const info of this.egresses.values()) if (info.roomName === roomName) this.endEgress(info);
        for (const identity of [...room.participants.keys()]) this.leave(room, identity, "participant_left");
        this.rooms.delete(roomName);
        this.sendWebhook("room_finished", new WebhookEvent({ room: room.room }));
        return {};
      }
      case "ListRooms": {
        const names = (body.names as string[] | undefined) ?? [];
        const rooms = [...this.rooms.values()].filter((r) => names.length === 0 || names.includes(r.room.name));
        return { rooms: rooms.map((r) => this.roomInfo(r).toJson()) };
      }
      case "ListParticipants": {
        const room = this.rooms.get(roomName);
        return { participants: room ? [...room.participants.values()].map((p) => p.toJson()) : [] };
      }
      case "GetParticipant":
        return this.participant(roomName, String(body.identity)).toJson();
      case "RemoveParticipant": {
        this.participant(roomName, String(body.identity));
        this.leave(this.rooms.get(roomName)!, String(body.identity), "participant_left");
        return {};
      }
      case "UpdateParticipant": {
        const p = this.participant(roomName, String(body.identity));
        if (typeof body.metadata === "string") p.metadata = body.metadata;
        return p.toJson();
      }
      case "UpdateRoomMetadata": {
        const room = this.rooms.get(roomName);
        if (!room) throw twirpError(404, "not_found", "requested room does not exist");
        room.room.metadata = String(body.metadata ?? "");
        return this.roomInfo(room).toJson();
      }
      default:
        return {};
    }
  }

  /** LiveKit's Egress service, with an egress worker that starts and finishes at once. */
  private egressCall(method: string, body: Record<string, unknown>): unknown {
    switch (method) {
      case "StartRoomCompositeEgress": {
        const roomName = String(body.roomName ?? "");
        const room = this.rooms.get(roomName);
        // LiveKit loads the room first; an unknown room is not found.
        if (!room) throw twirpError(404, "not_found", "requested room does not exist");
        const file = (body.file ?? (body.fileOutputs as unknown[] | undefined)?.[0] ?? {}) as { filepath?: string; fileType?: string };
        const fileType = file.fileType === "OGG" ? 2 : 1;
        const info = new EgressInfo({
          egressId: `EG_${randomBytes(6).toString("hex")}`,
          roomId: room.room.sid,
          roomName,
          status: EgressStatus.EGRESS_STARTING,
          updatedAt: BigInt(Date.now()) * 1_000_000n,
          fileResults: [],
        });
        this.egressFiles.set(info.egressId, filledPath(file.filepath || "{room_name}-{time}", roomName, fileType));
        this.egresses.set(info.egressId, info);
        const answer = info.toJson();
        this.sendWebhook("egress_started", new WebhookEvent({ egressInfo: info.clone() }));
        info.status = EgressStatus.EGRESS_ACTIVE;
        info.startedAt = BigInt(Date.now()) * 1_000_000n;
        this.sendWebhook("egress_updated", new WebhookEvent({ egressInfo: info.clone() }));
        return answer;
      }
      case "StopEgress": {
        const info = this.egresses.get(String(body.egressId ?? ""));
        if (!info) throw twirpError(404, "not_found", "egress does not exist");
        if (info.status !== EgressStatus.EGRESS_STARTING && info.status !== EgressStatus.EGRESS_ACTIVE)
          throw twirpError(412, "failed_precondition", `egress with status ${EgressStatus[info.status]} cannot be stopped`);
        info.status = EgressStatus.EGRESS_ENDING;
        const answer = info.toJson();
        this.sendWebhook("egress_updated", new WebhookEvent({ egressInfo: info.clone() }));
        this.endEgress(info);
        return answer;
      }
      case "ListEgress": {
        const roomName = String(body.roomName ?? "");
        const egressId = String(body.egressId ?? "");
        const items = [...this.egresses.values()].filter(
          (e) =>
            (!egressId || e.egressId === egressId) &&
            (!roomName || e.roomName === roomName) &&
            (!body.active || e.status === EgressStatus.EGRESS_STARTING || e.status === EgressStatus.EGRESS_ACTIVE),
        );
        return { items: items.map((e) => e.toJson()) };
      }
      default:
        return {};
    }
  }

  private readonly egressFiles = new Map<string, string>();

  /** The egress worker finishes the file: complete, with where it was written. */
  private endEgress(info: EgressInfo): void {
    if (info.status === EgressStatus.EGRESS_COMPLETE || info.status === EgressStatus.EGRESS_FAILED) return;
    const filename = this.egressFiles.get(info.egressId) ?? "";
    info.status = EgressStatus.EGRESS_COMPLETE;
    info.endedAt = BigInt(Date.now()) * 1_000_000n;
    info.fileResults = new EgressInfo({ fileResults: [{ filename, location: `/recordings/${filename}` }] }).fileResults;
    this.sendWebhook("egress_ended", new WebhookEvent({ egressInfo: info.clone() }));
  }

  private createRoom(name: string, body: Record<string, unknown> = {}): StandInRoom {
    const room = new Room({
      sid: `RM_${randomBytes(6).toString("hex")}`,
      name,
      emptyTimeout: Number(body.emptyTimeout ?? 300),
      departureTimeout: Number(body.departureTimeout ?? 20),
      maxParticipants: Number(body.maxParticipants ?? 0),
      creationTime: BigInt(Math.floor(Date.now() / 1000)),
      metadata: String(body.metadata ?? ""),
    });
    const created = { room, participants: new Map<string, ParticipantInfo>() };
    this.rooms.set(name, created);
    this.sendWebhook("room_started", new WebhookEvent({ room }));
    return created;
  }

  private roomInfo(r: StandInRoom): Room {
    r.room.numParticipants = r.participants.size;
    return r.room;
  }

  private participant(roomName: string, identity: string): ParticipantInfo {
    const room = this.rooms.get(roomName);
    const p = room?.participants.get(identity);
    if (!p) throw twirpError(404, "not_found", "participant does not exist");
    return p;
  }

  /**
   * A client connecting with a token, as LiveKit's signalling endpoint checks it: signature,
   * expiry, roomJoin and the room named. Rooms are auto-created as LiveKit does by default; a
   * full room refuses. Throws with the reason LiveKit would give.
   */
  async connect(token: string): Promise<Connected> {
    let claims: ClaimGrants;
    try {
      claims = await this.verifier.verify(token);
    } catch (err) {
      throw new Error(`unauthorized: ${(err as Error).message}`);
    }
    const video = claims.video;
    if (!video?.roomJoin || !video.room) throw new Error("unauthorized: token has no roomJoin grant for a room");
    const identity = claims.sub;
    if (!identity) throw new Error("unauthorized: token has no identity");
    const room = this.rooms.get(video.room) ?? this.createRoom(video.room);
    const max = room.room.maxParticipants;
    if (max > 0 && room.participants.size >= max && !room.participants.has(identity)) throw new Error("room is full");
    // A second connection with the same identity replaces the first, as in LiveKit.
    if (room.participants.has(identity)) this.leave(room, identity, "participant_left");
    const participant = new ParticipantInfo({
      sid: `PA_${randomBytes(6).toString("hex")}`,
      identity,
      name: claims.name ?? "",
      metadata: claims.metadata ?? "",
      state: ParticipantInfo_State.ACTIVE,
      joinedAt: BigInt(Math.floor(Date.now() / 1000)),
    });
    room.participants.set(identity, participant);
    this.sendWebhook("participant_joined", new WebhookEvent({ room: this.roomInfo(room), participant }));
    return { identity, room: video.room, metadata: participant.metadata };
  }

  /** The participant's client goes away. */
  disconnect(roomName: string, identity: string): void {
    const room = this.rooms.get(roomName);
    if (room?.participants.has(identity)) this.leave(room, identity, "participant_left");
  }

  private leave(room: StandInRoom, identity: string, event: "participant_left"): void {
    const participant = room.participants.get(identity);
    if (!participant) return;
    room.participants.delete(identity);
    participant.state = ParticipantInfo_State.DISCONNECTED;
    this.sendWebhook(event, new WebhookEvent({ room: this.roomInfo(room), participant }));
  }

  identities(roomName: string): string[] {
    return [...(this.rooms.get(roomName)?.participants.keys() ?? [])];
  }

  /** Delivers webhooks in order, one at a time, as LiveKit does per room. */
  private sendWebhook(name: WebhookEvent["event"], event: WebhookEvent): void {
    if ((!this.webhookUrl && !this.deliver) || this.dropWebhooks.has(name)) return;
    // protobuf-es's constructor does not take `event` (it shadows a reserved name), so set it here.
    event.event = name;
    event.id = `EV_${randomBytes(8).toString("hex")}`;
    event.createdAt = BigInt(Math.floor(Date.now() / 1000));
    const body = event.toJsonString();
    this.webhookQueue = this.webhookQueue.then(async () => {
      const status = await this.postWebhook(body);
      this.webhooksSent.push({ event: event.event, body, status });
    });
  }

  /** Signs and delivers one webhook body exactly as LiveKit does; tests also use it to replay or forge. */
  async postWebhook(body: string, options: { secret?: string; sha256?: string } = {}): Promise<number> {
    const token = new AccessToken(this.apiKey, options.secret ?? this.apiSecret, { ttl: "5m" });
    token.sha256 = options.sha256 ?? createHash("sha256").update(body).digest("base64");
    const authorization = await token.toJwt();
    if (this.deliver) return this.deliver(body, authorization);
    if (!this.webhookUrl) throw new Error("no webhook destination");
    const res = await fetch(this.webhookUrl, {
      method: "POST",
      headers: { "Content-Type": "application/webhook+json", Authorization: authorization },
      body,
    });
    await res.arrayBuffer();
    return res.status;
  }
}
