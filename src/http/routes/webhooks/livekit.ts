// POST /webhooks/livekit: LiveKit's webhooks, verified with the API secret by the SDK's own
// receiver (signature, expiry, and the SHA-256 of the exact body). A bad or missing signature
// is 401 and changes nothing; a redelivered event is recognised by its id and ignored.
import type { FastifyPluginAsyncZod } from "@fastify/type-provider-zod";
import { type WebhookEvent, WebhookReceiver } from "livekit-server-sdk";
import { z } from "zod";
import { egressOf } from "../../../adapters/livekit/egress.ts";
import { errorBody } from "../../../contract/api.ts";
import { applySighting, recordRoomFinished } from "../../../domain/attendance.ts";
import { DomainError } from "../../../domain/errors.ts";
import { applyEgressEvent, enforceInRoom } from "../../../domain/recording/recording.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** The webhook, once its signature is verified. */
    webhookEvent: WebhookEvent | null;
  }
}

export const livekitWebhookRoutes: FastifyPluginAsyncZod = async (app) => {
  const receiver = new WebhookReceiver(app.config.LIVEKIT_API_KEY, app.config.LIVEKIT_API_SECRET);
  app.decorateRequest("webhookEvent", null);
  // The signature covers the exact bytes, so the body is kept as the string that arrived.
  app.addContentTypeParser("application/webhook+json", { parseAs: "string" }, (_request, body, done) => done(null, body));

  app.post(
    "/livekit",
    {
      config: { access: "livekit" },
      schema: { tags: ["webhooks"], body: z.string(), response: { 200: z.object({ ok: z.literal(true) }), 401: errorBody } },
      // The signature is checked before the body is validated: an unsigned caller learns nothing.
      preValidation: async (request) => {
        const body = typeof request.body === "string" ? request.body : "";
        const event = await receiver.receive(body, request.headers.authorization).catch(() => {
          throw new DomainError(401, "invalid_webhook", "The webhook's signature is missing or does not match.");
        });
        request.webhookEvent = event;
      },
    },
    async (request) => {
      const event = request.webhookEvent!;
      // LiveKit stamps its events in whole seconds (createdAt, a bigint); the wall clock, not the service's.
      if (event.createdAt) app.ctx.metrics.webhookLag.observe(Math.max(0, Date.now() / 1000 - Number(event.createdAt)));
      // Egress events name their room inside egressInfo, not in `room`.
      if (event.egressInfo && event.event.startsWith("egress_")) {
        await applyEgressEvent(app.ctx, egressOf(event.egressInfo));
        return { ok: true as const };
      }
      const room = event.room?.name;
      const participant = event.participant;
      if (!room) return { ok: true as const };
      const at = new Date(Number(event.createdAt) * 1000);
      switch (event.event) {
        case "participant_joined":
        case "participant_left":
        case "participant_connection_aborted":
          if (participant) {
            await applySighting(app.ctx, room, {
              eventId: event.id,
              event: event.event === "participant_joined" ? "joined" : "left",
              identity: participant.identity,
              metadata: participant.metadata,
              at,
            });
            // Someone appearing in a recorded room without recording consent stops the recording.
            if (event.event === "participant_joined") await enforceInRoom(app.ctx, room);
          }
          break;
        case "room_finished":
          await recordRoomFinished(app.ctx, room, event.id);
          break;
        default:
          break;
      }
      return { ok: true as const };
    },
  );
};
