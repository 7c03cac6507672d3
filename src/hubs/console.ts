// The console's live view of sessions: a snapshot when a console opens, a fresh one whenever
// something in its session changes (bursts become one), and alerts: a knock when someone
// arrives, someone waiting too long, a carer withdrawing, the last staff member leaving, someone
// unexpected removed from the room. A console whose sign-in ends (signed out, deactivated,
// expired, new password) is closed at once, on every instance (the bus carries the news).
import type { BusEvent } from "../adapters/bus/events.ts";
import { fromConsole } from "../contract/live.ts";
import type { Ctx } from "../domain/context.ts";
import { consoleSnapshot } from "../domain/live.ts";
import { markSeen } from "../domain/seen.ts";
import { resolveLogin, type StaffView } from "../domain/staff.ts";
import { type Connection, parseMessage } from "./connection.ts";

export interface Watcher {
  connection: Connection;
  sessionId: string;
  staff: StaffView;
  /** The sign-in the console was opened with: when it ends, so does the connection. */
  loginToken: string;
  /** Attendees already flagged for waiting too long, so each is flagged once. */
  flagged: Set<string>;
  pending?: NodeJS.Timeout;
}

/** Close code for a console whose sign-in ended; the page shows the sign-in form again. */
export const signedOutCode = 4001;

/** Changes closer together than this become one snapshot. */
const snapshotDelayMs = 50;
/** Waiting times grow without any event: look again this often (and at sign-ins that expired). */
const tickMs = 15_000;

export class ConsoleHub {
  private readonly watchers = new Set<Watcher>();
  private readonly unsubscribe: () => void;
  private readonly ticker: NodeJS.Timeout;

  constructor(private readonly ctx: Ctx) {
    this.unsubscribe = ctx.bus.subscribe((event) => this.onEvent(event));
    this.ticker = setInterval(() => {
      for (const w of this.watchers) this.soon(w);
      void this.recheck([...this.watchers]);
    }, tickMs);
    this.ticker.unref();
  }

  /** A console opened by a member of staff allowed to watch the session; its snapshot follows. */
  open(connection: Connection, who: { sessionId: string; staff: StaffView; loginToken: string }): Watcher {
    const w: Watcher = { connection, ...who, flagged: new Set() };
    this.watchers.add(w);
    this.ctx.metrics.openPages.inc({ page: "console" });
    void this.snapshot(w);
    return w;
  }

  /** A message from the console: a ping, a request for a fresh snapshot, or who it has shown waiting. */
  received(w: Watcher, text: string): void {
    const parsed = fromConsole.safeParse(parseMessage(text));
    if (!parsed.success) w.connection.send({ type: "error", message: "Unknown message." });
    else if (parsed.data.type === "refresh") this.soon(w);
    else if (parsed.data.type === "seen")
      void markSeen(this.ctx, w.sessionId, w.staff, parsed.data.attendeeIds).catch((err) =>
        this.ctx.log.warn({ err, sessionId: w.sessionId }, "could not record who a console showed waiting"),
      );
    else w.connection.send({ type: "pong" });
  }

  closed(w: Watcher): void {
    clearTimeout(w.pending);
    if (this.watchers.delete(w)) this.ctx.metrics.openPages.dec({ page: "console" });
  }

  stop(): void {
    this.unsubscribe();
    clearInterval(this.ticker);
    for (const w of this.watchers) clearTimeout(w.pending);
  }

  private onEvent(event: BusEvent): void {
    if (event.type === "staff.logins_changed") {
      void this.recheck([...this.watchers].filter((w) => w.staff.id === event.staffId));
      return;
    }
    if (event.type === "bus.resumed") {
      for (const w of this.watchers) this.soon(w);
      void this.recheck([...this.watchers]);
      return;
    }
    if (!("sessionId" in event)) return;
    for (const w of this.watchers) {
      if (w.sessionId !== event.sessionId) continue;
      if (event.type === "alert") w.connection.send({ type: "alert", kind: event.kind, text: event.text, attendeeId: event.attendeeId });
      else {
        // A call for help is its own message (the console sounds it, apart from the knock), and
        // the snapshot that follows keeps it on screen until someone answers.
        if (event.type === "help") w.connection.send({ type: "help", attendeeId: event.attendeeId, at: event.at });
        this.soon(w);
      }
    }
  }

  private async snapshot(w: Watcher): Promise<void> {
    try {
      const snap = await consoleSnapshot(this.ctx, w.sessionId, w.staff);
      w.connection.send(snap);
      for (const person of snap.waiting) {
        if (!person.longWait || w.flagged.has(person.attendeeId)) continue;
        w.flagged.add(person.attendeeId);
        w.connection.send({
          type: "alert",
          kind: "long-wait",
          attendeeId: person.attendeeId,
          text: `${person.displayName} has been waiting a long time.`,
        });
      }
    } catch (err) {
      this.ctx.log.warn({ err, sessionId: w.sessionId }, "could not send a console snapshot");
    }
  }

  /** Bursts of changes (admit all, say) become one snapshot. */
  private soon(w: Watcher): void {
    if (w.pending) return;
    w.pending = setTimeout(() => {
      w.pending = undefined;
      void this.snapshot(w);
    }, snapshotDelayMs);
  }

  /** Closes the consoles whose sign-in has ended. */
  private async recheck(which: Watcher[]): Promise<void> {
    for (const w of which) {
      const staff = await resolveLogin(this.ctx, w.loginToken).catch(() => w.staff);
      if (!staff) w.connection.close(signedOutCode, "Signed out");
    }
  }
}
