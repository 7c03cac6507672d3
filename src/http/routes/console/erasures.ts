// Erasure (UK GDPR article 17; src/domain/erasure.ts): an admin asks, the DSL approves or
// declines, and the list (with the retention schedule's own erasures) is the log of what was done.
import type { FastifyPluginAsyncZod } from "@fastify/type-provider-zod";
import { z } from "zod";
import { erasure, errorBody } from "../../../contract/api.ts";
import { decideErasure, listErasures, requestErasure } from "../../../domain/erasure.ts";
import { currentStaff } from "../../plugins/auth.ts";
import { idParam } from "../../schemas.ts";

const decided = { 200: z.object({ erasure }), 403: errorBody, 404: errorBody, 409: errorBody };

export const erasureRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/",
    {
      config: { access: "dsl and admins" },
      schema: {
        tags: ["members"],
        description: "Every erasure asked for, decided or made by the retention schedule, newest first.",
        response: { 200: z.object({ erasures: z.array(erasure) }), 403: errorBody },
      },
    },
    async () => ({ erasures: await listErasures(app.ctx) }),
  );

  app.post(
    "/",
    {
      config: { access: "admins" },
      schema: {
        tags: ["members"],
        description:
          "Asks for a member's (with their carers') or one carer's personal details to be erased. 409 `erasure_blocked` while the member is in an upcoming session or a group; nothing changes until the DSL approves.",
        body: z.object({
          subjectType: z.enum(["member", "carer"]),
          subjectId: z.string().min(1).max(64),
          reason: z.string().trim().min(1).max(2000),
        }),
        response: { 201: z.object({ erasure }), 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request, reply) => reply.code(201).send({ erasure: await requestErasure(app.ctx, request.body, currentStaff(request)) }),
  );

  app.post(
    "/:id/approve",
    {
      config: { access: "dsl" },
      schema: {
        tags: ["members"],
        description:
          'The DSL approves (someone other than whoever asked): the details are replaced by "erased" at once; decisions, consents and the audit trail stay.',
        params: idParam,
        response: decided,
      },
    },
    async (request) => ({ erasure: await decideErasure(app.ctx, request.params.id, "approved", currentStaff(request)) }),
  );

  app.post(
    "/:id/decline",
    {
      config: { access: "dsl" },
      schema: { tags: ["members"], description: "The DSL declines: nothing is erased.", params: idParam, response: decided },
    },
    async (request) => ({ erasure: await decideErasure(app.ctx, request.params.id, "declined", currentStaff(request)) }),
  );
};
