// GET /metrics, in Prometheus's text format, served only when asked for: on the service's own
// port behind a bearer token (METRICS_TOKEN), and/or on a port of its own (METRICS_PORT) that
// only the monitoring network should reach. Neither set: there is no /metrics at all. The
// figures are counts, durations and rule codes; no label carries personal data.
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { FastifyInstance } from "fastify";
import type { Metrics } from "../../adapters/metrics/metrics.ts";
import { inWaitingRoom } from "../../contract/vocabulary.ts";
import type { Ctx } from "../../domain/context.ts";
import { outboxDepth } from "../../domain/outbox/outbox.ts";

declare module "fastify" {
  interface FastifyInstance {
    /** The METRICS_PORT listener, once the app listens (null without METRICS_PORT). */
    metricsServer: Server | null;
  }
}

/** Whether an Authorization header carries `token` as a bearer token (compared in constant time). */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/i.exec(header ?? "")?.[1] ?? "";
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}

/** People waiting and admitted in sessions not yet over, and the outbox, read when scraped. */
function watchDatabase(ctx: Ctx): void {
  ctx.metrics.watch({
    async people() {
      const rows = await ctx.database.db.attendee.groupBy({
        by: ["state"],
        where: { state: { in: [...inWaitingRoom, "admitted"] }, session: { status: { not: "ended" } } },
        _count: { _all: true },
      });
      const count = (states: readonly string[]) => rows.filter((r) => states.includes(r.state)).reduce((n, r) => n + r._count._all, 0);
      return { waiting: count(inWaitingRoom), admitted: count(["admitted"]) };
    },
    outbox: () => outboxDepth(ctx),
  });
}

async function exposition(metrics: Metrics): Promise<{ type: string; body: string }> {
  return { type: metrics.registry.contentType, body: await metrics.registry.metrics() };
}

export async function metricsRoutes(app: FastifyInstance): Promise<void> {
  const { METRICS_TOKEN: token, METRICS_PORT: port, HOST: host } = app.config;
  const { ctx } = app;
  app.decorate("metricsServer", null);
  if (!token && port === undefined) return;
  watchDatabase(ctx);

  if (token)
    app.get("/metrics", { schema: { hide: true } }, async (request, reply) => {
      if (!bearerMatches(request.headers.authorization, token))
        return reply
          .code(401)
          .header("www-authenticate", 'Bearer realm="metrics"')
          .send({ error: { code: "unauthenticated", message: "Give the metrics token as a bearer token." } });
      const { type, body } = await exposition(ctx.metrics);
      return reply.type(type).header("cache-control", "no-store").send(body);
    });

  if (port !== undefined) {
    // A plain listener: nothing but /metrics, no cookies, no pages (and the token when one is set).
    const server = createServer((req, res) => {
      const path = (req.url ?? "").split("?")[0];
      if (req.method !== "GET" || path !== "/metrics") return void res.writeHead(404).end();
      if (token && !bearerMatches(req.headers.authorization, token)) return void res.writeHead(401).end();
      exposition(ctx.metrics).then(
        ({ type, body }) => res.writeHead(200, { "content-type": type }).end(body),
        (err: unknown) => {
          ctx.log.warn({ err }, "could not collect the metrics");
          res.writeHead(500).end();
        },
      );
    });
    app.addHook("onListen", async () => {
      await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, host, () => resolve()));
      app.metricsServer = server;
    });
    app.addHook("onClose", async () => {
      if (server.listening) await new Promise((resolve) => server.close(resolve));
    });
  }
}
