// Console sign-in: POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me.
import rateLimit from "@fastify/rate-limit";
import type { FastifyPluginAsyncZod } from "@fastify/type-provider-zod";
import { z } from "zod";
import { DomainError } from "../../../domain/errors.ts";
import { authenticate, endLogin, startLogin } from "../../../domain/staff.ts";
import { errorBody } from "../../errors.ts";
import { clearSessionCookie, currentStaff, requireStaff, setSessionCookie } from "../../plugins/auth.ts";
import { okBody, staffSchema } from "../../schemas.ts";

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(rateLimit, { global: false });

  app.post(
    "/login",
    {
      config: { rateLimit: { max: app.config.LOGIN_RATE_LIMIT, timeWindow: "1 minute" } },
      schema: {
        tags: ["auth"],
        body: z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(200) }),
        response: { 200: z.object({ staff: staffSchema }), 401: errorBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      const staff = await authenticate(app.database, request.body.email, request.body.password);
      if (!staff) throw new DomainError(401, "invalid_credentials", "The e-mail or password is not right");
      setSessionCookie(app, reply, await startLogin(app.database, staff.id, app.config.STAFF_SESSION_HOURS));
      return { staff };
    },
  );

  app.post("/logout", { schema: { tags: ["auth"], response: { 200: okBody } } }, async (request, reply) => {
    if (request.loginToken) await endLogin(app.database, request.loginToken);
    clearSessionCookie(app, reply);
    return { ok: true as const };
  });

  app.get(
    "/me",
    { preHandler: requireStaff, schema: { tags: ["auth"], response: { 200: z.object({ staff: staffSchema }), 401: errorBody } } },
    async (request) => ({ staff: currentStaff(request) }),
  );
};
