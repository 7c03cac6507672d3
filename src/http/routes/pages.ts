// The browser pages, built by Vite into web/dist: the console at /, the member's page at
// /join/:token, the carer's page at /carer/:token, and the camera check at /check. Pages carry a
// strict Content-Security-Policy and no Referer, so the link token in the address never leaks.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";
import { httpUrl } from "../../adapters/livekit/rooms.ts";

export const webDist = fileURLToPath(new URL("../../../web/dist/", import.meta.url));

export async function pageRoutes(app: FastifyInstance): Promise<void> {
  const livekit = new URL(app.config.LIVEKIT_URL);
  const livekitHttp = new URL(httpUrl(app.config.LIVEKIT_URL));
  const csp = [
    "default-src 'self'",
    `connect-src 'self' ws: wss: ${livekit.origin} ${livekitHttp.origin}`,
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "script-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join("; ");

  const built = existsSync(`${webDist}index.html`);
  if (built)
    await app.register(fastifyStatic, { root: webDist, prefix: "/", index: false, wildcard: false, serve: true, decorateReply: true });

  const page = (file: string) => async (_request: unknown, reply: FastifyReply) => {
    reply
      .header("content-security-policy", csp)
      .header("referrer-policy", "no-referrer")
      .header("x-content-type-options", "nosniff")
      .header("cache-control", "no-store");
    if (!built) return reply.code(503).type("text/plain").send("The pages are not built yet: run npm run build:web.");
    return reply.sendFile(file);
  };

  app.get("/", { schema: { hide: true } }, page("index.html"));
  app.get("/check", { schema: { hide: true } }, page("check.html"));
  app.get("/join/:token", { schema: { hide: true } }, page("join.html"));
  app.get("/carer/:token", { schema: { hide: true } }, page("carer.html"));
}
