// Volunteers on file (SPEC §8): any member of staff adds them and chooses them when scheduling.
import type { FastifyPluginAsyncZod } from "@fastify/type-provider-zod";
import { z } from "zod";
import { errorBody, volunteer } from "../../../contract/api.ts";
import { createVolunteer, listVolunteers } from "../../../domain/volunteers.ts";
import { currentStaff } from "../../plugins/auth.ts";
import { displayName } from "../../schemas.ts";

export const volunteerRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/",
    {
      config: { access: "signed in" },
      schema: {
        tags: ["members"],
        body: z.object({ displayName, email: z.email().max(320).optional() }),
        response: { 201: z.object({ volunteer }), 400: errorBody },
      },
    },
    async (request, reply) => reply.code(201).send({ volunteer: await createVolunteer(app.ctx, request.body, currentStaff(request).id) }),
  );

  app.get(
    "/",
    { config: { access: "signed in" }, schema: { tags: ["members"], response: { 200: z.object({ volunteers: z.array(volunteer) }) } } },
    async () => ({ volunteers: await listVolunteers(app.ctx) }),
  );
};
