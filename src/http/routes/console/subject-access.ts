// Subject access, for the DSL and admins: GET /api/members/:id/export and GET /api/carers/:id/export
// give everything held about that person as JSON (src/domain/subject-access.ts), to review and
// hand over. Each export is itself recorded in the audit trail.
import type { FastifyPluginAsyncZod } from "@fastify/type-provider-zod";
import { z } from "zod";
import { errorBody } from "../../../contract/api.ts";
import { carerExport, memberExport } from "../../../domain/subject-access.ts";
import { currentStaff } from "../../plugins/auth.ts";
import { idParam } from "../../schemas.ts";

const exported = z.record(z.string(), z.unknown()).describe("Everything held about the person, by kind of record.");

export const subjectAccessRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/members/:id/export",
    {
      config: { access: "dsl and admins" },
      schema: {
        tags: ["members"],
        description: "Subject access: everything held about one member, as JSON, for the DSL or an admin to review and hand over.",
        params: idParam,
        response: { 200: exported, 404: errorBody },
      },
    },
    async (request) => memberExport(app.ctx, request.params.id, currentStaff(request)),
  );

  app.get(
    "/carers/:id/export",
    {
      config: { access: "dsl and admins" },
      schema: {
        tags: ["members"],
        description: "Subject access: everything held about one carer, as JSON, for the DSL or an admin to review and hand over.",
        params: idParam,
        response: { 200: exported, 404: errorBody },
      },
    },
    async (request) => carerExport(app.ctx, request.params.id, currentStaff(request)),
  );
};
