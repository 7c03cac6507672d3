// `npm start` with no LiveKit settings: a newcomer's first run should hold a whole session. Use a
// LiveKit server already answering on the development URL; else start `livekit-server --dev`
// beside the gatekeeper (from .tools/bin or the PATH) with its webhooks wired to us and its log
// lines prefixed "livekit |"; else say plainly that sessions cannot start and how to fix it.
import type { FastifyBaseLogger } from "fastify";
import type { Config } from "../../config.ts";
import { type DevServer, findLiveKitServer, noLiveKitAdvice, startDevServer, withoutTokens } from "./dev-server.ts";
import { livekitRooms } from "./rooms.ts";

/** LiveKit's own default ports, as `livekit-server --dev` uses them. */
const devPorts = { port: 7880, rtcTcpPort: 7881, udpPorts: [50_000, 60_000] as [number, number] };

export async function startLocalLiveKit(
  config: Config,
  env: Record<string, string | undefined>,
  log: Pick<FastifyBaseLogger, "info" | "warn" | "error">,
): Promise<DevServer | null> {
  if (config.NODE_ENV === "production" || env.LIVEKIT_URL) return null;
  if (await livekitRooms(config.LIVEKIT_URL, config.LIVEKIT_API_KEY, config.LIVEKIT_API_SECRET, 2).reachable()) {
    log.info({ livekitUrl: config.LIVEKIT_URL }, "using the LiveKit server already running");
    return null;
  }
  const binary = findLiveKitServer(env);
  if (!binary) {
    log.warn(noLiveKitAdvice);
    return null;
  }
  try {
    const server = await startDevServer({
      binary,
      ...devPorts,
      webhookUrl: `http://127.0.0.1:${config.PORT}/webhooks/livekit`,
      onLog: (line) => process.stderr.write(`livekit | ${withoutTokens(line)}\n`),
    });
    server.process.once("exit", (code, signal) => {
      if (!server.stopping) log.error({ code, signal }, `livekit-server stopped: ${noLiveKitAdvice}`);
    });
    log.info({ livekitUrl: server.url, binary }, "started livekit-server --dev beside Gatekeeper");
    return server;
  } catch (err) {
    log.error({ err }, `livekit-server --dev would not start. ${noLiveKitAdvice}`);
    return null;
  }
}
