// One error shape for the whole API: { error: { code, message, checks? } }. Validation errors are
// 400 with each field named; domain refusals carry their own status and code; anything unexpected
// is a generic 500 whose detail goes only to the log.

import { hasZodFastifySchemaValidationErrors } from "@fastify/type-provider-zod";
import type { FastifyError, FastifyInstance } from "fastify";
import { z } from "zod";
import { DomainError } from "../domain/errors.ts";
import { redactUrl } from "../logger.ts";

export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    checks: z.array(z.unknown()).optional(),
  }),
});

function validationMessage(err: FastifyError): string {
  const issues = err.validation ?? [];
  const where = err.validationContext ?? "body";
  const parts = issues.map((issue) => {
    const path = (issue.instancePath ?? "").replace(/^\//, "").replaceAll("/", ".");
    return `${path ? `${where}.${path}` : where}: ${issue.message}`;
  });
  return parts.join("; ") || err.message;
}

export function registerErrorHandling(app: FastifyInstance): void {
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
