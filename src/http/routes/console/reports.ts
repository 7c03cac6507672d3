// GET /api/reports?from=YYYY-MM&to=YYYY-MM[&format=csv], for the DSL and admins: the
// organisation's figures per month and group (src/domain/reports.ts). Without from and to: the
// last twelve months, this one included, in the organisation's time zone.
import type { FastifyPluginAsyncZod } from "@fastify/type-provider-zod";
import { DateTime } from "luxon";
import { z } from "zod";
import { errorBody, report } from "../../../contract/api.ts";
import { buildReport, type ReportRow } from "../../../domain/reports.ts";
import { readSettings } from "../../../domain/settings.ts";
import { sendCsv, toCsv } from "../../csv.ts";

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month as YYYY-MM");
/** At most three years in one report. */
const maxMonths = 36;

const query = z
  .object({ from: month.optional(), to: month.optional(), format: z.enum(["json", "csv"]).default("json") })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "from must not be after to", path: ["from"] })
  .refine(
    (q) =>
      !q.from || !q.to || DateTime.fromFormat(q.to, "yyyy-MM").diff(DateTime.fromFormat(q.from, "yyyy-MM"), "months").months < maxMonths,
    { message: `at most ${maxMonths} months at once`, path: ["to"] },
  );

/** A row as one CSV line: the refusals as "R2.carer-present: 3; R4.consent: 1". */
function csvRow(r: ReportRow) {
  return {
    ...r,
    refusalsByRule: Object.entries(r.refusalsByRule)
      .map(([rule, n]) => `${rule}: ${n}`)
      .join("; "),
  };
}

export const reportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/reports",
    {
      config: { access: "dsl and admins" },
      schema: {
        tags: ["safeguarding"],
        description:
          "Per month and group: sessions held, people who came, median and longest waits (seconds), refusals by rule, staff refusals, R3 waivers, calls for help, keep-apart refusals; `totals` is every group together per month. `format=csv` gives the rows as CSV.",
        querystring: query,
        response: { 200: report, 400: errorBody },
      },
    },
    async (request, reply) => {
      const { timeZone } = await readSettings(app.ctx.database.db);
      const now = DateTime.fromJSDate(app.ctx.now(), { zone: timeZone });
      const to = request.query.to ?? now.toFormat("yyyy-MM");
      const from = request.query.from ?? DateTime.fromFormat(to, "yyyy-MM").minus({ months: 11 }).toFormat("yyyy-MM");
      const result = await buildReport(app.ctx, from, to);
      if (request.query.format === "csv")
        return sendCsv(
          reply,
          `report-${from}-to-${to}`,
          toCsv(result.rows.map(csvRow), [
            "month",
            "group",
            "sessionsHeld",
            "peopleCame",
            "medianWaitSeconds",
            "longestWaitSeconds",
            "refusalsByRule",
            "staffRefusals",
            "r3Waivers",
            "helpAlerts",
            "keepApartRefusals",
          ]),
        );
      return result;
    },
  );
};
