// Redis pub/sub, so that several instances behind a load balancer share one waiting room: a
// person waiting on instance A is admitted by staff on instance B and gets their token on A.
import { Redis } from "ioredis";
import type { BusEvent, EventBus } from "./events.ts";

const channel = "gatekeeper:events";

export async function redisBus(url: string, onError: (err: Error) => void): Promise<EventBus> {
  const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  const subscriber = new Redis(url, { lazyConnect: true });
  publisher.on("error", onError);
  subscriber.on("error", onError);
  await Promise.all([publisher.connect(), subscriber.connect()]);
  await subscriber.subscribe(channel);
  const handlers = new Set<(event: BusEvent) => void>();
  subscriber.on("message", (_channel: string, raw: string) => {
    let event: BusEvent;
    try {
      event = JSON.parse(raw) as BusEvent;
    } catch (err) {
      onError(err as Error);
      return;
    }
    for (const handler of handlers) handler(event);
  });
  return {
    async publish(event) {
      await publisher.publish(channel, JSON.stringify(event));
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async close() {
      handlers.clear();
      await Promise.allSettled([subscriber.quit(), publisher.quit()]);
    },
  };
}
