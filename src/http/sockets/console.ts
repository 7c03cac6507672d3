// GET /ws/console/sessions/:id — the console's live view of one session, for its staff (and the
// DSL and admins). Authenticated by the staff cookie before the upgrade. Sends a snapshot, then
// a fresh snapshot whenever something changes, and alerts: a knock when someone arrives,
// someone waiting too long, a carer withdrawing, the last staff member leaving, someone
// unexpected removed from the room.

import type { WebSocket } from "@fastify/websocket";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { BusEvent } from "../../adapters/bus/events.ts";
import { consoleSnapshot } from "../../domain/live.ts";
import { getSessionRow } from "../../domain/sessions.ts";
import { resolveLogin, type StaffView } from "../../domain/staff.ts";
import { currentStaff } from "../plugins/auth.ts";
import { idParam } from "../schemas.ts";
import { Heartbeat } from "./heartbeat.ts";
import { releaseUpgrade } from "./upgraded.ts";

interface Watcher {
  socket: WebSocket;
  sessionId: string;
  staff: StaffView;
  /** The sign-in the socket was opened with: when it ends, so does the socket. */
  loginToken: string;
  /** Attendees already flagged for waiting too long, so each is flagged once. */
  flagged: Set<string>;
  pending?: NodeJS.Timeout;
}

/** Close code for a console whose sign-in ended; the page shows the sign-in form again. */
const signedOutCode = 4001;

const incoming = z.discriminatedUnion("type", [z.object({ type: z.literal("ping") }), z.object({ type: z.literal("refresh") })]);

export async function consoleSocketRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.ctx;
  const watchers = new Set<Watcher>();
  const heartbeat = new Heartbeat();

  const send = (w: Watcher, message: object) => {
    if (w.socket.readyState === w.socket.OPEN) w.socket.send(JSON.stringify(message));
  };

  const snapshot = async (w: Watcher) => {
    try {
      const snap = await consoleSnapshot(ctx, w.sessionId, w.staff);
      send(w, snap);
      for (const person of snap.waiting) {
        if (person.longWait && !w.flagged.has(person.attendeeId)) {
          w.flagged.add(person.attendeeId);
          send(w, {
            type: "alert",
            kind: "long-wait",
            attendeeId: person.attendeeId,
            text: `${person.displayName} has been waiting a long time.`,
          });
        }
      }
    } catch (err) {
      app.log.warn({ err, sessionId: w.sessionId }, "could not send a console snapshot");
    }
  };

  /** Bursts of changes (admit all, say) become one snapshot. */
  const soon = (w: Watcher) => {
    if (w.pending) return;
    w.pending = setTimeout(() => {
      w.pending = undefined;
      void snapshot(w);
    }, 50);
  };

  /** Closes the sockets whose sign-in has ended (signed out, expired, deactivated, new password). */
  const recheck = async (which: Iterable<Watcher>) => {
    for (const w of which) {
      const staff = await resolveLogin(ctx, w.loginToken).catch(() => w.staff);
      if (!staff) w.socket.close(signedOutCode, "Signed out");
    }
  };

  const onEvent = (event: BusEvent) => {
    if (event.type === "staff.logins_changed") {
      void recheck([...watchers].filter((w) => w.staff.id === event.staffId));
      return;
    }
    if (event.type === "bus.resumed") {
      for (const w of watchers) soon(w);
      void recheck([...watchers]);
      return;
    }
    if (!("sessionId" in event)) return;
    for (const w of watchers) {
      if (w.sessionId !== event.sessionId) continue;
      if (event.type === "alert") send(w, { type: "alert", kind: event.kind, text: event.text, attendeeId: event.attendeeId });
      else soon(w);
    }
  };
  const unsubscribe = ctx.bus.subscribe(onEvent);

  // Waiting times grow without any event: look again every 15 seconds for long waits, and for
  // sign-ins that have expired since.
  const ticker = setInterval(() => {
    for (const w of watchers) soon(w);
    void recheck([...watchers]);
  }, 15_000);
  ticker.unref();

  app.addHook("onClose", async () => {
    unsubscribe();
    heartbeat.stop();
    clearInterval(ticker);
    for (const w of watchers) clearTimeout(w.pending);
  });

  app.get(
    "/sessions/:id",
    {
      config: { access: "session watchers" },
      websocket: true,
      schema: { params: idParam, hide: true },
      preValidation: async (request) => {
        await getSessionRow(ctx, (request.params as { id: string }).id, currentStaff(request));
      },
    },
    (socket, request) => {
      const w: Watcher = {
        socket,
        sessionId: (request.params as { id: string }).id,
        staff: currentStaff(request),
        loginToken: request.loginToken!,
        flagged: new Set(),
      };
      socket.on("message", (raw) => {
        let parsed: ReturnType<typeof incoming.safeParse>;
        try {
          parsed = incoming.safeParse(JSON.parse(raw.toString()));
        } catch {
          parsed = incoming.safeParse(undefined);
        }
        if (!parsed.success) send(w, { type: "error", message: "Unknown message." });
        else if (parsed.data.type === "refresh") soon(w);
        else send(w, { type: "pong" });
      });
      releaseUpgrade(socket, request, (err) => app.log.warn({ err }, "console socket error"));
      socket.on("close", () => {
        clearTimeout(w.pending);
        watchers.delete(w);
      });
      heartbeat.watch(socket);
      watchers.add(w);
      void snapshot(w);
    },
  );
}
