// The event bus: in one process, or between instances through Redis (redis.ts). What travels
// on it is in src/contract/bus.ts.
import type { BusEvent } from "../../contract/bus.ts";

export type { AlertKind, BusEvent } from "../../contract/bus.ts";

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
