// R6 agreed-hours: sessions run only within the organisation's agreed hours, and only in their
// own time: from 15 minutes before the start until the end.

import { fail, pass } from "../check.ts";
import { windowWithinHours } from "../clock.ts";
import type { AgreedHours, Check, SessionFacts } from "../types.ts";

const rule = "R6.agreed-hours";
const earlyStartMinutes = 15;

export function scheduledWithinHours(session: Pick<SessionFacts, "startsAt" | "endsAt">, hours: AgreedHours): Check {
  return windowWithinHours(session.startsAt, session.endsAt, hours)
    ? pass(rule, "R6.within-agreed-hours", { reason: "The session's times are within the agreed hours." })
    : fail(rule, "R6.outside-agreed-hours", {
        reason: `The session's times are outside the organisation's agreed hours (${hours.timeZone}).`,
        easyRead: "The group is not running now.",
      });
}

export function agreedHours(now: Date, session: SessionFacts, hours: AgreedHours): Check {
  const scheduled = scheduledWithinHours(session, hours);
  if (scheduled.outcome === "fail") return scheduled;
  if (now.getTime() < session.startsAt.getTime() - earlyStartMinutes * 60_000) {
    return fail(rule, "R6.too-early", {
      reason: `It is more than ${earlyStartMinutes} minutes before the session starts.`,
      easyRead: "The group has not started yet.",
    });
  }
  if (now >= session.endsAt)
    return fail(rule, "R6.session-over", { reason: "The session's end time has passed.", easyRead: "The group has finished." });
  return pass(rule, "R6.in-session-time", { reason: "It is session time, within the agreed hours." });
}
