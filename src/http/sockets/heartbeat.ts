// Pings every watched socket once per interval; one that has not answered its previous ping is
// closed, so that a lost network is noticed and the page's grace period can begin.
//
// The sockets take turns: each tick pings one turn's share, so a round of pings is spread over
// the interval. A ping is a write on its socket (tens of microseconds); pinging 5,000 waiting
// pages in one go held the event loop for about 250 ms every 15 s (measured with the bench's
// capacity phase), delaying every admission and token behind it.
import type { WebSocket } from "@fastify/websocket";

/** How often each page and console socket is pinged. */
export const heartbeatIntervalMs = 15_000;

/** How often a tick pings its share of the sockets. */
const tickMs = 250;

export class Heartbeat {
  private readonly turns: Set<WebSocket>[];
  private readonly unanswered = new WeakSet<WebSocket>();
  private readonly timer: NodeJS.Timeout;
  private nextTurn = 0;
  private tick = 0;

  constructor(intervalMs = heartbeatIntervalMs) {
    this.turns = Array.from({ length: Math.max(1, Math.round(intervalMs / tickMs)) }, () => new Set<WebSocket>());
    this.timer = setInterval(() => this.beat(), intervalMs / this.turns.length);
    this.timer.unref();
  }

  watch(socket: WebSocket): void {
    // Round robin keeps the turns about equal as pages come and go.
    const turn = this.turns[this.nextTurn++ % this.turns.length]!;
    turn.add(socket);
    socket.on("pong", () => this.unanswered.delete(socket));
    socket.on("close", () => turn.delete(socket));
  }

  private beat(): void {
    for (const socket of this.turns[this.tick++ % this.turns.length]!) {
      if (this.unanswered.has(socket)) {
        socket.terminate();
        continue;
      }
      this.unanswered.add(socket);
      socket.ping();
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** Why a page's socket closes when the service stops (code 1001): the page shows it as it is. */
export const restartingReason = "The service is restarting. We will reconnect you.";
