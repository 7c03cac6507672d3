// R13 guidelines-agreed: a member or volunteer enters a session's waiting room only after the
// group guidelines have been shown in easy-read form and agreed to; asked again when they change.
import { fail, pass } from "../check.ts";
import type { AttendeeFacts, Check } from "../types.ts";

const rule = "R13.guidelines-agreed";

export function guidelinesAgreed(attendee: AttendeeFacts, currentVersion: number, agreesNow = false): Check {
  if (agreesNow || attendee.agreedGuidelinesVersion === currentVersion) {
    return pass(rule, "R13.agreed", { reason: `Agreed to version ${currentVersion} of the group guidelines.` });
  }
  const easyRead = "Please read the group rules and say yes.";
  return attendee.agreedGuidelinesVersion === null
    ? fail(rule, "R13.not-agreed", { reason: "They have not agreed to the group guidelines yet.", easyRead })
    : fail(rule, "R13.guidelines-changed", {
        reason: `The group guidelines changed (version ${currentVersion}) since they agreed to version ${attendee.agreedGuidelinesVersion}.`,
        easyRead,
      });
}
