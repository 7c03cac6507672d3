// The live waiting room: which pages are open for whom, and what each should be told. The server
// pushes a person's state as it changes (waiting with easy-read reasons, admitted with their
// token, refused, returned, ended) and staff messages; a token goes only to that person's own
// open pages. A page gone longer than the grace period leaves the waiting list, and comes back
// when it reconnects. No sockets here: the HTTP layer hands over a Connection per page.
import type { BusEvent } from "../adapters/bus/events.ts";
import { fromWaitingPage } from "../contract/live.ts";
import type { Ctx } from "../domain/context.ts";
import { DomainError } from "../domain/errors.ts";
import { askForHelpFor } from "../domain/help.ts";
import { pageConnected, pageGone, pageStates } from "../domain/live.ts";
import { type Connection, parseMessage } from "./connection.ts";

export interface Page {
  connection: Connection;
  token: string;
  attendeeId: string;
  sessionId: string;
  address: string;
  /** A staff message to show with the next state. */
  message?: string | null;
  /** News came that this person was admitted: their next refresh is for a token. */
  admitted?: boolean;
}

/** Close code for a page pushed out by newer pages of the same link: it does not reconnect. */
export const tooManyPagesCode = 4008;

/** Pages refreshed in one transaction, at most. */
const refreshBatch = 200;

export class WaitingRoomHub {
  private readonly pages = new Map<string, Set<Page>>();
  private readonly graceTimers = new Map<string, NodeJS.Timeout>();
  /** Open pages per client address. */
  private readonly perAddress = new Map<string, number>();
  // Pages whose state may have changed. One loop refreshes them, up to 200 in one transaction:
  // a lone change goes out at once, and "admit all" becomes a few transactions, not hundreds.
  private readonly dirty = new Set<Page>();
  private flushing = false;
  private scheduled = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly ctx: Ctx) {
    this.unsubscribe = ctx.bus.subscribe((event) => this.onEvent(event));
  }

  /** Refuses one more page from an address that has too many open (429), before it opens. */
  assertRoomFor(address: string): void {
    if ((this.perAddress.get(address) ?? 0) >= this.ctx.config.PAGES_PER_ADDRESS)
      throw new DomainError(429, "too_many_pages", "Too many pages are open from this address. Close some and try again.");
  }

  /** A page opened for a link `pageOwner` accepted; it gets its first state at once. */
  open(connection: Connection, owner: { token: string; attendeeId: string; sessionId: string; address: string }): Page {
    const page: Page = { connection, ...owner };
    this.ctx.metrics.openPages.inc({ page: "waiting" });
    this.perAddress.set(page.address, (this.perAddress.get(page.address) ?? 0) + 1);
    const set = this.pages.get(page.attendeeId) ?? new Set<Page>();
    // One link open in too many places: the oldest page goes, saying why (it does not come back).
    for (const oldest of [...set].slice(0, Math.max(0, set.size - this.ctx.config.PAGES_PER_LINK + 1))) {
      set.delete(oldest);
      oldest.connection.close(tooManyPagesCode, "This link was opened on another screen, so this page was closed.");
    }
    set.add(page);
    this.pages.set(page.attendeeId, set);
    this.cancelGrace(page.attendeeId);
    void (async () => {
      await this.ctx.bus.publish({ type: "page.connected", attendeeId: page.attendeeId });
      await pageConnected(this.ctx, page.attendeeId);
      this.refreshSoon(page);
    })().catch((err) => this.ctx.log.warn({ err }, "could not open a waiting page"));
    return page;
  }

  /** A message from the page: a ping, or "I need help". */
  received(page: Page, text: string): void {
    const parsed = fromWaitingPage.safeParse(parseMessage(text));
    if (!parsed.success) {
      page.connection.send({ type: "error", message: "Unknown message." });
      return;
    }
    if (parsed.data.type === "ping") {
      page.connection.send({ type: "pong" });
      return;
    }
    // Staff hear of it through the bus; so do this person's pages ("sent"). A second press within
    // the minute is the same call: this page is told again that staff know.
    askForHelpFor(this.ctx, page.attendeeId, "page").then(
      ({ alerted }) => alerted || page.connection.send({ type: "help", state: "sent" }),
      (err) => {
        this.ctx.log.warn({ err }, "a call for help from a waiting page failed");
        page.connection.send({ type: "error", message: "We could not tell the staff. Please call the number on this page." });
      },
    );
  }

  /** The page's connection closed; if it was the person's last, the grace period starts. */
  closed(page: Page): void {
    this.ctx.metrics.openPages.dec({ page: "waiting" });
    const left = (this.perAddress.get(page.address) ?? 1) - 1;
    if (left > 0) this.perAddress.set(page.address, left);
    else this.perAddress.delete(page.address);
    const set = this.pages.get(page.attendeeId);
    if (!set?.delete(page) || set.size > 0) return;
    this.pages.delete(page.attendeeId);
    this.cancelGrace(page.attendeeId);
    this.graceTimers.set(
      page.attendeeId,
      setTimeout(() => {
        this.graceTimers.delete(page.attendeeId);
        if (!this.pages.has(page.attendeeId))
          void pageGone(this.ctx, page.attendeeId).catch((err) => this.ctx.log.warn({ err }, "could not mark a page gone"));
      }, this.ctx.config.WAITING_GRACE_SECONDS * 1000),
    );
  }

  stop(): void {
    this.unsubscribe();
    for (const timer of this.graceTimers.values()) clearTimeout(timer);
  }

  private onEvent(event: BusEvent): void {
    switch (event.type) {
      case "attendee.changed":
        for (const page of this.pages.get(event.attendeeId) ?? []) {
          if (event.state === "admitted") page.admitted = true;
          this.refreshSoon(page, event.message);
        }
        break;
      case "message":
        for (const id of event.attendeeIds)
          for (const page of this.pages.get(id) ?? []) page.connection.send({ type: "message", text: event.text });
        break;
      case "room.changed":
      case "session.ended":
        for (const page of this.allPages()) if (page.sessionId === event.sessionId) this.refreshSoon(page);
        break;
      case "pages.changed":
      case "bus.resumed": // news may have been missed while the bus was away: the database knows
        for (const page of this.allPages()) this.refreshSoon(page);
        break;
      case "page.connected":
        this.cancelGrace(event.attendeeId);
        break;
      case "help":
        for (const page of this.pages.get(event.attendeeId) ?? []) page.connection.send({ type: "help", state: "sent" });
        break;
      case "help.answered":
        for (const page of this.pages.get(event.attendeeId) ?? []) page.connection.send({ type: "help", state: "answered", by: event.by });
        break;
      default:
        break;
    }
  }

  private *allPages(): Iterable<Page> {
    for (const set of this.pages.values()) yield* set;
  }

  private cancelGrace(attendeeId: string): void {
    clearTimeout(this.graceTimers.get(attendeeId));
    this.graceTimers.delete(attendeeId);
  }

  // The flush starts on the next turn of the event loop, after every event already queued has
  // marked its page. Started at once, a refresh on SQLite (synchronous underneath) would run to
  // its end before the next event's handler, making batches of one and holding up responses.
  private refreshSoon(page: Page, message?: string | null): void {
    if (message) page.message = message;
    this.dirty.add(page);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.dirty.size) {
        const batch = [...this.dirty].slice(0, refreshBatch);
        for (const page of batch) this.dirty.delete(page);
        const open = batch.filter((page) => page.connection.open);
        const admittedNews = open.some((page) => page.admitted);
        for (const page of open) page.admitted = false;
        try {
          const states = await pageStates(this.ctx, [...new Set(open.map((page) => page.token))], { admittedNews });
          for (const page of open) {
            const state = states.get(page.token);
            if (!state) continue;
            const message = page.message;
            page.message = undefined;
            page.connection.send(message ? { ...state, message } : state);
            if (state.state === "ended") page.connection.close(1000, "ended");
          }
        } catch (err) {
          // A page must not be left showing an old state (a lost token, say): try again shortly.
          this.ctx.log.warn({ err, pages: open.length }, "could not refresh waiting pages; retrying");
          setTimeout(() => {
            for (const page of open) if (page.connection.open) this.refreshSoon(page);
          }, 500).unref();
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
