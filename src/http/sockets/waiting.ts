// GET /ws/join/:token — the waiting page's socket, a thin wrapper around the WaitingRoomHub
// (src/hubs/waiting-room.ts), which decides what each page is told. Checked before the upgrade:
// too many pages from one address is 429, an unknown link 404, a dead one 410, and no socket opens.
import type { FastifyInstance } from "fastify";
import { pageOwner } from "../../domain/live.ts";
import { WaitingRoomHub } from "../../hubs/waiting-room.ts";
import { linkToken } from "../schemas.ts";
import { Heartbeat } from "./heartbeat.ts";
import { releaseUpgrade, SocketConnection } from "./upgraded.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** Whose page a waiting socket is, found before the upgrade. */
    pageOwner: { attendeeId: string; sessionId: string } | null;
  }
}

export async function waitingSocketRoutes(app: FastifyInstance): Promise<void> {
  const hub = new WaitingRoomHub(app.ctx);
  const heartbeat = new Heartbeat();
  app.decorateRequest("pageOwner", null);
  app.addHook("onClose", async () => {
    hub.stop();
    heartbeat.stop();
  });

  app.get(
    "/:token",
    {
      config: { access: "invitee link" },
      websocket: true,
      schema: { params: linkToken, hide: true },
      preValidation: async (request) => {
        hub.assertRoomFor(request.ip);
        request.pageOwner = await pageOwner(app.ctx, (request.params as { token: string }).token);
      },
    },
    (socket, request) => {
      const token = (request.params as { token: string }).token;
      const page = hub.open(new SocketConnection(socket), { token, address: request.ip, ...request.pageOwner! });
      socket.on("message", (raw) => hub.received(page, raw.toString()));
      socket.on("close", () => hub.closed(page));
      releaseUpgrade(socket, request, (err) => app.log.warn({ err }, "waiting page socket error"));
      heartbeat.watch(socket);
    },
  );
}
