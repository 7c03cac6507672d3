// Limits on what the invite and carer links may be asked: per client address across all link
// routes, and per link where each answer leaves a permanent record. Built on @fastify/rate-limit's
// counters (in Redis when REDIS_URL is set); several may apply to one request, which the plugin's
// own hooks do not allow (the first to run marks the request as checked).
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { DomainError } from "../../../domain/errors.ts";

export function limit(
  app: FastifyInstance,
  max: number,
  keyGenerator: (request: FastifyRequest) => string,
  message: string,
): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const count = app.createRateLimit({ max, timeWindow: "1 minute", keyGenerator });
  return async (request, reply) => {
    const result = await count(request);
    if (result.isAllowed || !result.isExceeded) return;
    reply.header("retry-after", String(result.ttlInSeconds));
    throw new DomainError(429, "rate_limited", message);
  };
}

/** What one client address may ask of all the links together in a minute. */
export function linkAddressLimit(app: FastifyInstance) {
  return limit(
    app,
    app.config.LINK_RATE_LIMIT,
    (request) => `links:${request.ip}`,
    "Too many requests from this address. Wait a minute and try again.",
  );
}
