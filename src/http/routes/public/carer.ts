// The carer link: what the session is, the carer terms, confirm presence (R2), withdraw.
import type { FastifyPluginAsyncZod } from "@fastify/type-provider-zod";
import { z } from "zod";
import { carerConfirmation, carerLink, errorBody } from "../../../contract/api.ts";
import { confirmPresence, describeCarerLink, withdrawPresence } from "../../../domain/carer.ts";
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
