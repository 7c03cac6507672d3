// R4 consent: a member is admitted only if approval to communicate with them by video is on file
// and not withdrawn: given by their carer when they live with a carer, otherwise by the member.
// Recording needs its own consent, from every person in the room: a member's (from the same
// giver as video consent), and a volunteer's or a member of staff's own answer for the session.
// While a session is being recorded, nobody without it is admitted.
import type { ConsentType } from "../../contract/vocabulary.ts";
import { fail, notApplicable, pass } from "../check.ts";
import type { AttendeeFacts, Check, ConsentFacts, RecordingPerson } from "../types.ts";

const rule = "R4.consent";

/** Where consent of one type stands, judged as R4 judges it. */
export type ConsentOnFile = "given" | "withdrawn" | "wrong-giver" | "missing";

export function consentOnFile(consents: readonly ConsentFacts[], livesWithCarer: boolean, type: ConsentType): ConsentOnFile {
  const giver = livesWithCarer ? "carer" : "member";
  const ofType = consents.filter((c) => c.type === type);
  if (ofType.some((c) => c.givenBy === giver && !c.withdrawn)) return "given";
  if (ofType.some((c) => c.givenBy === giver)) return "withdrawn";
  if (ofType.some((c) => !c.withdrawn)) return "wrong-giver";
  return "missing";
}

export function consent(attendee: AttendeeFacts, recording = false): Check {
  const video = videoConsent(attendee);
  if (video.outcome === "fail" || !recording) return video;
  const lacks = recordingConsentLacking(attendee);
  if (!lacks)
    return pass(rule, "R4.recording-consent-given", {
      reason: `${video.reason} The session is being recorded: ${attendee.displayName} consented.`,
    });
  return fail(rule, "R4.recording-consent", {
    reason: `The session is being recorded and ${lacks}. Stop the recording to let ${attendee.displayName} in.`,
    easyRead: "Staff are recording the group now. Staff will talk to you.",
  });
}

function videoConsent(attendee: AttendeeFacts): Check {
  if (attendee.kind === "volunteer") return notApplicable(rule, "Volunteers do not need consent on file to be contacted by video.");
  const giver = attendee.livesWithCarer ? "carer" : "member";
  const easyRead = attendee.livesWithCarer
    ? "Your carer needs to say yes to video calls first."
    : "You need to say yes to video calls first. Staff can help.";
  switch (consentOnFile(attendee.consents, attendee.livesWithCarer, "video")) {
    case "given":
      return pass(rule, "R4.video-consent", { reason: `Video consent from the ${giver} is on file.` });
    case "withdrawn":
      return fail(rule, "R4.consent-withdrawn", { reason: `The ${giver}'s video consent has been withdrawn.`, easyRead });
    case "wrong-giver":
      return fail(rule, "R4.consent-from-wrong-person", {
        reason: attendee.livesWithCarer
          ? "They live with a carer: video consent must come from the carer."
          : "They live independently: video consent must come from them.",
        easyRead,
      });
    case "missing":
      return fail(rule, "R4.no-consent", { reason: `No video consent from the ${giver} is on file.`, easyRead });
  }
}

/** Why this person may not be recorded, in words for staff, or null when they may. */
export function recordingConsentLacking(person: RecordingPerson): string | null {
  const name = person.displayName;
  if (person.kind === "volunteer" || person.kind === "staff") {
    if (person.recordingAgreed === true) return null;
    return person.recordingAgreed === false ? `${name} said no to being recorded` : `${name} has not said yes to being recorded`;
  }
  const giver = person.livesWithCarer ? "their carer" : "them";
  switch (consentOnFile(person.consents, person.livesWithCarer, "recording")) {
    case "given":
      return null;
    case "withdrawn":
      return `${name}'s recording consent (from ${giver}) was withdrawn`;
    case "wrong-giver":
      return `${name}'s recording consent must come from ${giver}`;
    case "missing":
      return `${name} has no recording consent on file (from ${giver})`;
  }
}

/** May the room be recorded with these people in it (in the room, or admitted to it)? */
export function recordingConsent(people: readonly RecordingPerson[]): Check {
  const lacking = people.flatMap((p) => recordingConsentLacking(p) ?? []);
  if (lacking.length === 0)
    return pass(rule, "R4.recording-consent-given", { reason: "Everyone in the room has recording consent on file." });
  return fail(rule, "R4.recording-consent", { reason: `Recording needs consent from everyone in the room: ${lacking.join("; ")}.` });
}
