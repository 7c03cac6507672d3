// The policy engine: a pure function from facts to a decision, for every question that can let
// somebody into a room. A token is issued only when the decision allows it (no check fails).
import { decide, notApplicable } from "./check.ts";
import { waitingRoomForAttendee, waitingRoomForStaff } from "./rules/r1-waiting-room.ts";
import { carerPresent } from "./rules/r2-carer-present.ts";
import { secondStaff } from "./rules/r3-second-staff.ts";
import { consent, recordingConsent } from "./rules/r4-consent.ts";
import { staffInRoom } from "./rules/r5-staff-in-room.ts";
import { agreedHours } from "./rules/r6-agreed-hours.ts";
import { orgAccount } from "./rules/r7-org-accounts.ts";
import { privacy } from "./rules/r9-privacy.ts";
import { validInvite } from "./rules/r10-valid-invite.ts";
import { guidelinesAgreed } from "./rules/r13-guidelines-agreed.ts";
import { professionalTone } from "./rules/r14-professional-tone.ts";
import { keepApart } from "./rules/r15-keep-apart.ts";
import type { AdmitFacts, Check, Decision, EnterWaitingFacts, RecordingPerson, StaffJoinFacts, StartFacts } from "./types.ts";

/** Rules enforced elsewhere than in a decision, named in every decision all the same. */
function elsewhere(): Check[] {
  return [
    notApplicable("R8.no-deletion", "Enforced by storage: decisions and communications are append-only."),
    notApplicable("R11.contact-via-carer", "Guidance in the console: invites for members who live with a carer go to the carer."),
    notApplicable("R12.emergency-contact", "Shown on the waiting and carer pages."),
  ];
}

/** May the lead start this session now? (R3, R6, R7, R15) */
export function decideStart(f: StartFacts): Decision {
  return decide(
    [
      secondStaff(f.session, f.waiverReason),
      agreedHours(f.now, f.session, f.agreedHours),
      orgAccount(f.actor, true),
      keepApart(f.keptApart),
      ...elsewhere(),
    ],
    "Not part of starting a session.",
  );
}

/** May an assigned member of staff take a staff token for this live session? (R1, R7, R15) */
export function decideStaffJoin(f: StaffJoinFacts): Decision {
  return decide(
    [waitingRoomForStaff(f.session), orgAccount(f.actor, false), keepApart(f.keptApart), ...elsewhere()],
    "Not part of staff joining.",
  );
}

/** May this person enter the session's waiting room? (R10, R13) */
export function decideEnterWaiting(f: EnterWaitingFacts): Decision {
  return decide(
    [validInvite(f.link, f.session), guidelinesAgreed(f.attendee, f.currentGuidelinesVersion, f.agreesNow), ...elsewhere()],
    "Not part of entering the waiting room.",
  );
}

/** May this person be admitted to the room (stage "admit") or have their token (stage "connect")? */
export function decideAdmission(f: AdmitFacts): Decision {
  return decide(
    [
      waitingRoomForAttendee(f),
      carerPresent(f.session, f.attendee),
      consent(f.attendee, f.session.recording),
      staffInRoom(f.staffConnected),
      agreedHours(f.now, f.session, f.agreedHours),
      privacy(f.attendee.displayName),
      validInvite(f.link, f.session),
      guidelinesAgreed(f.attendee, f.currentGuidelinesVersion),
      keepApart(f.attendee.keptApartPresent),
      ...elsewhere(),
    ],
    "Not part of admission: decided when the session starts.",
  );
}

/** May these people be in one session (scheduled into it, added to its group)? (R15) */
export function decideTogether(keptApart: boolean): Decision {
  return decide([keepApart(keptApart), ...elsewhere()], "Not part of who is in a session.");
}

/** May the room be recorded with these people in it or admitted to it? (R4: everyone's consent) */
export function decideRecording(people: readonly RecordingPerson[]): Decision {
  return decide([recordingConsent(people), ...elsewhere()], "Not part of starting a recording.");
}

/**
 * May this text that a member of staff wrote go to members or carers? (R14: a soft rule; a
 * failing text goes only with a written reason, which the caller records.)
 */
export function decideStaffText(text: string, waiverReason: string | null): Decision {
  return decide([professionalTone(text, waiverReason), ...elsewhere()], "Not part of a message's tone.");
}

/** The failing checks among a decision's, for error bodies and the waiting page. */
export function failing(checks: readonly Check[]): Check[] {
  return checks.filter((c) => c.outcome === "fail");
}
