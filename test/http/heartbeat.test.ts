// The heartbeat spreads its pings over the interval, pings each socket once per interval, and
// closes a socket that did not answer its previous ping.
import { EventEmitter } from "node:events";
import type { WebSocket } from "@fastify/websocket";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Heartbeat } from "../../src/http/sockets/heartbeat.ts";

class FakeSocket extends EventEmitter {
  pings = 0;
  terminated = false;
  constructor(private readonly answers = true) {
    super();
  }
  ping() {
    this.pings++;
    if (this.answers) queueMicrotask(() => this.emit("pong"));
  }
  terminate() {
    this.terminated = true;
    queueMicrotask(() => this.emit("close"));
  }
}

describe("heartbeat", () => {
  let heartbeat: Heartbeat;
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    heartbeat.stop();
    vi.useRealTimers();
  });

  const watched = (n: number, answers = true) =>
    Array.from({ length: n }, () => {
      const s = new FakeSocket(answers);
      heartbeat.watch(s as unknown as WebSocket);
      return s;
    });

  it("pings every socket once per interval, a share at a time", async () => {
    heartbeat = new Heartbeat(1000); // four turns of 250 ms
    const sockets = watched(100);
    const pinged: number[] = [];
    for (let tick = 0; tick < 4; tick++) {
      const before = sockets.reduce((n, s) => n + s.pings, 0);
      await vi.advanceTimersByTimeAsync(250);
      pinged.push(sockets.reduce((n, s) => n + s.pings, 0) - before);
    }
    expect(pinged).toEqual([25, 25, 25, 25]);
    expect(sockets.every((s) => s.pings === 1)).toBe(true);
    await vi.advanceTimersByTimeAsync(3000);
    expect(sockets.every((s) => s.pings === 4 && !s.terminated)).toBe(true);
  });

  it("closes a socket that did not answer its previous ping, and only that one", async () => {
    heartbeat = new Heartbeat(1000);
    const [silent] = watched(1, false);
    const answering = watched(7);
    await vi.advanceTimersByTimeAsync(1000);
    expect(silent!.pings).toBe(1);
    expect(silent!.terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(silent!.terminated).toBe(true);
    expect(silent!.pings).toBe(1);
    expect(answering.some((s) => s.terminated)).toBe(false);
    // Once closed, it is not pinged or closed again.
    await vi.advanceTimersByTimeAsync(2000);
    expect(silent!.pings).toBe(1);
  });

  it("forgets closed sockets", async () => {
    heartbeat = new Heartbeat(1000);
    const sockets = watched(8);
    sockets[0]!.emit("close");
    await vi.advanceTimersByTimeAsync(1000);
    expect(sockets[0]!.pings).toBe(0);
    expect(sockets.slice(1).every((s) => s.pings === 1)).toBe(true);
  });
});
