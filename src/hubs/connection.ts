// What a hub needs of an open page or console: to tell it something, and to close it saying
// why. The HTTP layer wraps a WebSocket in one; the hubs' tests use a plain object.

export interface Connection {
  /** False once it has closed: nothing more is sent. */
  readonly open: boolean;
  send(message: object): void;
  close(code: number, reason: string): void;
}

/** A message from a page, parsed; undefined when it is not JSON. */
export function parseMessage(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
