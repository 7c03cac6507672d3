// R15 keep-apart (SPEC §8): the DSL records and ends entries; the DSL and admins read them, with
// their reasons. Nobody else ever sees an entry or its reason.
import type { FastifyPluginAsyncZod } from "@fastify/type-provider-zod";
import { z } from "zod";
import { errorBody, keepApart } from "../../../contract/api.ts";
import { endKeepApart, listKeepAparts, recordKeepApart } from "../../../domain/keep-apart.ts";
import { currentStaff } from "../../plugins/auth.ts";
import { dateTime, idParam } from "../../schemas.ts";

const person = z.object({ type: z.enum(["member", "volunteer", "staff"]), id: z.string().min(1).max(64) });

export const keepApartRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/",
    {
      config: { access: "dsl" },
      schema: {
        tags: ["safeguarding"],
        body: z.object({ a: person, b: person, reason: z.string().trim().min(1).max(2000), until: dateTime.optional() }),
        response: { 201: z.object({ keepApart }), 400: errorBody, 403: errorBody },
      },
    },
    async (request, reply) => reply.code(201).send({ keepApart: await recordKeepApart(app.ctx, request.body, currentStaff(request)) }),
  );

  app.get(
    "/",
    {
      config: { access: "dsl and admins" },
      schema: { tags: ["safeguarding"], response: { 200: z.object({ keepApart: z.array(keepApart) }), 403: errorBody } },
    },
    async () => ({ keepApart: await listKeepAparts(app.ctx) }),
  );

  app.post(
    "/:id/end",
    {
      config: { access: "dsl" },
      schema: {
        tags: ["safeguarding"],
        params: idParam,
        body: z.object({ reason: z.string().trim().min(1).max(2000) }),
        response: { 200: z.object({ keepApart }), 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => ({ keepApart: await endKeepApart(app.ctx, request.params.id, request.body.reason, currentStaff(request)) }),
  );
};
