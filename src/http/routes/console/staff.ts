// Staff accounts, for admins: POST /api/staff, GET /api/staff, PATCH /api/staff/:id (never
// yourself or the last admin out), POST /api/staff/:id/password, POST /api/staff/:id/sign-in-hold/clear; and for
// any member of staff, GET /api/staff/directory: the active colleagues with the staff role, who
// can lead a session or be its second member of staff.
import type { FastifyPluginAsyncZod } from "@fastify/type-provider-zod";
import { z } from "zod";
import { errorBody, okBody, staffAccount } from "../../../contract/api.ts";
import { roleSchema } from "../../../domain/roles.ts";
import { clearSignInHold, createStaff, listStaff, resetPassword, updateStaff } from "../../../domain/staff.ts";
import { currentStaff } from "../../plugins/auth.ts";
import { idParam, password } from "../../schemas.ts";

const roles = z.array(roleSchema).min(1).max(3);

export const staffRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/directory",
    {
      config: { access: "signed in" },
      schema: { tags: ["staff"], response: { 200: z.object({ staff: z.array(z.object({ id: z.string(), name: z.string() })) }) } },
    },
    async () => ({
      staff: (await listStaff(app.ctx)).filter((s) => s.active && s.roles.includes("staff")).map((s) => ({ id: s.id, name: s.name })),
    }),
  );

  app.post(
    "/",
    {
      config: { access: "admins" },
      schema: {
        tags: ["staff"],
        body: z.object({ email: z.email().max(320), name: z.string().trim().min(1).max(120), password, roles }),
        response: { 201: z.object({ staff: staffAccount }), 409: errorBody },
      },
    },
    async (request, reply) => {
      const staff = await createStaff(app.ctx, request.body, currentStaff(request).id);
      return reply.code(201).send({ staff });
    },
  );

  app.get(
    "/",
    { config: { access: "admins" }, schema: { tags: ["staff"], response: { 200: z.object({ staff: z.array(staffAccount) }) } } },
    async () => ({
      staff: await listStaff(app.ctx),
    }),
  );

  app.patch(
    "/:id",
    {
      config: { access: "admins" },
      schema: {
        tags: ["staff"],
        params: idParam,
        body: z
          .object({ name: z.string().trim().min(1).max(120), roles, active: z.boolean() })
          .partial()
          .refine((b) => Object.keys(b).length > 0, "give at least one of name, roles, active"),
        response: { 200: z.object({ staff: staffAccount }), 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const staff = await updateStaff(app.ctx, request.params.id, request.body, currentStaff(request).id);
      if (!staff.active) await app.ctx.bus.publish({ type: "staff.logins_changed", staffId: staff.id });
      return { staff };
    },
  );

  app.post(
    "/:id/password",
    {
      config: { access: "admins" },
      schema: {
        tags: ["staff"],
        params: idParam,
        body: z.object({ password }),
        response: { 200: z.object({ staff: staffAccount }), 404: errorBody },
      },
    },
    async (request) => {
      const staff = await resetPassword(app.ctx, request.params.id, request.body.password, currentStaff(request).id);
      await app.ctx.bus.publish({ type: "staff.logins_changed", staffId: staff.id });
      return { staff };
    },
  );

  app.post(
    "/:id/sign-in-hold/clear",
    { config: { access: "admins" }, schema: { tags: ["staff"], params: idParam, response: { 200: okBody, 404: errorBody } } },
    async (request) => {
      await clearSignInHold(app.ctx, app.ctx.signIns, request.params.id, currentStaff(request).id);
      return { ok: true as const };
    },
  );
};
