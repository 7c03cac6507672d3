// Members, carers and consent records (staff).
import type { FastifyPluginAsyncZod } from "@fastify/type-provider-zod";
import { z } from "zod";
import { consent, errorBody, member, outboxMessage } from "../../../contract/api.ts";
import { consentType } from "../../../contract/vocabulary.ts";
import { createMember, getMember, listMembers, recordConsent, withdrawConsent } from "../../../domain/members.ts";
import { memberMessages } from "../../../domain/outbox/outbox.ts";
import { enforceForMember } from "../../../domain/recording/recording.ts";
import { currentStaff } from "../../plugins/auth.ts";
import { displayName, idParam } from "../../schemas.ts";

const carer = z.object({
  name: z.string().trim().min(1).max(120),
  email: z.email().max(320).optional(),
  phone: z.string().trim().min(3).max(40).optional(),
});

export const memberRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/",
    {
      config: { access: "signed in" },
      schema: {
        tags: ["members"],
        body: z.object({
          displayName,
          livesWithCarer: z.boolean(),
          email: z.email().max(320).optional(),
          carers: z.array(carer).max(5).default([]),
        }),
        response: { 201: z.object({ member }), 400: errorBody },
      },
    },
    async (request, reply) => reply.code(201).send({ member: await createMember(app.ctx, request.body, currentStaff(request).id) }),
  );

  app.get(
    "/",
    { config: { access: "signed in" }, schema: { tags: ["members"], response: { 200: z.object({ members: z.array(member) }) } } },
    async () => ({
      members: await listMembers(app.ctx),
    }),
  );

  app.get(
    "/:id",
    {
      config: { access: "signed in" },
      schema: { tags: ["members"], params: idParam, response: { 200: z.object({ member }), 404: errorBody } },
    },
    async (request) => ({
      member: await getMember(app.ctx, request.params.id),
    }),
  );

  app.get(
    "/:id/messages",
    {
      config: { access: "signed in" },
      schema: {
        tags: ["members"],
        params: idParam,
        response: { 200: z.object({ messages: z.array(outboxMessage) }), 404: errorBody },
      },
    },
    async (request) => {
      await getMember(app.ctx, request.params.id);
      return { messages: await memberMessages(app.ctx, request.params.id) };
    },
  );

  app.post(
    "/:id/consents",
    {
      config: { access: "signed in" },
      schema: {
        tags: ["members"],
        params: idParam,
        body: z
          .object({
            type: consentType,
            givenBy: z.enum(["carer", "member"]),
            carerId: z.string().min(1).max(64).optional(),
            method: z.enum(["written", "verbal", "online"]),
            note: z.string().trim().max(1000).optional(),
          })
          .refine((b) => b.givenBy !== "carer" || b.carerId, { message: "is required when givenBy is carer", path: ["carerId"] }),
        response: { 201: z.object({ consent }), 400: errorBody, 404: errorBody },
      },
    },
    async (request, reply) =>
      reply.code(201).send({ consent: await recordConsent(app.ctx, request.params.id, request.body, currentStaff(request).id) }),
  );

  app.post(
    "/:id/consents/:consentId/withdraw",
    {
      config: { access: "signed in" },
      schema: {
        tags: ["members"],
        params: z.object({ id: z.string().min(1).max(64), consentId: z.string().min(1).max(64) }),
        body: z.object({ reason: z.string().trim().min(1).max(1000) }),
        response: {
          201: z.object({
            withdrawal: z.object({
              id: z.string(),
              consentId: z.string(),
              reason: z.string(),
              recordedById: z.string(),
              createdAt: z.date(),
            }),
          }),
          404: errorBody,
          409: errorBody,
        },
      },
    },
    async (request, reply) => {
      const withdrawal = await withdrawConsent(
        app.ctx,
        request.params.id,
        request.params.consentId,
        request.body.reason,
        currentStaff(request).id,
      );
      // A recording of a room they are in stops at once (R4). Here rather than in the members
      // module, which the recording module builds on.
      await enforceForMember(app.ctx, request.params.id);
      return reply.code(201).send({ withdrawal });
    },
  );
};
