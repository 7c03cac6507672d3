// The carer link: what the session is, the carer terms, confirm presence (R2), withdraw.
import type { FastifyPluginAsyncZod } from "@fastify/type-provider-zod";
import { z } from "zod";
import { carerConfirmation, carerLink, errorBody } from "../../../contract/api.ts";
import { confirmPresence, describeCarerLink, withdrawPresence } from "../../../domain/carer.ts";
import { askForHelp } from "../../../domain/help.ts";
import { linkToken } from "../../schemas.ts";

export const carerRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/:token",
    {
      config: { access: "carer link" },
      schema: {
        tags: ["carer"],
        params: linkToken,
        response: {
          200: carerLink,
          404: errorBody,
          410: errorBody,
        },
      },
    },
    async (request) => describeCarerLink(app.ctx, request.params.token),
  );

  app.post(
    "/:token/confirm",
    {
      config: { access: "carer link" },
      schema: {
        tags: ["carer"],
        params: linkToken,
        body: z.object({
          present: z.literal(true, { error: "must be true" }),
          agreedToTerms: z.literal(true, { error: "must be true: please agree to the carer terms" }),
        }),
        response: {
          200: z.object({ confirmation: carerConfirmation.extend({ termsVersion: z.number() }) }),
          400: errorBody,
          404: errorBody,
          409: errorBody,
          410: errorBody,
        },
      },
    },
    async (request) => ({ confirmation: await confirmPresence(app.ctx, request.params.token) }),
  );

  app.post(
    "/:token/help",
    {
      config: { access: "carer link" },
      schema: {
        tags: ["carer"],
        description: '"Something is wrong": every console of the session is alerted at once (at most once a minute).',
        params: linkToken,
        response: { 202: z.object({ help: z.literal("sent") }), 404: errorBody, 409: errorBody },
      },
    },
    async (request, reply) => {
      await askForHelp(app.ctx, request.params.token, "carer");
      return reply.code(202).send({ help: "sent" as const });
    },
  );

  app.post(
    "/:token/withdraw",
    {
      config: { access: "carer link" },
      schema: {
        tags: ["carer"],
        params: linkToken,
        response: { 200: z.object({ confirmation: carerConfirmation }), 404: errorBody, 410: errorBody },
      },
    },
    async (request) => {
      const { present, at } = await withdrawPresence(app.ctx, request.params.token);
      return { confirmation: { present, at } };
    },
  );
};
