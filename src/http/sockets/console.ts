// GET /ws/console/sessions/:id — the console's live view of one session, for its staff (and the
// DSL and admins). Authenticated by the staff cookie before the upgrade. Sends a snapshot, then
// a fresh snapshot whenever something changes, and alerts: a knock when someone arrives,
// someone waiting too long, a carer withdrawing, the last staff member leaving, someone
// unexpected removed from the room.

import type { WebSocket } from "@fastify/websocket";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import type { BusEvent } from "../../adapters/bus/events.ts";
import { forbidden } from "../../domain/errors.ts";
import { staffActor } from "../../domain/facts.ts";
import { consoleSnapshot } from "../../domain/live.ts";
import { findSession } from "../../domain/sessions.ts";
import type { StaffView } from "../../domain/staff.ts";
import { currentStaff, requireStaff } from "../plugins/auth.ts";
import { idParam } from "../schemas.ts";
import { Heartbeat } from "./heartbeat.ts";
import { releaseUpgrade } from "./upgraded.ts";

interface Watcher {
  socket: WebSocket;
  sessionId: string;
  staff: StaffView;
  /** Attendees already flagged for waiting too long, so each is flagged once. */
  flagged: Set<string>;
  pending?: NodeJS.Timeout;
}

const incoming = z.discriminatedUnion("type", [z.object({ type: z.literal("ping") }), z.object({ type: z.literal("refresh") })]);

export async function consoleSocketRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.ctx;
  const watchers = new Set<Watcher>();
  const staffOf = new WeakMap<FastifyRequest, StaffView>();
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

  const onEvent = (event: BusEvent) => {
    if (!("sessionId" in event)) return;
    for (const w of watchers) {
      if (w.sessionId !== event.sessionId) continue;
      if (event.type === "alert") send(w, { type: "alert", kind: event.kind, text: event.text, attendeeId: event.attendeeId });
      else soon(w);
    }
  };
  const unsubscribe = ctx.bus.subscribe(onEvent);

  // Waiting times grow without any event: look again every 15 seconds for long waits.
  const ticker = setInterval(() => {
    for (const w of watchers) soon(w);
  }, 15_000);
  ticker.unref();

  app.addHook("onClose", async () => {
    unsubscribe();
    heartbeat.stop();
    clearInterval(ticker);
    for (const w of watchers) {
      clearTimeout(w.pending);
      w.socket.close(1001, "server shutting down");
    }
  });

  app.get(
    "/sessions/:id",
    {
      websocket: true,
      schema: { params: idParam, hide: true },
      preValidation: async (request) => {
        await requireStaff(request);
        const staff = currentStaff(request);
        const session = await findSession(ctx.database.db, (request.params as { id: string }).id);
        const overseer = staff.roles.includes("dsl") || staff.roles.includes("admin");
        if (!staffActor(staff, session).isAssigned && !overseer)
          throw forbidden("Only the session's staff, the DSL and admins can watch it.");
        staffOf.set(request, staff);
      },
    },
    (socket, request) => {
      const w: Watcher = { socket, sessionId: (request.params as { id: string }).id, staff: staffOf.get(request)!, flagged: new Set() };
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
