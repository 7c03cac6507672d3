// LiveKit's own server for the tests that stand in front of it: `livekit-server --dev`, built by
// `npm run test:setup` into .tools/bin. Skips loudly where it is missing, unless
// GATEKEEPER_REQUIRE_LIVEKIT=1 (set by .ci/run) makes it required.
import { randomInt } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type DevServer, findLiveKitServer, startDevServer } from "../../src/adapters/livekit/dev-server.ts";

export const livekitServerPath = findLiveKitServer();
export const livekitAvailable = livekitServerPath !== null;
if (!livekitAvailable) {
  if (process.env.GATEKEEPER_REQUIRE_LIVEKIT === "1")
    throw new Error("GATEKEEPER_REQUIRE_LIVEKIT=1 but there is no livekit-server (npm run test:setup builds it into .tools/bin)");
  console.warn("\n!!! No livekit-server: the tests against LiveKit's own server are SKIPPED (npm run test:setup builds it)\n");
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface RealLiveKit extends DevServer {
  /** Everything the server printed, for a failing test to show. */
  logs: string[];
}

/** Starts the real server on ports of its own, its webhooks going to `webhookUrl`. */
export async function startRealLiveKit(webhookUrl?: string): Promise<RealLiveKit> {
  const logs: string[] = [];
  // Test files run in parallel: each server takes its own random stretch of the UDP range.
  const udpStart = 50_000 + randomInt(0, 95) * 100;
  const server = await startDevServer({
    binary: livekitServerPath!,
    port: await freePort(),
    rtcTcpPort: await freePort(),
    udpPorts: [udpStart, udpStart + 99],
    webhookUrl,
    onLog: (line) => logs.push(line),
  });
  return { ...server, logs };
}

export interface Delivered {
  event: string;
  id: string;
  status: number;
}

/**
 * Sits between LiveKit's webhooks and the gatekeeper, forwarding each as it came (body and
 * Authorization untouched). While `dropping` is set, webhooks are answered 200 and not passed on:
 * LiveKit believes them delivered, as when one is lost on the way.
 */
export class WebhookRelay {
  dropping = false;
  readonly delivered: Delivered[] = [];
  readonly dropped: Delivered[] = [];
  private server: Server | undefined;

  constructor(private readonly target: string) {}

  async start(): Promise<string> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const parsed = JSON.parse(body.toString("utf8")) as { event: string; id: string };
      if (this.dropping) {
        this.dropped.push({ event: parsed.event, id: parsed.id, status: 0 });
        res.writeHead(200).end();
        return;
      }
      const forwarded = await fetch(this.target, {
        method: "POST",
        headers: { "content-type": String(req.headers["content-type"]), authorization: String(req.headers.authorization) },
        body,
      });
      const answer = await forwarded.text();
      this.delivered.push({ event: parsed.event, id: parsed.id, status: forwarded.status });
      res.writeHead(forwarded.status).end(answer);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/livekit`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }
}
