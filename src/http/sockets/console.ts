// GET /ws/console/sessions/:id — the console's live view of one session, a thin wrapper around
// the ConsoleHub (src/hubs/console.ts). Authenticated by the staff cookie before the upgrade,
// for the session's staff, the DSL and admins.
import type { FastifyInstance } from "fastify";
import { getSessionRow } from "../../domain/sessions.ts";
import { ConsoleHub } from "../../hubs/console.ts";
import { currentStaff } from "../plugins/auth.ts";
import { idParam } from "../schemas.ts";
import { Heartbeat } from "./heartbeat.ts";
import { releaseUpgrade, SocketConnection } from "./upgraded.ts";

export async function consoleSocketRoutes(app: FastifyInstance): Promise<void> {
  const hub = new ConsoleHub(app.ctx);
  const heartbeat = new Heartbeat();
  app.addHook("onClose", async () => {
    hub.stop();
    heartbeat.stop();
  });

  app.get(
    "/sessions/:id",
    {
      config: { access: "session watchers" },
      websocket: true,
      schema: { params: idParam, hide: true },
      preValidation: async (request) => {
        await getSessionRow(app.ctx, (request.params as { id: string }).id, currentStaff(request));
      },
    },
    (socket, request) => {
      const sessionId = (request.params as { id: string }).id;
      const w = hub.open(new SocketConnection(socket), { sessionId, staff: currentStaff(request), loginToken: request.loginToken! });
      socket.on("message", (raw) => hub.received(w, raw.toString()));
      socket.on("close", () => hub.closed(w));
      releaseUpgrade(socket, request, (err) => app.log.warn({ err }, "console socket error"));
      heartbeat.watch(socket);
    },
  );
}
