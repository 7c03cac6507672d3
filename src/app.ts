// Builds the Fastify application. The server entry and the tests both call buildApp.

import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from "@fastify/type-provider-zod";
import websocket from "@fastify/websocket";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from "fastify";
import helmet from "helmet";
import type { Redis } from "ioredis";
import type { DestinationStream } from "pino";
import { type EventBus, inProcessBus } from "./adapters/bus/events.ts";
import { type Database, openDatabase } from "./adapters/db/client.ts";
import { livekitRecorder } from "./adapters/livekit/egress.ts";
import { livekitRooms } from "./adapters/livekit/rooms.ts";
import { livekitTokens } from "./adapters/livekit/tokens.ts";
import { createMetrics, timed } from "./adapters/metrics/metrics.ts";
import { defaultThrottlePolicy, memoryThrottle, redisThrottle } from "./adapters/throttle.ts";
import type { Config } from "./config.ts";
import { reconcile } from "./domain/attendance.ts";
import type { Ctx } from "./domain/context.ts";
import { eraseByRetention } from "./domain/erasure.ts";
import { escalateLongWaits } from "./domain/escalation.ts";
import { rollGroupsForward } from "./domain/groups/groups.ts";
import { sendDue } from "./domain/outbox/outbox.ts";
import { reconcileRecordings } from "./domain/recording/recording.ts";
import { ensureFirstAdmin, firstAdminAdvice, noStaffYet } from "./domain/staff.ts";
import { storeOf } from "./domain/unit-of-work.ts";
import { declareAccess, enforceAccess, enforceAccessBeforeBody } from "./http/access.ts";
import { registerErrorHandling } from "./http/errors.ts";
import { authPlugin } from "./http/plugins/auth.ts";
import { contextPlugin } from "./http/plugins/context.ts";
import { authRoutes } from "./http/routes/console/auth.ts";
import { erasureRoutes } from "./http/routes/console/erasures.ts";
import { groupRoutes } from "./http/routes/console/groups.ts";
import { keepApartRoutes } from "./http/routes/console/keep-apart.ts";
import { memberRoutes } from "./http/routes/console/members.ts";
import { photoRoutes } from "./http/routes/console/photos.ts";
import { recordingRoutes } from "./http/routes/console/recordings.ts";
import { reportRoutes } from "./http/routes/console/reports.ts";
import { safeguardingRoutes } from "./http/routes/console/safeguarding.ts";
import { sessionRoutes } from "./http/routes/console/sessions.ts";
import { settingsRoutes } from "./http/routes/console/settings.ts";
import { staffRoutes } from "./http/routes/console/staff.ts";
import { subjectAccessRoutes } from "./http/routes/console/subject-access.ts";
import { volunteerRoutes } from "./http/routes/console/volunteers.ts";
import { healthRoutes } from "./http/routes/health.ts";
import { metricsRoutes } from "./http/routes/metrics.ts";
import { cspDirectives, pageRoutes } from "./http/routes/pages.ts";
import { carerRoutes } from "./http/routes/public/carer.ts";
import { joinRoutes } from "./http/routes/public/join.ts";
import { linkAddressLimit } from "./http/routes/public/limits.ts";
import { livekitWebhookRoutes } from "./http/routes/webhooks/livekit.ts";
import { consoleSocketRoutes } from "./http/sockets/console.ts";
import { restartingReason } from "./http/sockets/heartbeat.ts";
import { waitingSocketRoutes } from "./http/sockets/waiting.ts";
import { createLogger } from "./logger.ts";

/**
 * Connections waiting to be accepted. At the top of the hour everyone opens their link at once,
 * and Node's default (511) turns the rest away with resets; the kernel caps it at
 * net.core.somaxconn (4096 on current Linux).
 */
export const acceptQueue = 4096;

export interface BuildOptions {
  config: Config;
  /** An open database; by default DATABASE_URL is opened and migrated. */
  database?: Database;
  /** Where log lines go instead of stdout (tests read them). */
  logDestination?: DestinationStream;
  /** The clock the policy engine is told; tests fix it. */
  now?: () => Date;
}

export async function buildApp({ config, database, logDestination, now = () => new Date() }: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: createLogger(config, logDestination) as FastifyBaseLogger,
    trustProxy: trustProxy(config.TRUST_PROXY),
    bodyLimit: 64 * 1024,
    // Timeouts set on purpose rather than inherited: a whole request (headers and body) within
    // 30 s, idle keep-alive held 65 s (longer than a load balancer's usual 60 s, so the balancer
    // closes first and never sends on a socket we are closing). Open pages are WebSockets, which
    // these do not touch; headers must arrive within 20 s (below).
    requestTimeout: 30_000,
    keepAliveTimeout: 65_000,
    // Errors Fastify raises before routing (a malformed address, a bad content type) answer in the
    // API's one error shape; the address is not echoed, since it may hold a link token.
    frameworkErrors: (err, _request, reply: FastifyReply) => {
      const badUrl = err.code === "FST_ERR_BAD_URL";
      const error = { code: badUrl ? "bad_url" : "bad_request", message: badUrl ? "The address is not valid" : err.message };
      void reply.code(err.statusCode ?? 400).send({ error });
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.server.headersTimeout = 20_000;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);

  const db = database ?? (await openDatabase(config.DATABASE_URL));
  // Redis and SMTP are loaded only when configured: start-up is mostly module loading.
  const redis = config.REDIS_URL ? { url: config.REDIS_URL, ...(await import("./adapters/bus/redis.ts")) } : null;
  const bus: EventBus = redis ? redis.redisBus(redis.url, (err) => app.log.warn({ err }, "redis event bus")) : inProcessBus();
  // One Redis client for the counters (rate limits, sign-in holds); while Redis is away it
  // queues nothing, so they fail at once and requests are let through (logged).
  const counters = redis ? new redis.Redis(redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }) : undefined;
  counters?.on("error", (err) => app.log.warn({ err }, "redis counters"));
  const throttlePolicy = { ...defaultThrottlePolicy, limit: config.LOGIN_ACCOUNT_LIMIT };
  const metrics = createMetrics({ exposed: config.METRICS_TOKEN !== undefined || config.METRICS_PORT !== undefined });
  const store = storeOf(db, now);
  const timedTransaction = async <T>(run: () => Promise<T>): Promise<T> => {
    const end = metrics.transactionSeconds.startTimer();
    let outcome = "rolled back";
    try {
      const value = await run();
      outcome = "committed";
      return value;
    } finally {
      end({ outcome });
    }
  };
  const ctx: Ctx = {
    ...store,
    // Every transaction timed, committed or rolled back.
    transaction: (work, options) => timedTransaction(() => store.transaction(work, options)),
    bareTransaction: (work, options) => timedTransaction(() => store.bareTransaction(work, options)),
    config,
    tokens: livekitTokens(config.LIVEKIT_API_KEY, config.LIVEKIT_API_SECRET),
    rooms: timed(
      livekitRooms(config.LIVEKIT_URL, config.LIVEKIT_API_KEY, config.LIVEKIT_API_SECRET),
      metrics.livekitSeconds,
      metrics.livekitErrors,
    ),
    recorder: timed(
      livekitRecorder(config.LIVEKIT_URL, config.LIVEKIT_API_KEY, config.LIVEKIT_API_SECRET, {
        filepath: config.RECORDING_FILEPATH,
        fileType: config.RECORDING_FILE_TYPE,
      }),
      metrics.livekitSeconds,
      metrics.livekitErrors,
    ),
    metrics,
    bus,
    signIns: counters ? redisThrottle(counters, throttlePolicy) : memoryThrottle(throttlePolicy),
    log: app.log,
    mailer: config.SMTP_URL
      ? (await import("./adapters/mail/smtp.ts")).smtpMailer(
          config.SMTP_URL,
          config.MAIL_FROM ?? `Gatekeeper <gatekeeper@${new URL(config.PUBLIC_URL).hostname}>`,
          {
            caFile: config.SMTP_CA_FILE,
          },
        )
      : null,
  };
  await app.register(contextPlugin, { ctx });
  app.addHook("onClose", async () => {
    await bus.close();
    await ctx.signIns.close();
    ctx.mailer?.close();
    counters?.disconnect();
  });
  await firstAdmin(app, ctx);

  await app.register(swagger, {
    openapi: {
      info: { title: "Gatekeeper", description: "Safeguarding gatekeeper for LiveKit video sessions", version: "0.1.0" },
    },
    // Each operation says who may call it (`x-access`, one of the levels in http/access.ts).
    transform: (input) => {
      const out = jsonSchemaTransform(input);
      const access = input.route.config?.access;
      return access ? { ...out, schema: { ...out.schema, "x-access": access } } : out;
    },
  });
  // On shutdown every open page is told why (1001 and words it shows) before @fastify/websocket
  // closes what is left without a code; pages reconnect by themselves.
  app.addHook("preClose", async () => {
    for (const client of app.websocketServer?.clients ?? []) client.close(1001, restartingReason);
  });
  await app.register(websocket, { options: { maxPayload: 16 * 1024 } });
  // Security headers on every response: API, static files, pages. HSTS only over https.
  // helmet itself, made once: @fastify/helmet builds it anew from its options at every request
  // (parsing the policy each time), a tenth of a millisecond per request in the join storm.
  const securityHeaders = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(config) },
    referrerPolicy: { policy: "no-referrer" },
    hsts: config.PUBLIC_URL.startsWith("https:") ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // The call's media and LiveKit's scripts are same-origin bundles; nothing is embedded cross-origin.
    crossOriginEmbedderPolicy: false,
  });
  app.addHook("onRequest", (request, reply, done) => securityHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined)));
  await app.register(authPlugin);
  // Every route under /api, /ws and /webhooks says who may call it; this hook refuses whoever
  // the declaration already rules out (signed out, wrong role) before anything else is read.
  declareAccess(app);
  app.addHook("onRequest", enforceAccess);
  app.addHook("preValidation", enforceAccessBeforeBody);
  await registerRateLimits(app, counters);

  await app.register(healthRoutes);
  await metricsRoutes(app);
  await app.register(consoleApi);
  // The invite and carer links: one limit per client address across both.
  await app.register(async (links) => {
    links.addHook("onRequest", linkAddressLimit(links));
    await links.register(joinRoutes, { prefix: "/api/join" });
    await links.register(carerRoutes, { prefix: "/api/carer" });
  });
  await app.register(livekitWebhookRoutes, { prefix: "/webhooks" });
  await app.register(waitingSocketRoutes, { prefix: "/ws/join" });
  await app.register(consoleSocketRoutes, { prefix: "/ws/console" });
  await app.register(pageRoutes);
  // The API reference: an HTML page at /docs, the OpenAPI document at /docs/json.
  await app.register(swaggerUi, { routePrefix: "/docs", staticCSP: true });

  repeat(app, config.RECONCILE_SECONDS, "reconciling with LiveKit failed", async () => {
    await reconcile(ctx);
    await reconcileRecordings(ctx);
  });
  // Long unanswered waits are looked for as often as rooms are reconciled.
  repeat(app, config.RECONCILE_SECONDS, "escalating long waits failed", () => escalateLongWaits(ctx));
  if (ctx.mailer) repeat(app, config.OUTBOX_SECONDS, "the outbox could not send", () => sendDue(ctx));
  repeat(app, config.GROUPS_SECONDS, "could not create the groups' next occurrences", () => rollGroupsForward(ctx));
  repeat(app, config.RETENTION_SECONDS, "the retention schedule could not erase", () => eraseByRetention(ctx));
  return app;
}

/**
 * Per client address (as TRUST_PROXY lets the service see it) or per link, counted in Redis when
 * REDIS_URL is set so that every instance counts together; routes opt in (sign-in, links). If
 * Redis fails, requests are let through (and logged) rather than refused.
 */
async function registerRateLimits(app: FastifyInstance, redis: Redis | undefined): Promise<void> {
  await app.register(rateLimit, { global: false, ...(redis ? { redis, skipOnError: true, nameSpace: "gatekeeper:rate:" } : {}) });
}

/** The console API: staff's routes, each declaring who may call it (http/access.ts). */
async function consoleApi(api: FastifyInstance): Promise<void> {
  await api.register(authRoutes, { prefix: "/api/auth" });
  await api.register(staffRoutes, { prefix: "/api/staff" });
  await api.register(photoRoutes, { prefix: "/api/staff" });
  await api.register(settingsRoutes, { prefix: "/api" });
  await api.register(memberRoutes, { prefix: "/api/members" });
  await api.register(volunteerRoutes, { prefix: "/api/volunteers" });
  await api.register(groupRoutes, { prefix: "/api/groups" });
  await api.register(sessionRoutes, { prefix: "/api/sessions" });
  await api.register(safeguardingRoutes, { prefix: "/api" });
  await api.register(recordingRoutes, { prefix: "/api" });
  await api.register(reportRoutes, { prefix: "/api" });
  await api.register(subjectAccessRoutes, { prefix: "/api" });
  await api.register(keepApartRoutes, { prefix: "/api/keep-apart" });
  await api.register(erasureRoutes, { prefix: "/api/erasures" });
}

/** TRUST_PROXY as Fastify takes it: a hop count becomes "trust the first n hops". */
function trustProxy(setting: Config["TRUST_PROXY"]): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (setting === undefined) return false;
  if (typeof setting === "number") return (_address, hop) => hop < setting;
  return setting;
}

/** Creates the first admin from GATEKEEPER_ADMIN_*, or says in the log how to create one. */
async function firstAdmin(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const { GATEKEEPER_ADMIN_EMAIL: email, GATEKEEPER_ADMIN_PASSWORD: password, GATEKEEPER_ADMIN_NAME: name } = ctx.config;
  if (email && password) {
    const admin = await ensureFirstAdmin(ctx, { email, password, name: name ?? "Administrator" });
    if (admin) app.log.info({ staffId: admin.id }, "created the first admin from GATEKEEPER_ADMIN_EMAIL");
    else app.log.info("GATEKEEPER_ADMIN_EMAIL and GATEKEEPER_ADMIN_PASSWORD are ignored: staff accounts already exist");
  } else if (await noStaffYet(ctx)) {
    app.log.warn(firstAdminAdvice);
  }
}

/**
 * Runs `work` every `seconds` (0: never), one run at a time, until the app closes: comparing live
 * rooms with attendance (RECONCILE_SECONDS) and sending what the outbox has due (OUTBOX_SECONDS).
 */
function repeat(app: FastifyInstance, seconds: number, failure: string, work: () => Promise<unknown>): void {
  if (seconds === 0) return;
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await work();
    } catch (err) {
      app.log.warn({ err }, failure);
    } finally {
      running = false;
    }
  }, seconds * 1000);
  timer.unref();
  app.addHook("onClose", async () => clearInterval(timer));
}
