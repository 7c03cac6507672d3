// What an open page socket keeps of the HTTP request that opened it: nothing; and the socket as
// the hubs see it.
//
// @fastify/websocket routes the upgrade through Fastify with a ServerResponse assigned to the TCP
// socket, and listens for the WebSocket's errors with a closure over the request and the reply.
// Both live as long as the socket, so every waiting page held its request, response, headers and
// a child logger: about 3 of the 7 KiB of heap a page cost (heap snapshots of 2,000 open pages;
// bench/RESULTS.md, third round). After the upgrade they are never used again.
import type { Socket } from "node:net";
import type { WebSocket } from "@fastify/websocket";
import type { FastifyRequest } from "fastify";
import type { Connection } from "../../hubs/connection.ts";

/** Lets go of the upgrade's request and response; errors then go to `onError` alone. */
export function releaseUpgrade(socket: WebSocket, request: FastifyRequest, onError: (err: Error) => void): void {
  // Node's own link from a socket to the response it is serving (undocumented, but what
  // ServerResponse.detachSocket exists to undo).
  const tcp = request.raw.socket as Socket & { _httpMessage?: { detachSocket(socket: Socket): void } | null };
  tcp._httpMessage?.detachSocket(tcp);
  // The plugin's listener holds the request and reply; ours logs, and ws closes the socket itself.
  socket.removeAllListeners("error");
  socket.on("error", onError);
}

/** A page's WebSocket as the hubs see it (a class, so each open page costs one small object). */
export class SocketConnection implements Connection {
  constructor(private readonly socket: WebSocket) {}

  get open(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  send(message: object): void {
    if (this.open) this.socket.send(JSON.stringify(message));
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }
}
