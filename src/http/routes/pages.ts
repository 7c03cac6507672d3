// The browser pages, built by Vite into web/dist: the console at /, the member's page at
// /join/:token, the carer's page at /carer/:token, and the camera check at /check. Every response
// carries a strict Content-Security-Policy and no Referer (helmet), so the link token in the
// address never leaks.
import { existsSync } from "node:fs";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";
import { httpUrl } from "../../adapters/livekit/rooms.ts";
import type { Config } from "../../config.ts";
import { projectPath } from "../../paths.ts";

const webDist = `${projectPath("web", "dist")}/`;

/**
 * The Content-Security-Policy of every response (helmet sets it; the pages are what it is for):
 * scripts and styles from here only, and connections only to this service and the configured
 * LiveKit server, never to any ws: address.
 */
export function cspDirectives(config: Config): Record<string, string[]> {
  const livekit = new URL(config.LIVEKIT_URL);
  const livekitHttp = new URL(httpUrl(config.LIVEKIT_URL));
  const own = config.publicUrlGiven ? [config.PUBLIC_URL] : ["localhost", "127.0.0.1"].map((h) => `http://${h}:${config.PORT}`);
  const ownSockets = own.map((origin) => origin.replace(/^http/, "ws"));
  return {
    defaultSrc: ["'self'"],
    connectSrc: ["'self'", ...ownSockets, livekit.origin, livekitHttp.origin],
    imgSrc: ["'self'", "data:", "blob:"],
    mediaSrc: ["'self'", "blob:"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    scriptSrc: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    objectSrc: ["'none'"],
  };
}

export async function pageRoutes(app: FastifyInstance): Promise<void> {
  const built = existsSync(`${webDist}index.html`);
  if (built)
    await app.register(fastifyStatic, { root: webDist, prefix: "/", index: false, wildcard: false, serve: true, decorateReply: true });

  // Security headers come from helmet (app.ts). A page may carry a link token in its address, so
  // none is ever stored by a browser or a proxy: @fastify/static's own cache header is turned off.
  const page = (file: string) => async (_request: unknown, reply: FastifyReply) => {
    reply.header("cache-control", "no-store");
    if (!built) return reply.code(503).type("text/plain").send("The pages are not built yet: run npm run build:web.");
    return reply.sendFile(file, { cacheControl: false });
  };

  app.get("/", { schema: { hide: true } }, page("index.html"));
  app.get("/check", { schema: { hide: true } }, page("check.html"));
  app.get("/join/:token", { schema: { hide: true } }, page("join.html"));
  app.get("/carer/:token", { schema: { hide: true } }, page("carer.html"));
}
