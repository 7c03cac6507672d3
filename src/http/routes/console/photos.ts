// Staff photos: PUT /api/staff/me/photo (the picture itself as the body, image/jpeg, image/png or
// image/webp, up to 5 MiB), DELETE /api/staff/me/photo, and GET /api/staff/:id/photo (WebP) for
// the console. Each member of staff sets only their own: it is their face. The waiting page gets
// its lead's through its own link (GET /api/join/:token/lead-photo).
import type { FastifyPluginAsyncZod } from "@fastify/type-provider-zod";
import type { FastifyReply } from "fastify";
import { z } from "zod";
import { errorBody } from "../../../contract/api.ts";
import { photoOf, removePhoto, setPhoto } from "../../../domain/staff-photo.ts";
import { currentStaff } from "../../plugins/auth.ts";
import { idParam } from "../../schemas.ts";

const photoTypes = ["image/jpeg", "image/png", "image/webp"];
const maxUpload = 5 * 1024 * 1024;

/** A stored photo as an answer: WebP, stored by nobody (the waiting page's address holds its link). */
export function sendPhoto(reply: FastifyReply, image: Buffer): FastifyReply {
  return reply.type("image/webp").header("cache-control", "no-store").send(image);
}

export const photoRoutes: FastifyPluginAsyncZod = async (app) => {
  // Only in this plugin: the picture arrives as it is, not as JSON.
  app.addContentTypeParser(photoTypes, { parseAs: "buffer", bodyLimit: maxUpload }, (_request, body, done) => done(null, body));

  app.put(
    "/me/photo",
    {
      config: { access: "signed in" },
      bodyLimit: maxUpload,
      schema: {
        tags: ["staff"],
        description: "Your photo, shown to the people waiting for your sessions. Send the picture itself (JPEG, PNG or WebP, up to 5 MiB).",
        response: { 204: z.null(), 400: errorBody, 413: errorBody, 415: errorBody },
      },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body) || request.body.length === 0)
        return reply.code(415).send({ error: { code: "unsupported_media_type", message: `Send a picture: ${photoTypes.join(", ")}.` } });
      await setPhoto(app.ctx, currentStaff(request).id, request.body);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    "/me/photo",
    { config: { access: "signed in" }, schema: { tags: ["staff"], response: { 204: z.null() } } },
    async (request, reply) => {
      await removePhoto(app.ctx, currentStaff(request).id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/:id/photo",
    {
      config: { access: "signed in" },
      schema: { tags: ["staff"], params: idParam, response: { 200: z.any().describe("image/webp"), 404: errorBody } },
    },
    async (request, reply) => sendPhoto(reply, await photoOf(app.ctx, request.params.id)),
  );
};
