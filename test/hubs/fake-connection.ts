// A page or console as a hub sees it, without a socket: it keeps what it was sent and how it was
// closed, and can wait for the message a test expects.
import { expect } from "vitest";
import type { Connection } from "../../src/hubs/connection.ts";

export type Sent = { type: string; [key: string]: unknown };

export class FakeConnection implements Connection {
  open = true;
  readonly sent: Sent[] = [];
  closedWith: { code: number; reason: string } | null = null;

  send(message: object): void {
    if (this.open) this.sent.push(message as Sent);
  }

  close(code: number, reason: string): void {
    this.open = false;
    this.closedWith = { code, reason };
  }

  /** The first message sent (from the `from`-th on), now or within a few seconds, that matches. */
  async next(match: (m: Sent) => boolean, from = 0): Promise<Sent> {
    const found = () => this.sent.slice(from).find(match);
    await expect.poll(() => found() !== undefined, { timeout: 5000, interval: 10 }).toBe(true);
    return found()!;
  }
}
