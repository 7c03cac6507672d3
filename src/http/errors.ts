// One error shape for the whole API: { error: { code, message, checks? } }. Validation errors are
// 400 with each field named; domain refusals carry their own status and code; anything unexpected
// is a generic 500 whose detail goes only to the log.

import { hasZodFastifySchemaValidationErrors } from "@fastify/type-provider-zod";
import type { FastifyError, FastifyInstance } from "fastify";
import { databaseTrouble } from "../adapters/db/errors.ts";
import { DomainError } from "../domain/errors.ts";
import { redactUrl } from "../logger.ts";

function validationMessage(err: FastifyError): string {
  const issues = err.validation ?? [];
  const where = err.validationContext ?? "body";
  const parts = issues.map((issue) => {
    const path = (issue.instancePath ?? "").replace(/^\//, "").replaceAll("/", ".");
    return `${path ? `${where}.${path}` : where}: ${issue.message}`;
  });
  return parts.join("; ") || err.message;
}

/** Input nested deeper than this is refused: no route takes more than a few levels. */
const maxDepth = 32;

/**
 * What is wrong with a request's input as a whole, before any route's schema reads it: a string
 * (or key) holding U+0000, e.g. "body.carers.0.name: …", or nesting deeper than any route takes.
 * Walked with a stack of its own, so hostile nesting cannot exhaust the call stack.
 */
function hostileInput(value: unknown, root: string): string | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  while (stack.length) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === "string") {
      if (v.includes("\u0000")) return `${path}: must not contain the NUL character (U+0000)`;
      continue;
    }
    // Uploaded bytes (a photo) are not text: nothing in them is looked up as a string.
    if (typeof v !== "object" || v === null || ArrayBuffer.isView(v)) continue;
    if (depth >= maxDepth) return `${path}: is nested too deeply`;
    for (const [key, inner] of Object.entries(v)) {
      if (key.includes("\u0000")) return `${path}: must not contain the NUL character (U+0000)`;
      stack.push({ value: inner, path: `${path}.${key}`, depth: depth + 1 });
    }
  }
  return null;
}

export function registerErrorHandling(app: FastifyInstance): void {
  // No text the service stores or looks up may hold U+0000: PostgreSQL refuses it (22021), so it
  // would be a 500 there and a silent difference on SQLite; and no route takes deep nesting.
  // Checked once for every route, path id, query value and body field, before any route's own
  // schema, so a new route cannot forget.
  app.addHook("preValidation", async (request) => {
    for (const [where, value] of [
      ["params", request.params],
      ["query", request.query],
      ["body", request.body],
    ] as const) {
      const problem = hostileInput(value, where);
      if (problem) throw new DomainError(400, "invalid_request", problem);
    }
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof DomainError) {
      request.log.warn({ code: err.code }, err.message);
      return reply.code(err.statusCode).send({ error: { code: err.code, message: err.message, checks: err.checks } });
    }
    if (hasZodFastifySchemaValidationErrors(err) || err.validation) {
      const message = validationMessage(err);
      request.log.warn({ validation: message }, "invalid request");
      return reply.code(400).send({ error: { code: "invalid_request", message } });
    }
    const database = databaseTrouble(err);
    if (database === "conflict") {
      request.log.warn({ code: (err as { code?: string }).code }, "a concurrent write won");
      return reply.code(409).send({
        error: {
          code: "conflict",
          message: "Someone else changed this at the same moment. Reload, check, and try again if it is still needed.",
        },
      });
    }
    if (database === "unavailable") {
      request.log.error({ err }, "the database is unavailable");
      return reply
        .code(503)
        .header("retry-after", "5")
        .send({ error: { code: "database_unavailable", message: "The database cannot be reached just now. Try again in a few seconds." } });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      request.log.warn({ code: err.code }, err.message);
      const code =
        err.code === "FST_ERR_CTP_INVALID_JSON_BODY" || err.code === "FST_ERR_CTP_EMPTY_JSON_BODY" ? "invalid_json" : "bad_request";
      return reply.code(status).send({ error: { code: status === 429 ? "rate_limited" : code, message: err.message } });
    }
    request.log.error({ err }, "unexpected error");
    return reply.code(500).send({ error: { code: "internal", message: "Something went wrong on our side. It has been logged." } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ error: { code: "not_found", message: `No route for ${request.method} ${redactUrl(request.url.split("?")[0] ?? "")}` } }),
  );
}
