// R2 carer-present: for a session delivered into members' homes, a member who lives with a carer
// is admitted only after a carer has confirmed, for this session, that they are present or available.
import { fail, notApplicable, pass } from "../check.ts";
import type { AttendeeFacts, Check, SessionFacts } from "../types.ts";

const rule = "R2.carer-present";

export function carerPresent(session: SessionFacts, attendee: AttendeeFacts): Check {
  if (attendee.kind === "volunteer") return notApplicable(rule, "Volunteers do not need a carer present.");
  if (session.delivery === "venue") return notApplicable(rule, "The session is delivered at a venue, not in the home.");
  if (!attendee.livesWithCarer) return notApplicable(rule, "They do not live with a carer.");
  if (attendee.carerPresent === true)
    return pass(rule, "R2.carer-confirmed", { reason: "A carer has confirmed they are present for this session." });
  if (attendee.carerPresent === false) {
    return fail(rule, "R2.carer-withdrew", {
      reason: "The carer withdrew their confirmation that they are present.",
      easyRead: "Your carer needs to say they are with you.",
    });
  }
  return fail(rule, "R2.carer-not-confirmed", {
    reason: "No carer has confirmed they are present for this session.",
    easyRead: "Your carer needs to say they are with you.",
  });
}
