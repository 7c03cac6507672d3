// The invite link, for members and volunteers: GET what the page needs, POST to enter the
// waiting room, POST /connection for the LiveKit token once admitted, GET /lead-photo for the face
// of who lets them in.
import type { FastifyPluginAsyncZod } from "@fastify/type-provider-zod";
import { z } from "zod";
import { errorBody, invite } from "../../../contract/api.ts";
import { conflict } from "../../../domain/errors.ts";
import { askForHelp } from "../../../domain/help.ts";
import { connectionDetails, describeInvite, enterWaitingRoom, leadPhotoFor } from "../../../domain/invitee.ts";
import { answerAsVolunteer } from "../../../domain/recording/recording.ts";
import { hashToken } from "../../../domain/secrets.ts";
import { failing } from "../../../policy/engine.ts";
import { linkToken } from "../../schemas.ts";
import { sendPhoto } from "../console/photos.ts";
import { limit } from "./limits.ts";

export const joinRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/:token",
    {
      config: { access: "invitee link" },
      schema: {
        tags: ["invitee"],
        params: linkToken,
        response: {
          200: invite,
          404: errorBody,
          410: errorBody,
        },
      },
    },
    async (request) => describeInvite(app.ctx, request.params.token),
  );

  app.post(
    "/:token",
    {
      config: { access: "invitee link" },
      schema: {
        tags: ["invitee"],
        params: linkToken,
        body: z.object({ agreedToGuidelines: z.boolean().optional() }).default({}),
        response: {
          200: invite.pick({ attendee: true, session: true }),
          404: errorBody,
          409: errorBody,
          410: errorBody,
        },
      },
    },
    async (request) => {
      const result = await enterWaitingRoom(app.ctx, request.params.token, request.body.agreedToGuidelines === true);
      if (!result.ok) {
        const first = failing(result.checks)[0];
        throw conflict(first?.code ?? "policy_refused", first?.easyRead ?? "You cannot wait for this group yet.", result.checks);
      }
      return { attendee: result.attendee, session: result.session };
    },
  );

  app.post(
    "/:token/help",
    {
      config: { access: "invitee link" },
      schema: {
        tags: ["invitee"],
        description:
          '"I need help" (as the waiting socket\'s {type: "help"}): every console of the session is alerted at once (at most once a minute).',
        params: linkToken,
        response: { 202: z.object({ help: z.literal("sent") }), 404: errorBody, 409: errorBody },
      },
    },
    async (request, reply) => {
      await askForHelp(app.ctx, request.params.token, "page");
      return reply.code(202).send({ help: "sent" as const });
    },
  );

  app.get(
    "/:token/lead-photo",
    {
      config: { access: "invitee link" },
      schema: {
        tags: ["invitee"],
        description: "The photo of the member of staff who lets them in (WebP), when the invite says `lead.photo`.",
        params: linkToken,
        response: { 200: z.any().describe("image/webp"), 404: errorBody, 410: errorBody },
      },
    },
    async (request, reply) => sendPhoto(reply, await leadPhotoFor(app.ctx, request.params.token)),
  );

  app.post(
    "/:token/recording-consent",
    {
      config: { access: "invitee link" },
      schema: {
        tags: ["invitee"],
        description:
          "A volunteer's own answer, for this session, to being recorded (R4). Saying no stops a recording of the room. A member's consent is on file with staff: 409.",
        params: linkToken,
        body: z.object({ agreed: z.boolean() }),
        response: { 204: z.null(), 404: errorBody, 409: errorBody, 410: errorBody },
      },
    },
    async (request, reply) => {
      await answerAsVolunteer(app.ctx, request.params.token, request.body.agreed);
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/:token/connection",
    {
      config: { access: "invitee link" },
      // Every token issued is a permanent record: a link may ask only so often.
      onRequest: limit(
        app,
        app.config.LINK_TOKEN_RATE_LIMIT,
        (request) => `token:${hashToken((request.params as { token: string }).token)}`,
        "This link has asked to join too often. Wait a minute and try again.",
      ),
      schema: {
        tags: ["invitee"],
        params: linkToken,
        response: { 201: z.object({ server_url: z.string(), participant_token: z.string() }), 404: errorBody, 409: errorBody },
      },
    },
    async (request, reply) => {
      const result = await connectionDetails(app.ctx, request.params.token);
      if (!result.ok) {
        throw conflict("not_admitted", failing(result.checks)[0]?.easyRead ?? "Staff will let you in soon.", result.checks);
      }
      return reply.code(201).send({ server_url: result.server_url, participant_token: result.participant_token });
    },
  );
};
