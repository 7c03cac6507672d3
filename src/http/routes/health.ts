// GET /healthz (the process answers) and GET /readyz (database reachable, migrations applied).
// /readyz also says whether LiveKit answers; that does not make the service unready, because
// the waiting room keeps working without it (sessions just cannot start).
import type { FastifyPluginAsyncZod } from "@fastify/type-provider-zod";
import { z } from "zod";

const readyBody = z.object({
  ready: z.boolean(),
  checks: z.object({
    database: z.enum(["ok", "unreachable"]),
    migrations: z.enum(["ok", "pending", "unknown"]),
    livekit: z.enum(["ok", "unreachable"]),
  }),
});

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get("/healthz", { schema: { tags: ["health"], response: { 200: z.object({ ok: z.literal(true) }) } } }, async () => ({
    ok: true as const,
  }));

  app.get("/readyz", { schema: { tags: ["health"], response: { 200: readyBody, 503: readyBody } } }, async (request, reply) => {
    let database: "ok" | "unreachable" = "ok";
    let migrations: "ok" | "pending" | "unknown" = "unknown";
    try {
      migrations = (await app.database.migrationsApplied()) ? "ok" : "pending";
    } catch (err) {
      request.log.error({ err }, "readiness: database check failed");
      database = "unreachable";
    }
    const livekit = (await app.ctx.rooms.reachable()) ? "ok" : "unreachable";
    const ready = database === "ok" && migrations === "ok";
    return reply.code(ready ? 200 : 503).send({ ready, checks: { database, migrations, livekit } });
  });
};
