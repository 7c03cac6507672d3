// Sessions for staff: schedule, list, view with each attendee's rule checks, reissue links,
// start, join, end, and the waiting-room actions (admit, admit all, refuse, send back, remove,
// message). Routes gather the request; the domain gathers facts; the policy engine decides.
import type { FastifyPluginAsyncZod } from "@fastify/type-provider-zod";
import { z } from "zod";
import {
  admitOutcome,
  attendee,
  attendeeStateChange,
  errorBody,
  outboxMessage,
  session,
  staffMessage,
  staffToken,
} from "../../../contract/api.ts";
import { delivery, sessionPlan } from "../../../contract/vocabulary.ts";
import {
  admitAll,
  admitAttendee,
  previewAdmissions,
  refuseAttendee,
  removeAttendee,
  returnToWaiting,
  sendMessage,
} from "../../../domain/admission.ts";
import { conflict } from "../../../domain/errors.ts";
import { answerHelp } from "../../../domain/help.ts";
import { sessionMessages } from "../../../domain/outbox/outbox.ts";
import {
  cancelSession,
  endSession,
  getSessionRow,
  joinSession,
  listSessions,
  moveSession,
  reissueLinks,
  scheduleSession,
  setPlan,
  startSession,
  viewSession,
} from "../../../domain/sessions.ts";
import { currentStaff } from "../../plugins/auth.ts";
import { attendeeParams, dateTime, displayName, idParam, toneWaiverReason } from "../../schemas.ts";

export const sessionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/",
    {
      config: { access: "signed in" },
      schema: {
        tags: ["sessions"],
        body: z.object({
          title: z.string().trim().min(1).max(120),
          startsAt: dateTime,
          endsAt: dateTime,
          delivery,
          leadStaffId: z.string().min(1).max(64),
          secondStaffId: z.string().min(1).max(64).optional(),
          memberIds: z.array(z.string().min(1).max(64)).max(100),
          volunteerIds: z.array(z.string().min(1).max(64)).max(20).optional(),
          /** Volunteers named by free text, as before volunteers were on file (no e-mail goes to them). */
          volunteers: z.array(z.object({ displayName })).max(20).optional(),
          allowData: z.boolean().optional(),
          /** Added to every invitation (R14 checks it; toneWaiverReason sends it anyway). */
          invitationNote: z.string().trim().min(1).max(500).optional(),
          toneWaiverReason,
        }),
        response: { 201: z.object({ session }), 400: errorBody, 409: errorBody },
      },
    },
    async (request, reply) => reply.code(201).send({ session: await scheduleSession(app.ctx, request.body, currentStaff(request)) }),
  );

  app.get(
    "/",
    { config: { access: "signed in" }, schema: { tags: ["sessions"], response: { 200: z.object({ sessions: z.array(session) }) } } },
    async (request) => ({
      sessions: await listSessions(app.ctx, currentStaff(request)),
    }),
  );

  app.get(
    "/:id",
    {
      config: { access: "session watchers" },
      schema: { tags: ["sessions"], params: idParam, response: { 200: z.object({ session }), 403: errorBody, 404: errorBody } },
    },
    async (request) => {
      const row = await getSessionRow(app.ctx, request.params.id, currentStaff(request));
      const previews = await previewAdmissions(app.ctx, row.id, currentStaff(request));
      const view = viewSession(row);
      return {
        session: {
          ...view,
          attendees: view.attendees.map((a) => {
            const d = previews.get(a.id);
            return { ...a, eligible: d?.allowed ?? false, checks: d?.checks ?? [] };
          }),
        },
      };
    },
  );

  app.post(
    "/:id/cancel",
    {
      config: { access: "session staff" },
      schema: {
        tags: ["sessions"],
        params: idParam,
        body: z.object({ reason: z.string().trim().min(3).max(500), toneWaiverReason }),
        response: { 200: z.object({ session }), 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const staff = currentStaff(request);
      await cancelSession(app.ctx, request.params.id, request.body.reason, staff, request.body.toneWaiverReason ?? null);
      return { session: viewSession(await getSessionRow(app.ctx, request.params.id, staff)) };
    },
  );

  app.post(
    "/:id/move",
    {
      config: { access: "session staff" },
      schema: {
        tags: ["sessions"],
        params: idParam,
        body: z.object({ startsAt: dateTime, endsAt: dateTime }),
        response: { 200: z.object({ session }), 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const staff = currentStaff(request);
      await moveSession(app.ctx, request.params.id, request.body, staff);
      return { session: viewSession(await getSessionRow(app.ctx, request.params.id, staff)) };
    },
  );

  app.get(
    "/:id/messages",
    {
      config: { access: "session watchers" },
      schema: {
        tags: ["sessions"],
        params: idParam,
        response: { 200: z.object({ messages: z.array(outboxMessage) }), 403: errorBody, 404: errorBody },
      },
    },
    async (request) => {
      await getSessionRow(app.ctx, request.params.id, currentStaff(request));
      return { messages: await sessionMessages(app.ctx, request.params.id) };
    },
  );

  app.post(
    "/:id/attendees/:attendeeId/reissue",
    {
      config: { access: "session staff" },
      schema: {
        tags: ["sessions"],
        params: attendeeParams,
        response: { 200: z.object({ attendee }), 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => ({ attendee: await reissueLinks(app.ctx, request.params.id, request.params.attendeeId, currentStaff(request)) }),
  );

  app.post(
    "/:id/start",
    {
      config: { access: "session lead" },
      schema: {
        tags: ["sessions"],
        params: idParam,
        body: z.object({ secondStaffWaiverReason: z.string().trim().max(1000).optional() }).default({}),
        response: { 200: staffToken, 403: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const result = await startSession(app.ctx, request.params.id, request.body.secondStaffWaiverReason ?? null, currentStaff(request));
      if (!result.ok) throw conflict("policy_refused", "The session cannot start: see the failing checks.", result.checks);
      return { session: result.session, token: result.token, livekitUrl: app.config.LIVEKIT_URL };
    },
  );

  app.post(
    "/:id/join",
    {
      config: { access: "session staff" },
      schema: { tags: ["sessions"], params: idParam, response: { 200: staffToken, 403: errorBody, 409: errorBody } },
    },
    async (request) => {
      const { session: s, token } = await joinSession(app.ctx, request.params.id, currentStaff(request));
      return { session: s, token, livekitUrl: app.config.LIVEKIT_URL };
    },
  );

  app.post(
    "/:id/end",
    {
      config: { access: "session staff" },
      schema: { tags: ["sessions"], params: idParam, response: { 200: z.object({ session }), 403: errorBody, 409: errorBody } },
    },
    async (request) => ({
      session: await endSession(app.ctx, request.params.id, currentStaff(request)),
    }),
  );

  app.post(
    "/:id/attendees/:attendeeId/admit",
    {
      config: { access: "session staff" },
      schema: {
        tags: ["waiting room"],
        params: attendeeParams,
        response: { 200: z.object({ admission: admitOutcome }), 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const outcome = await admitAttendee(app.ctx, request.params.id, request.params.attendeeId, currentStaff(request));
      if (!outcome.admitted)
        throw conflict("policy_refused", `${outcome.displayName} cannot be let in: see the failing checks.`, outcome.checks);
      return { admission: outcome };
    },
  );

  app.post(
    "/:id/admit-all",
    {
      config: { access: "session staff" },
      schema: {
        tags: ["waiting room"],
        params: idParam,
        response: {
          200: z.object({ admitted: z.array(admitOutcome), notAdmitted: z.array(admitOutcome) }),
          403: errorBody,
          404: errorBody,
        },
      },
    },
    async (request) => {
      const outcomes = await admitAll(app.ctx, request.params.id, currentStaff(request));
      return { admitted: outcomes.filter((o) => o.admitted), notAdmitted: outcomes.filter((o) => !o.admitted) };
    },
  );

  app.post(
    "/:id/attendees/:attendeeId/refuse",
    {
      config: { access: "session staff" },
      schema: {
        tags: ["waiting room"],
        params: attendeeParams,
        body: z.object({ message: z.string().trim().min(1).max(500).optional(), toneWaiverReason }).default({}),
        response: { 200: attendeeStateChange, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const a = await refuseAttendee(
        app.ctx,
        request.params.id,
        request.params.attendeeId,
        request.body.message ?? null,
        currentStaff(request),
        request.body.toneWaiverReason ?? null,
      );
      return { attendee: { id: a.id, state: a.state } };
    },
  );

  app.post(
    "/:id/attendees/:attendeeId/return-to-waiting",
    {
      config: { access: "session staff" },
      schema: {
        tags: ["waiting room"],
        params: attendeeParams,
        response: { 200: attendeeStateChange, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const a = await returnToWaiting(app.ctx, request.params.id, request.params.attendeeId, currentStaff(request));
      return { attendee: { id: a.id, state: a.state } };
    },
  );

  app.put(
    "/:id/plan",
    {
      config: { access: "session staff" },
      schema: {
        tags: ["sessions"],
        description:
          "The easy-read plan members see on their waiting page: up to six steps, each a few words and a picture from a fixed set.",
        params: idParam,
        body: z.object({ steps: sessionPlan }),
        response: { 200: z.object({ plan: sessionPlan }), 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => ({ plan: await setPlan(app.ctx, request.params.id, request.body.steps, currentStaff(request)) }),
  );

  app.post(
    "/:id/attendees/:attendeeId/help/answer",
    {
      config: { access: "session staff" },
      schema: {
        tags: ["waiting room"],
        description: "\"I will help\": the person's pages say who is coming; the consoles' banner goes.",
        params: attendeeParams,
        response: { 204: z.null(), 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request, reply) => {
      await answerHelp(app.ctx, request.params.id, request.params.attendeeId, currentStaff(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/:id/attendees/:attendeeId/remove",
    {
      config: { access: "session staff" },
      schema: {
        tags: ["waiting room"],
        params: attendeeParams,
        body: z.object({ reason: z.string().trim().min(3).max(1000) }),
        response: { 200: attendeeStateChange, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const a = await removeAttendee(app.ctx, request.params.id, request.params.attendeeId, request.body.reason, currentStaff(request));
      const reminder = a.livesWithCarer
        ? `Please tell ${a.displayName}'s carer that ${a.displayName} was removed from the session, and why.`
        : undefined;
      return { attendee: { id: a.id, state: a.state }, reminder };
    },
  );

  app.post(
    "/:id/message",
    {
      config: { access: "session staff" },
      schema: {
        tags: ["waiting room"],
        params: idParam,
        body: z.object({ text: z.string().trim().min(1).max(500), attendeeId: z.string().min(1).max(64).optional(), toneWaiverReason }),
        response: {
          201: z.object({ message: staffMessage }),
          403: errorBody,
          404: errorBody,
          409: errorBody,
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send({
        message: await sendMessage(
          app.ctx,
          request.params.id,
          request.body.text,
          request.body.attendeeId ?? null,
          currentStaff(request),
          request.body.toneWaiverReason ?? null,
        ),
      }),
  );
};
