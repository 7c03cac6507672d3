// R3 second-staff (soft): a session starts with a second member of staff assigned, or the lead
// records why that is not possible. The waiver is visible to the DSL.
import { fail, pass, waived } from "../check.ts";
import type { Check, SessionFacts } from "../types.ts";

const rule = "R3.second-staff";
const minWaiverLength = 10;

export function secondStaff(session: SessionFacts, waiverReason: string | null): Check {
  if (session.hasSecondStaff && session.secondStaffActive)
    return pass(rule, "R3.second-staff-assigned", { reason: "A second member of staff is assigned." });
  const reason = waiverReason?.trim() ?? "";
  if (reason.length >= minWaiverLength)
    return waived(rule, "R3.waived", { reason: `No second member of staff. The lead recorded why: ${reason}` });
  return fail(rule, session.hasSecondStaff ? "R3.second-staff-inactive" : "R3.no-second-staff", {
    reason: `Assign an active second member of staff, or record why that is not possible (at least ${minWaiverLength} characters).`,
  });
}
