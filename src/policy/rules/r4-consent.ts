// R4 consent: a member is admitted only if approval to communicate with them by video is on file
// and not withdrawn: given by their carer when they live with a carer, otherwise by the member.
// Gatekeeper never records sessions, so recording consent is not needed to enter.
import { fail, notApplicable, pass } from "../check.ts";
import type { AttendeeFacts, Check } from "../types.ts";

const rule = "R4.consent";

export function consent(attendee: AttendeeFacts): Check {
  if (attendee.kind === "volunteer") return notApplicable(rule, "Volunteers do not need consent on file to be contacted by video.");
  const giver = attendee.livesWithCarer ? "carer" : "member";
  const easyRead = attendee.livesWithCarer
    ? "Your carer needs to say yes to video calls first."
    : "You need to say yes to video calls first. Staff can help.";
  const video = attendee.consents.filter((c) => c.type === "video");
  if (video.some((c) => c.givenBy === giver && !c.withdrawn)) {
    return pass(rule, "R4.video-consent", { reason: `Video consent from the ${giver} is on file.` });
  }
  if (video.some((c) => c.givenBy === giver && c.withdrawn)) {
    return fail(rule, "R4.consent-withdrawn", { reason: `The ${giver}'s video consent has been withdrawn.`, easyRead });
  }
  if (video.some((c) => !c.withdrawn)) {
    return fail(rule, "R4.consent-from-wrong-person", {
      reason: attendee.livesWithCarer
        ? "They live with a carer: video consent must come from the carer."
        : "They live independently: video consent must come from them.",
      easyRead,
    });
  }
  return fail(rule, "R4.no-consent", { reason: `No video consent from the ${giver} is on file.`, easyRead });
}
