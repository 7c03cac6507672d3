// The Redis event bus against a real Redis: events travel between two instances' buses as the
// contract describes them; anything else on the channel (another version, a stray publish) is
// dropped and reported, never handed to the pages.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import type { BusEvent } from "../../../src/adapters/bus/events.ts";
import { redisBus } from "../../../src/adapters/bus/redis.ts";
import { redisAvailable, redisUrl } from "../../helpers/db.ts";

describe.skipIf(!redisAvailable)("the Redis event bus", () => {
  const closing: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const close of closing) await close();
  });

  it("delivers the contract's events to every instance and drops what it cannot parse", async () => {
    const errors: Error[] = [];
    const a = redisBus(redisUrl, (err) => errors.push(err));
    const b = redisBus(redisUrl, (err) => errors.push(err));
    const raw = new Redis(redisUrl);
    closing.push(
      () => a.close(),
      () => b.close(),
      async () => raw.disconnect(),
    );
    // Other tests may share this Redis: only this test's session counts.
    const sessionId = randomUUID();
    const received: BusEvent[] = [];
    b.subscribe((event) => "sessionId" in event && event.sessionId === sessionId && received.push(event));
    await expect.poll(() => a.healthy() && b.healthy()).toBe(true);

    await raw.publish("gatekeeper:events", JSON.stringify({ type: "attendee.changed", sessionId }));
    await raw.publish("gatekeeper:events", JSON.stringify({ type: "tokens.please", attendeeId: "a1" }));
    await raw.publish("gatekeeper:events", "{not json");
    await a.publish({ type: "alert", sessionId, kind: "knock", text: "Ann is waiting.", attendeeId: "a1" });

    await expect.poll(() => received.length).toBe(1);
    expect(received[0]).toEqual({ type: "alert", sessionId, kind: "knock", text: "Ann is waiting.", attendeeId: "a1" });
    await expect.poll(() => errors.length).toBeGreaterThanOrEqual(3);
    expect(errors.map((e) => e.message).join("\n")).toMatch(/not one this version knows/);
  });
});
