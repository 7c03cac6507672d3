// R15 keep-apart: two people the DSL recorded as never to meet are never scheduled into, admitted
// to or staffing the same session. Staff are told only that; the reason is the DSL's and the
// admins' to read, and members are told that staff will talk to them.
import { fail, pass } from "../check.ts";
import type { Check } from "../types.ts";

const rule = "R15.keep-apart";

/** What staff are told; never the reason, which only the DSL and admins read. */
export const keepApartWords = "These two people must not be in the same session. Ask the safeguarding lead.";

export function keepApart(kept: boolean): Check {
  if (kept) return fail(rule, "R15.keep-apart", { reason: keepApartWords, easyRead: "Staff will talk to you." });
  return pass(rule, "R15.not-kept-apart", { reason: "Nobody here must be kept apart." });
}
