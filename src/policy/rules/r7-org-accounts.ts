// R7 org-accounts: staff join only as their organisational account, signed in to the console.
import { fail, pass } from "../check.ts";
import type { Check, StaffActor } from "../types.ts";

const rule = "R7.org-accounts";

export function orgAccount(actor: StaffActor, needLead: boolean): Check {
  if (!actor.active) return fail(rule, "R7.account-inactive", { reason: "This staff account is not active." });
  if (needLead && !actor.isLead) return fail(rule, "R7.not-lead", { reason: "Only the session's lead can start it." });
  if (!actor.isAssigned) return fail(rule, "R7.not-assigned", { reason: "This staff account is not assigned to the session." });
  return pass(rule, "R7.signed-in-account", { reason: "Signed in with an active organisational account assigned to the session." });
}
