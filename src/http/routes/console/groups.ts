// Recurring groups (SPEC §8): create one with its schedule, see its next occurrences, change it.
// Each occurrence is a normal session (GET /api/sessions/:id); one is cancelled with
// POST /api/sessions/:id/cancel.
import type { FastifyPluginAsyncZod } from "@fastify/type-provider-zod";
import { z } from "zod";
import { errorBody, group, session } from "../../../contract/api.ts";
import { delivery, groupSchedule } from "../../../contract/vocabulary.ts";
import { createGroup, getGroup, listGroups, updateGroup } from "../../../domain/groups/groups.ts";
import { currentStaff } from "../../plugins/auth.ts";
import { idParam, toneWaiverReason } from "../../schemas.ts";

const staffId = z.string().min(1).max(64);
const people = z.array(z.string().min(1).max(64)).max(100);
const groupBody = z.object({
  title: z.string().trim().min(1).max(120),
  delivery,
  leadStaffId: staffId,
  secondStaffId: staffId.optional(),
  memberIds: people,
  volunteerIds: people.max(20).optional(),
  schedule: groupSchedule,
  /** Added to every occurrence's invitation (R14 checks it; toneWaiverReason sends it anyway). */
  invitationNote: z.string().trim().min(1).max(500).optional(),
  toneWaiverReason,
});
const withSessions = z.object({ group, sessions: z.array(session) });

export const groupRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/",
    {
      config: { access: "signed in" },
      schema: { tags: ["groups"], body: groupBody, response: { 201: withSessions, 400: errorBody, 409: errorBody } },
    },
    async (request, reply) => reply.code(201).send(await createGroup(app.ctx, request.body, currentStaff(request))),
  );

  app.get(
    "/",
    { config: { access: "signed in" }, schema: { tags: ["groups"], response: { 200: z.object({ groups: z.array(group) }) } } },
    async (request) => ({ groups: await listGroups(app.ctx, currentStaff(request)) }),
  );

  app.get(
    "/:id",
    {
      config: { access: "group watchers" },
      schema: { tags: ["groups"], params: idParam, response: { 200: withSessions, 403: errorBody, 404: errorBody } },
    },
    async (request) => getGroup(app.ctx, request.params.id, currentStaff(request)),
  );

  app.patch(
    "/:id",
    {
      config: { access: "group watchers" },
      schema: {
        tags: ["groups"],
        params: idParam,
        body: groupBody.partial().extend({
          secondStaffId: staffId.nullable().optional(),
          invitationNote: z.string().trim().min(1).max(500).nullable().optional(),
        }),
        response: { 200: withSessions, 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => updateGroup(app.ctx, request.params.id, request.body, currentStaff(request)),
  );
};
