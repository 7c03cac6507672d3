// R10 valid-invite: an invite or carer link is personal to one person and one session,
// unguessable, stored only as a hash, revocable, and dead once the session has ended.
import { fail, pass } from "../check.ts";
import type { Check, LinkFacts, SessionFacts } from "../types.ts";

const rule = "R10.valid-invite";

export function validInvite(link: LinkFacts, session: SessionFacts): Check {
  // Ending a session also revokes its links: say the more useful thing first.
  if (session.status === "ended" && session.cancelled) {
    return fail(rule, "R10.session-cancelled", {
      reason: "The session was cancelled, so its links have ended too.",
      easyRead: "This group is cancelled. It will not happen.",
    });
  }
  if (session.status === "ended") {
    return fail(rule, "R10.session-ended", {
      reason: "The session has ended, so its links have too.",
      easyRead: "The group has finished.",
    });
  }
  if (link.revoked) {
    return fail(rule, "R10.link-revoked", {
      reason: "This link has been replaced or revoked.",
      easyRead: "This link does not work any more. Ask staff for a new one.",
    });
  }
  return pass(rule, "R10.link-valid", { reason: "A personal link for this person and this session." });
}
