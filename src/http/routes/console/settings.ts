// Organisation settings (GET: staff, PUT: admin) and the easy-read texts people agree to
// (GET: staff, PUT a new version: admin or DSL).
import type { FastifyPluginAsyncZod } from "@fastify/type-provider-zod";
import { z } from "zod";
import { settings, text } from "../../../contract/api.ts";
import { currentSettings, currentTexts, publishText, updateSettings } from "../../../domain/settings.ts";
import { isValidTimeZone, toMinutes } from "../../../policy/clock.ts";
import { weekdays } from "../../../policy/types.ts";
import { currentStaff } from "../../plugins/auth.ts";

const settingsResponse = z.object({ settings });

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "must be HH:MM (24:00 allowed as an end)");
const interval = z
  .object({ start: time, end: time })
  .refine((i) => toMinutes(i.start) < toMinutes(i.end), "start must be before end")
  .refine((i) => i.start !== "24:00", "24:00 is only allowed as an end");
const day = z.array(interval).max(6);
const agreedHours = z.object(Object.fromEntries(weekdays.map((d) => [d, day])) as Record<(typeof weekdays)[number], typeof day>).strict();

const settingsBody = z.object({
  timeZone: z.string().refine(isValidTimeZone, "is not a known IANA time zone"),
  agreedHours,
  emergencyContact: z.object({ name: z.string().trim().min(1).max(120), phone: z.string().trim().min(3).max(40) }),
  carerConfirmLeadMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .optional(),
  longWaitSeconds: z.number().int().min(30).max(3600).optional(),
  inviteDaysBefore: z.number().int().min(0).max(28).optional(),
  reminderHoursBefore: z.number().int().min(1).max(168).optional(),
  occurrenceWeeksAhead: z.number().int().min(1).max(52).optional(),
  retentionYears: z
    .number()
    .int()
    .min(1)
    .max(100)
    .nullable()
    .optional()
    .describe("Erase the details of members with no session for this many years (null: never)."),
});

export const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/settings",
    { config: { access: "signed in" }, schema: { tags: ["settings"], response: { 200: settingsResponse } } },
    async () => ({
      settings: await currentSettings(app.ctx),
    }),
  );

  app.put(
    "/settings",
    {
      config: { access: "admins" },
      schema: { tags: ["settings"], body: settingsBody, response: { 200: settingsResponse } },
    },
    async (request) => ({ settings: await updateSettings(app.ctx, request.body, currentStaff(request).id) }),
  );

  app.get(
    "/guidelines",
    {
      config: { access: "signed in" },
      schema: { tags: ["settings"], response: { 200: z.object({ member: text, carer: text }) } },
    },
    async () => currentTexts(app.ctx),
  );

  app.put(
    "/guidelines/:audience",
    {
      config: { access: "dsl and admins" },
      schema: {
        tags: ["settings"],
        params: z.object({ audience: z.enum(["member", "carer"]) }),
        body: z.object({ lines: z.array(z.string().trim().min(1).max(200)).min(1).max(10) }),
        response: { 201: text },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await publishText(app.ctx, request.params.audience, request.body.lines, currentStaff(request).id)),
  );
};
