// What the domain tells the live pages about. Events carry ids and states, never tokens: a
// token is minted by whichever instance holds the person's open waiting page.

export type AlertKind = "knock" | "long-wait" | "carer-withdrew" | "last-staff-left" | "unexpected-participant" | "livekit-unreachable";

export type BusEvent =
  /** An attendee's state changed (or their reasons for waiting may have). */
  | { type: "attendee.changed"; sessionId: string; attendeeId: string; state: string; message?: string | null }
  /** A staff message for some of the waiting pages. */
  | { type: "message"; sessionId: string; attendeeIds: string[]; text: string }
  /** Anything the console's view of the session depends on changed (consoles only). */
  | { type: "session.changed"; sessionId: string }
  /** A fact every waiting page of the session depends on changed: started, staff came or went. */
  | { type: "room.changed"; sessionId: string }
  /** Organisation-wide facts changed (guidelines, agreed hours): every waiting page re-reads. */
  | { type: "pages.changed" }
  | { type: "session.ended"; sessionId: string }
  | { type: "alert"; sessionId: string; kind: AlertKind; text: string; attendeeId?: string }
  /** A waiting page (re)connected on some instance: cancel any pending "page gone" timer. */
  | { type: "page.connected"; attendeeId: string }
  /** A staff member was signed out, deactivated or given a new password: their consoles re-check at once. */
  | { type: "staff.logins_changed"; staffId: string }
  /** This instance's bus is back after an outage (never published): events may have been missed. */
  | { type: "bus.resumed" };

export interface EventBus {
  publish(event: BusEvent): Promise<void>;
  /** Every event, from every instance, this one included. Returns an unsubscribe function. */
  subscribe(handler: (event: BusEvent) => void): () => void;
  /** False while the bus cannot reach its broker (Redis); always true in one process. */
  healthy(): boolean;
  close(): Promise<void>;
}

/** One process: handlers run on a later tick, as they would after a round trip through Redis. */
export function inProcessBus(): EventBus {
  const handlers = new Set<(event: BusEvent) => void>();
  return {
    async publish(event) {
      const copy = structuredClone(event);
      setImmediate(() => {
        for (const handler of handlers) handler(copy);
      });
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    healthy: () => true,
    async close() {
      handlers.clear();
    },
  };
}
