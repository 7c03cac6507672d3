// Console sign-in: POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me.
import type { FastifyPluginAsyncZod } from "@fastify/type-provider-zod";
import { z } from "zod";
import { errorBody, okBody, staffAccount } from "../../../contract/api.ts";
import { DomainError } from "../../../domain/errors.ts";
import { authenticate, endLogin, normaliseEmail, startLogin } from "../../../domain/staff.ts";
import { clearSessionCookie, currentStaff, setSessionCookie } from "../../plugins/auth.ts";

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/login",
    {
      config: { access: "anyone", rateLimit: { max: app.config.LOGIN_RATE_LIMIT, timeWindow: "1 minute" } },
      schema: {
        tags: ["auth"],
        body: z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(200) }),
        response: { 200: z.object({ staff: staffAccount }), 401: errorBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      // Per account too: guesses at one account from many addresses are held back all the same.
      const account = normaliseEmail(request.body.email);
      const held = await app.ctx.signIns.heldFor(account).catch((err) => {
        request.log.error({ err }, "sign-in throttle unavailable: only the per-address limit applies");
        return 0;
      });
      if (held > 0) {
        reply.header("retry-after", String(held));
        throw new DomainError(
          429,
          "account_held",
          `Too many failed sign-ins for this account. Try again in ${held < 90 ? `${held} seconds` : `${Math.ceil(held / 60)} minutes`}, or ask an admin to clear it.`,
        );
      }
      const staff = await authenticate(app.ctx, request.body.email, request.body.password);
      await (staff ? app.ctx.signIns.clear(account) : app.ctx.signIns.failed(account)).catch((err) =>
        request.log.error({ err }, "sign-in throttle unavailable"),
      );
      if (!staff) throw new DomainError(401, "invalid_credentials", "The e-mail or password is not right");
      setSessionCookie(app, reply, await startLogin(app.ctx, staff.id, app.config.STAFF_SESSION_HOURS));
      return { staff };
    },
  );

  app.post("/logout", { config: { access: "anyone" }, schema: { tags: ["auth"], response: { 200: okBody } } }, async (request, reply) => {
    if (request.loginToken) await endLogin(app.ctx, request.loginToken);
    if (request.staff) await app.ctx.bus.publish({ type: "staff.logins_changed", staffId: request.staff.id });
    clearSessionCookie(app, reply);
    return { ok: true as const };
  });

  app.get(
    "/me",
    { config: { access: "signed in" }, schema: { tags: ["auth"], response: { 200: z.object({ staff: staffAccount }), 401: errorBody } } },
    async (request) => ({
      staff: currentStaff(request),
    }),
  );
};
