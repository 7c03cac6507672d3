// Recording a session (R4, SPEC §8): start and stop it (the session's staff), each staff member's
// own answer to being recorded, a session's recordings (its watchers; the file's location for
// the DSL and admins only) and every recording (DSL and admins).
import type { FastifyPluginAsyncZod } from "@fastify/type-provider-zod";
import { z } from "zod";
import { errorBody, recording, recordingWithPeople } from "../../../contract/api.ts";
import { answerAsStaff, listAllRecordings, listRecordings, startRecording, stopRecording } from "../../../domain/recording/recording.ts";
import { currentStaff } from "../../plugins/auth.ts";
import { idParam } from "../../schemas.ts";

export const recordingRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/sessions/:id/recording",
    {
      config: { access: "session staff" },
      schema: {
        tags: ["recording"],
        description:
          "Starts recording the room through LiveKit Egress. Starting confirms the caller's own consent. 409 with R4.recording-consent (naming who lacks it) unless everyone in the room and everyone admitted has recording consent; 503 when LiveKit cannot record.",
        params: idParam,
        response: { 201: z.object({ recording }), 403: errorBody, 404: errorBody, 409: errorBody, 503: errorBody },
      },
    },
    async (request, reply) => reply.code(201).send({ recording: await startRecording(app.ctx, request.params.id, currentStaff(request)) }),
  );

  app.delete(
    "/sessions/:id/recording",
    {
      config: { access: "session staff" },
      schema: {
        tags: ["recording"],
        params: idParam,
        response: { 200: z.object({ recording }), 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => ({ recording: await stopRecording(app.ctx, request.params.id, currentStaff(request)) }),
  );

  app.get(
    "/sessions/:id/recordings",
    {
      config: { access: "session watchers" },
      schema: {
        tags: ["recording"],
        params: idParam,
        response: { 200: z.object({ recordings: z.array(recordingWithPeople) }), 403: errorBody, 404: errorBody },
      },
    },
    async (request) => ({ recordings: await listRecordings(app.ctx, request.params.id, currentStaff(request)) }),
  );

  app.post(
    "/sessions/:id/recording-consent",
    {
      config: { access: "session staff" },
      schema: {
        tags: ["recording"],
        description: "The caller's own answer, for this session, to being recorded. Saying no stops a recording of the room.",
        params: idParam,
        body: z.object({ agreed: z.boolean() }),
        response: { 204: z.null(), 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request, reply) => {
      await answerAsStaff(app.ctx, request.params.id, currentStaff(request), request.body.agreed);
      return reply.code(204).send(null);
    },
  );

  app.get(
    "/recordings",
    {
      config: { access: "dsl and admins" },
      schema: {
        tags: ["recording"],
        response: { 200: z.object({ recordings: z.array(recording.extend({ sessionTitle: z.string() })) }), 403: errorBody },
      },
    },
    async (request) => ({ recordings: await listAllRecordings(app.ctx, currentStaff(request)) }),
  );
};
