// GET /healthz (the process answers) and GET /readyz (database reachable, migrations applied,
// and Redis reachable when REDIS_URL is set: an instance cut off from the others is not ready).
// /readyz also says whether LiveKit answers; that does not make the service unready, because
// the waiting room keeps working without it (sessions just cannot start). GET /api/setup tells
// the sign-in page and the console, in words, what a new installation still needs.
import type { FastifyPluginAsyncZod } from "@fastify/type-provider-zod";
import { z } from "zod";
import { noLiveKitAdvice } from "../../adapters/livekit/dev-server.ts";
import { firstAdminAdvice, noStaffYet } from "../../domain/staff.ts";

const setupBody = z.object({
  firstAdminNeeded: z.boolean(),
  videoServer: z.enum(["ok", "unreachable"]),
  /** What to do, in words, for each thing that is missing. */
  advice: z.array(z.string()),
});

const readyBody = z.object({
  ready: z.boolean(),
  checks: z.object({
    database: z.enum(["ok", "unreachable"]),
    migrations: z.enum(["ok", "pending", "unknown"]),
    livekit: z.enum(["ok", "unreachable"]),
    /** The event bus's Redis, when REDIS_URL is set: without it, other instances' news is late. */
    redis: z.enum(["ok", "unreachable", "not_used"]),
  }),
});

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/healthz",
    { config: { access: "anyone" }, schema: { tags: ["health"], response: { 200: z.object({ ok: z.literal(true) }) } } },
    async () => ({
      ok: true as const,
    }),
  );

  app.get(
    "/readyz",
    { config: { access: "anyone" }, schema: { tags: ["health"], response: { 200: readyBody, 503: readyBody } } },
    async (request, reply) => {
      let database: "ok" | "unreachable" = "ok";
      let migrations: "ok" | "pending" | "unknown" = "unknown";
      try {
        migrations = (await app.database.migrationsApplied()) ? "ok" : "pending";
      } catch (err) {
        request.log.error({ err }, "readiness: database check failed");
        database = "unreachable";
      }
      const livekit = (await app.ctx.rooms.reachable()) ? "ok" : "unreachable";
      const redis = !app.config.REDIS_URL ? "not_used" : app.ctx.bus.healthy() ? "ok" : "unreachable";
      const ready = database === "ok" && migrations === "ok" && redis !== "unreachable";
      return reply.code(ready ? 200 : 503).send({ ready, checks: { database, migrations, livekit, redis } });
    },
  );

  app.get("/api/setup", { config: { access: "anyone" }, schema: { tags: ["health"], response: { 200: setupBody } } }, async () => {
    const firstAdminNeeded = await noStaffYet(app.ctx);
    const videoServer: "ok" | "unreachable" = (await app.ctx.rooms.reachable()) ? "ok" : "unreachable";
    const advice = [
      ...(firstAdminNeeded ? [firstAdminAdvice] : []),
      ...(videoServer === "ok"
        ? []
        : [
            app.config.NODE_ENV === "production"
              ? "The video server cannot be reached, so sessions cannot start. Ask whoever runs Gatekeeper to check LIVEKIT_URL and the LiveKit server."
              : noLiveKitAdvice,
          ]),
    ];
    return { firstAdminNeeded, videoServer, advice };
  });
};
