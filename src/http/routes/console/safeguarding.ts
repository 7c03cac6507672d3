// The safeguarding lead's views: concerns (any staff raise them; staff see their own, the DSL
// sees all and follows up), waivers of soft rules (R3, R14), and the audit trail with its
// verification. Each list can be exported as JSON or CSV (?format=csv).
import type { FastifyPluginAsyncZod } from "@fastify/type-provider-zod";
import { z } from "zod";
import { concern, concernStatus, errorBody } from "../../../contract/api.ts";
import { listAuditEvents, verifyTrail } from "../../../domain/audit.ts";
import { addConcernNote, getConcern, listConcerns, raiseConcern } from "../../../domain/concerns.ts";
import { listEscalations } from "../../../domain/escalation.ts";
import { listWaivers } from "../../../domain/sessions.ts";
import { sendCsv, toCsv } from "../../csv.ts";
import { currentStaff } from "../../plugins/auth.ts";
import { dateTime, idParam } from "../../schemas.ts";

const format = z.object({ format: z.enum(["json", "csv"]).default("json") });
const id = z.string().min(1).max(64);

export const safeguardingRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/concerns",
    {
      config: { access: "signed in" },
      schema: {
        tags: ["safeguarding"],
        body: z
          .object({
            text: z.string().trim().min(3).max(5000),
            sessionId: id.optional(),
            attendeeId: id.optional(),
            memberId: id.optional(),
            aboutStaffId: id.optional(),
          })
          .strict(),
        response: { 201: z.object({ concern }), 404: errorBody },
      },
    },
    async (request, reply) => reply.code(201).send({ concern: await raiseConcern(app.ctx, request.body, currentStaff(request)) }),
  );

  app.get(
    "/concerns",
    {
      config: { access: "signed in" },
      schema: { tags: ["safeguarding"], querystring: format, response: { 200: z.object({ concerns: z.array(concern) }) } },
    },
    async (request, reply) => {
      const concerns = await listConcerns(app.ctx, currentStaff(request));
      if (request.query.format === "csv") {
        return sendCsv(
          reply,
          "concerns",
          toCsv(
            concerns.map((c) => ({ ...c, notes: c.notes })),
            ["id", "createdAt", "raisedById", "status", "sessionId", "memberId", "attendeeId", "aboutStaffId", "text", "notes"],
          ),
        );
      }
      return { concerns };
    },
  );

  app.get(
    "/concerns/:id",
    {
      config: { access: "concern readers" },
      schema: { tags: ["safeguarding"], params: idParam, response: { 200: z.object({ concern }), 404: errorBody } },
    },
    async (request) => ({ concern: await getConcern(app.ctx, request.params.id, currentStaff(request)) }),
  );

  app.post(
    "/concerns/:id/notes",
    {
      config: { access: "dsl" },
      schema: {
        tags: ["safeguarding"],
        params: idParam,
        body: z.object({ note: z.string().trim().min(1).max(5000), status: concernStatus.optional() }),
        response: { 201: z.object({ concern }), 404: errorBody },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send({ concern: await addConcernNote(app.ctx, request.params.id, request.body.note, request.body.status, currentStaff(request)) }),
  );

  app.get(
    "/waivers",
    {
      config: { access: "dsl and admins" },
      schema: {
        tags: ["safeguarding"],
        querystring: format,
        response: {
          200: z.object({
            waivers: z.array(
              z.object({
                id: z.string(),
                sessionId: z.string(),
                sessionTitle: z.string(),
                rule: z.string(),
                reason: z.string(),
                staffId: z.string(),
                createdAt: z.date(),
              }),
            ),
          }),
        },
      },
    },
    async (request, reply) => {
      const waivers = await listWaivers(app.ctx);
      if (request.query.format === "csv")
        return sendCsv(reply, "waivers", toCsv(waivers, ["id", "createdAt", "sessionId", "sessionTitle", "rule", "reason", "staffId"]));
      return { waivers };
    },
  );

  app.get(
    "/escalations",
    {
      config: { access: "dsl and admins" },
      schema: {
        tags: ["safeguarding"],
        description:
          "Waits that went on for twice the long-wait setting with nobody letting the person in, refusing them or writing to them.",
        response: {
          200: z.object({
            escalations: z.array(
              z.object({
                at: z.date(),
                sessionId: z.string().nullable(),
                sessionTitle: z.string(),
                attendeeId: z.string().nullable(),
                name: z.string(),
                waitedSeconds: z.number(),
              }),
            ),
          }),
          403: errorBody,
        },
      },
    },
    async () => ({ escalations: await listEscalations(app.ctx) }),
  );

  app.get(
    "/audit",
    {
      config: { access: "dsl and admins" },
      schema: {
        tags: ["safeguarding"],
        querystring: format.extend({
          sessionId: id.optional(),
          /** A person: the attendee, member, carer link or staff account the event is about. */
          subjectId: id.optional(),
          /** The member of staff (or attendee, carer link) who acted. */
          actorId: id.optional(),
          action: z.string().max(64).optional(),
          from: dateTime.optional(),
          to: dateTime.optional(),
          limit: z.coerce.number().int().min(1).max(10_000).default(1000),
        }),
        response: {
          200: z.object({
            events: z.array(
              z.object({
                seq: z.number(),
                at: z.date(),
                actorType: z.string(),
                actorId: z.string().nullable(),
                action: z.string(),
                sessionId: z.string().nullable(),
                subjectId: z.string().nullable(),
                data: z.unknown(),
                prevHash: z.string(),
                hash: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const rows = await listAuditEvents(app.ctx, q);
      if (q.format === "csv")
        return sendCsv(
          reply,
          "audit",
          toCsv(rows, ["seq", "at", "actorType", "actorId", "action", "sessionId", "subjectId", "data", "prevHash", "hash"]),
        );
      return { events: rows.map((r) => ({ ...r, data: JSON.parse(r.data) as unknown })) };
    },
  );

  app.get(
    "/audit/verify",
    {
      config: { access: "dsl and admins" },
      schema: {
        tags: ["safeguarding"],
        response: {
          200: z.object({
            ok: z.boolean(),
            count: z.number(),
            headHash: z.string().optional(),
            firstBroken: z.object({ seq: z.number(), reason: z.string() }).optional(),
          }),
        },
      },
    },
    async () => verifyTrail(app.ctx),
  );
};
