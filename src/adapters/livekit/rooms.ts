// The LiveKit server's RoomService, through livekit-server-sdk: create and delete rooms, list
// and remove participants. Nothing here decides anything.
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { RoomServiceClient } from "livekit-server-sdk";

export interface RoomParticipant {
  identity: string;
  sid: string;
  metadata: string;
}

export interface VideoRooms {
  createRoom(name: string, options: { maxParticipants: number }): Promise<void>;
  /** Deletes the room; a room that no longer exists is not an error. */
  deleteRoom(name: string): Promise<void>;
  listParticipants(room: string): Promise<RoomParticipant[]>;
  /** Removes a participant; one already gone is not an error. */
  removeParticipant(room: string, identity: string): Promise<void>;
  /** Whether the server answers at all. */
  reachable(): Promise<boolean>;
}

/** The RoomService speaks HTTP on the same host and port as the signalling WebSocket. */
export function httpUrl(livekitUrl: string): string {
  return livekitUrl.replace(/^ws(s?):\/\//, "http$1://");
}

// emptyTimeout: how long an empty room stays before LiveKit closes it (the gatekeeper deletes it
// at the end anyway); departureTimeout: how long after the last person leaves.
const emptyTimeoutSeconds = 600;
const departureTimeoutSeconds = 20;

function isNotFound(err: unknown): boolean {
  return typeof err === "object" && err !== null && "status" in err && (err as { status: number }).status === 404;
}

export function livekitRooms(url: string, apiKey: string, apiSecret: string, timeoutSeconds = 5): VideoRooms {
  const client = new RoomServiceClient(httpUrl(url), apiKey, apiSecret, { requestTimeout: timeoutSeconds, failover: false });
  return {
    async createRoom(name, { maxParticipants }) {
      await client.createRoom({ name, maxParticipants, emptyTimeout: emptyTimeoutSeconds, departureTimeout: departureTimeoutSeconds });
    },
    async deleteRoom(name) {
      try {
        await client.deleteRoom(name);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
    async listParticipants(room) {
      const participants = await client.listParticipants(room);
      return participants.map((p) => ({ identity: p.identity, sid: p.sid, metadata: p.metadata }));
    },
    async removeParticipant(room, identity) {
      try {
        await client.removeParticipant(room, identity);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
    async reachable() {
      return answersListRooms(
        `${httpUrl(url)}/twirp/livekit.RoomService/ListRooms`,
        await client.authHeader({ roomList: true }),
        timeoutSeconds,
      );
    },
  };
}

/**
 * Whether RoomService's ListRooms answers 200 with these credentials (a wrong key or secret is
 * refused, so it counts as not reachable). Asked through node:http rather than the SDK, whose
 * requests go through Node's fetch: the first fetch loads and compiles Node's own HTTP client
 * (undici) and web streams, ≈ 45 ms of a 0.5 s start, since readiness (`/readyz`) asks this
 * first (bench/history.md). The header is the SDK's own; the request is the one the SDK sends.
 */
function answersListRooms(endpoint: string, auth: Record<string, string>, timeoutSeconds: number): Promise<boolean> {
  const send = endpoint.startsWith("https:") ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(
      endpoint,
      { method: "POST", headers: { ...auth, "Content-Type": "application/json" }, timeout: timeoutSeconds * 1000 },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode === 200));
        res.on("error", () => resolve(false));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", () => resolve(false));
    req.end(JSON.stringify({ names: ["gatekeeper-probe"] }));
  });
}
