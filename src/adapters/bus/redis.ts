// Redis pub/sub, so that several instances behind a load balancer share one waiting room: a
// person waiting on instance A is admitted by staff on instance B and gets their token on A.
// The database is the truth and the bus only a hint. So: the service starts without Redis and
// connects when it can; a publish that fails is logged, never fails the request, and still
// reaches this instance's own pages; and when the subscription comes back after an outage, every
// handler hears `bus.resumed` and refreshes its pages from the database.
import { Redis } from "ioredis";
import { busEvent } from "../../contract/bus.ts";
import type { BusEvent, EventBus } from "./events.ts";

const channel = "gatekeeper:events";

/** The client class, for the app's counters: loaded with this module, only when REDIS_URL is set. */
export { Redis };

export function redisBus(url: string, onError: (err: Error) => void): EventBus {
  // No offline queue for publishing: while Redis is away a publish fails at once, not after retries.
  const publisher = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  const subscriber = new Redis(url);
  publisher.on("error", onError);
  subscriber.on("error", onError);
  const handlers = new Set<(event: BusEvent) => void>();
  const deliver = (event: BusEvent) => {
    for (const handler of handlers) handler(event);
  };
  // The subscription is sent when the connection opens, and again after every reconnect.
  subscriber.subscribe(channel).catch(onError);
  let lost = false;
  subscriber.on("close", () => {
    lost = true;
  });
  subscriber.on("ready", () => {
    if (!lost) return;
    lost = false;
    deliver({ type: "bus.resumed" });
  });
  subscriber.on("message", (_channel: string, raw: string) => {
    let parsed: ReturnType<typeof busEvent.safeParse>;
    try {
      parsed = busEvent.safeParse(JSON.parse(raw));
    } catch (err) {
      onError(err as Error);
      return;
    }
    if (parsed.success) deliver(parsed.data);
    else onError(new Error(`an event on the bus is not one this version knows: ${parsed.error.issues[0]?.message}`));
  });
  return {
    async publish(event) {
      try {
        await publisher.publish(channel, JSON.stringify(event));
      } catch (err) {
        onError(err as Error);
        // Other instances miss it (they refresh when Redis is back); this one does not.
        setImmediate(() => deliver(structuredClone(event)));
      }
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    healthy() {
      return publisher.status === "ready" && subscriber.status === "ready";
    },
    async close() {
      handlers.clear();
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
