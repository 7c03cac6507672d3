// GET /ws/join/:token — the waiting page's socket. The server pushes the person's state as it
// changes (waiting with easy-read reasons, admitted with their token, refused, returned, ended)
// and staff messages. A token is sent only to that person's own open pages. A page gone longer
// than the grace period leaves the waiting list, and comes back when it reconnects.

import type { WebSocket } from "@fastify/websocket";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { BusEvent } from "../../adapters/bus/events.ts";
import { DomainError } from "../../domain/errors.ts";
import { pageConnected, pageGone, pageOwner, pageStates } from "../../domain/live.ts";
import { linkToken } from "../schemas.ts";
import { Heartbeat } from "./heartbeat.ts";
import { releaseUpgrade } from "./upgraded.ts";

interface Page {
  socket: WebSocket;
  token: string;
  attendeeId: string;
  sessionId: string;
  /** A staff message to show with the next state. */
  message?: string | null;
}

/** Close code for a page pushed out by newer pages of the same link: it does not reconnect. */
const tooManyPagesCode = 4008;

const incoming = z.discriminatedUnion("type", [z.object({ type: z.literal("ping") })]);

declare module "fastify" {
  interface FastifyRequest {
    /** Whose page a waiting socket is, found before the upgrade. */
    pageOwner: { attendeeId: string; sessionId: string } | null;
  }
}

export async function waitingSocketRoutes(app: FastifyInstance): Promise<void> {
  const ctx = app.ctx;
  app.decorateRequest("pageOwner", null);
  const pages = new Map<string, Set<Page>>();
  const graceTimers = new Map<string, NodeJS.Timeout>();
  /** Open pages per client address. */
  const perAddress = new Map<string, number>();
  const heartbeat = new Heartbeat();

  const send = (page: Page, message: object) => {
    if (page.socket.readyState === page.socket.OPEN) page.socket.send(JSON.stringify(message));
  };

  // Pages whose state may have changed. One loop refreshes them, up to 200 in one transaction:
  // a lone change goes out at once, and "admit all" becomes a few transactions, not hundreds.
  const dirty = new Set<Page>();
  let flushing = false;
  let scheduled = false;

  // The flush starts on the next turn of the event loop, after every event already queued has
  // marked its page. Started at once, a refresh on SQLite (synchronous underneath) would run to
  // its end before the next event's handler, making batches of one and holding up responses.
  const refreshSoon = (page: Page, message?: string | null) => {
    if (message) page.message = message;
    dirty.add(page);
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      void flush();
    });
  };

  const flush = async () => {
    if (flushing) return;
    flushing = true;
    try {
      while (dirty.size) {
        const batch = [...dirty].slice(0, 200);
        for (const page of batch) dirty.delete(page);
        const open = batch.filter((page) => page.socket.readyState === page.socket.OPEN);
        try {
          const states = await pageStates(ctx, [...new Set(open.map((page) => page.token))]);
          for (const page of open) {
            const state = states.get(page.token);
            if (!state) continue;
            const message = page.message;
            page.message = undefined;
            send(page, message ? { ...state, message } : state);
            if (state.state === "ended") page.socket.close(1000, "ended");
          }
        } catch (err) {
          // A page must not be left showing an old state (a lost token, say): try again shortly.
          app.log.warn({ err, pages: open.length }, "could not refresh waiting pages; retrying");
          setTimeout(() => {
            for (const page of open) if (page.socket.readyState === page.socket.OPEN) refreshSoon(page);
          }, 500).unref();
        }
      }
    } finally {
      flushing = false;
    }
  };

  const cancelGrace = (attendeeId: string) => {
    clearTimeout(graceTimers.get(attendeeId));
    graceTimers.delete(attendeeId);
  };

  const onEvent = (event: BusEvent) => {
    switch (event.type) {
      case "attendee.changed":
        for (const page of pages.get(event.attendeeId) ?? []) refreshSoon(page, event.message);
        break;
      case "message":
        for (const id of event.attendeeIds) for (const page of pages.get(id) ?? []) send(page, { type: "message", text: event.text });
        break;
      case "room.changed":
      case "session.ended":
        for (const set of pages.values()) for (const page of set) if (page.sessionId === event.sessionId) refreshSoon(page);
        break;
      case "pages.changed":
      case "bus.resumed": // news may have been missed while the bus was away: the database knows
        for (const set of pages.values()) for (const page of set) refreshSoon(page);
        break;
      case "page.connected":
        cancelGrace(event.attendeeId);
        break;
      default:
        break;
    }
  };
  const unsubscribe = ctx.bus.subscribe(onEvent);

  app.addHook("onClose", async () => {
    unsubscribe();
    heartbeat.stop();
    for (const timer of graceTimers.values()) clearTimeout(timer);
  });

  app.get(
    "/:token",
    {
      config: { access: "invitee link" },
      websocket: true,
      schema: { params: linkToken, hide: true },
      // Checked before the upgrade: an unknown link is 404, a dead one 410, and no socket opens.
      preValidation: async (request) => {
        if ((perAddress.get(request.ip) ?? 0) >= ctx.config.PAGES_PER_ADDRESS)
          throw new DomainError(429, "too_many_pages", "Too many pages are open from this address. Close some and try again.");
        request.pageOwner = await pageOwner(ctx, (request.params as { token: string }).token);
      },
    },
    (socket, request) => {
      const page: Page = { socket, token: (request.params as { token: string }).token, ...request.pageOwner! };
      socket.on("message", (raw) => {
        const parsed = incoming.safeParse(safeJson(raw.toString()));
        send(page, parsed.success ? { type: "pong" } : { type: "error", message: "Unknown message." });
      });
      releaseUpgrade(socket, request, (err) => app.log.warn({ err }, "waiting page socket error"));
      const address = request.ip;
      perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
      socket.on("close", () => {
        const left = (perAddress.get(address) ?? 1) - 1;
        if (left > 0) perAddress.set(address, left);
        else perAddress.delete(address);
        const set = pages.get(page.attendeeId);
        set?.delete(page);
        if (set && set.size === 0) {
          pages.delete(page.attendeeId);
          cancelGrace(page.attendeeId);
          graceTimers.set(
            page.attendeeId,
            setTimeout(() => {
              graceTimers.delete(page.attendeeId);
              if (!pages.has(page.attendeeId))
                void pageGone(ctx, page.attendeeId).catch((err) => app.log.warn({ err }, "could not mark a page gone"));
            }, ctx.config.WAITING_GRACE_SECONDS * 1000),
          );
        }
      });
      heartbeat.watch(socket);
      const set = pages.get(page.attendeeId) ?? new Set<Page>();
      // One link open in too many places: the oldest page goes, saying why (it does not come back).
      for (const oldest of [...set].slice(0, Math.max(0, set.size - ctx.config.PAGES_PER_LINK + 1))) {
        set.delete(oldest);
        oldest.socket.close(tooManyPagesCode, "This link was opened on another screen, so this page was closed.");
      }
      set.add(page);
      pages.set(page.attendeeId, set);
      cancelGrace(page.attendeeId);
      void (async () => {
        await ctx.bus.publish({ type: "page.connected", attendeeId: page.attendeeId });
        await pageConnected(ctx, page.attendeeId);
        refreshSoon(page);
      })().catch((err) => app.log.warn({ err }, "could not open a waiting page"));
    },
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
