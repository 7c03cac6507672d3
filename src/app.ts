// Builds the Fastify application. The server entry and the tests both call buildApp.
import swagger from "@fastify/swagger";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from "@fastify/type-provider-zod";
import websocket from "@fastify/websocket";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { DestinationStream } from "pino";
import { type Database, openDatabase } from "./adapters/db/client.ts";
import { livekitTokens } from "./adapters/livekit/tokens.ts";
import type { Config } from "./config.ts";
import type { Ctx } from "./domain/context.ts";
import { type StaffPresence, tokenIssuedPresence } from "./domain/presence.ts";
import { ensureFirstAdmin } from "./domain/staff.ts";
import { registerErrorHandling } from "./http/errors.ts";
import { authPlugin } from "./http/plugins/auth.ts";
import { contextPlugin } from "./http/plugins/context.ts";
import { authRoutes } from "./http/routes/console/auth.ts";
import { memberRoutes } from "./http/routes/console/members.ts";
import { sessionRoutes } from "./http/routes/console/sessions.ts";
import { settingsRoutes } from "./http/routes/console/settings.ts";
import { staffRoutes } from "./http/routes/console/staff.ts";
import { healthRoutes } from "./http/routes/health.ts";
import { carerRoutes } from "./http/routes/public/carer.ts";
import { joinRoutes } from "./http/routes/public/join.ts";
import { createLogger } from "./logger.ts";

export interface BuildOptions {
  config: Config;
  /** An open database; by default DATABASE_URL is opened and migrated. */
  database?: Database;
  /** The clock the policy engine is told; tests fix it. */
  now?: () => Date;
  presence?: StaffPresence;
  /** Where log lines go instead of stdout (tests read them). */
  logDestination?: DestinationStream;
}

export async function buildApp({
  config,
  database,
  logDestination,
  now = () => new Date(),
  presence = tokenIssuedPresence(),
}: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: createLogger(config, logDestination) as FastifyBaseLogger,
    trustProxy: config.NODE_ENV === "production",
    bodyLimit: 64 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);

  const db = database ?? (await openDatabase(config.DATABASE_URL));
  const ctx: Ctx = { config, database: db, now, presence, tokens: livekitTokens(config.LIVEKIT_API_KEY, config.LIVEKIT_API_SECRET) };
  await app.register(contextPlugin, { ctx });
  if (config.GATEKEEPER_ADMIN_EMAIL && config.GATEKEEPER_ADMIN_PASSWORD) {
    const admin = await ensureFirstAdmin(db, config.GATEKEEPER_ADMIN_EMAIL, config.GATEKEEPER_ADMIN_PASSWORD);
    if (admin) app.log.info({ staffId: admin.id }, "created the first admin from GATEKEEPER_ADMIN_EMAIL");
  }

  await app.register(swagger, {
    openapi: {
      info: { title: "Gatekeeper", description: "Safeguarding gatekeeper for LiveKit video sessions", version: "0.1.0" },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(websocket, { options: { maxPayload: 16 * 1024 } });
  await app.register(authPlugin);

  await app.register(healthRoutes);
  await app.register(authRoutes, { prefix: "/api/auth" });
  await app.register(staffRoutes, { prefix: "/api/staff" });
  await app.register(settingsRoutes, { prefix: "/api" });
  await app.register(memberRoutes, { prefix: "/api/members" });
  await app.register(sessionRoutes, { prefix: "/api/sessions" });
  await app.register(joinRoutes, { prefix: "/api/join" });
  await app.register(carerRoutes, { prefix: "/api/carer" });
  app.get("/docs/json", { schema: { hide: true } }, async () => app.swagger());

  return app;
}
