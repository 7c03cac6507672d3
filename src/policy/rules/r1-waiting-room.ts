// R1 waiting-room: nobody but the session's assigned staff reaches the room without being
// admitted by a member of staff from the waiting room. There is no switch that turns this off.
import { fail, pass } from "../check.ts";
import type { AdmitFacts, Check, SessionFacts } from "../types.ts";

const rule = "R1.waiting-room";

function sessionNotLive(session: SessionFacts): Check | null {
  if (session.status === "live") return null;
  return session.status === "ended"
    ? fail(rule, "R1.session-ended", { reason: "The session has ended.", easyRead: "The group has finished." })
    : fail(rule, "R1.session-not-live", { reason: "Staff have not started the session yet.", easyRead: "The group has not started yet." });
}

export function waitingRoomForAttendee(f: AdmitFacts): Check {
  const closed = sessionNotLive(f.session);
  if (closed) return closed;
  if (f.stage === "connect") {
    return f.attendee.state === "admitted"
      ? pass(rule, "R1.admitted", { reason: "A member of staff let them in from the waiting room." })
      : fail(rule, "R1.not-admitted", { reason: `They are ${f.attendee.state}, not admitted.`, easyRead: "Staff will let you in soon." });
  }
  if (!f.actor?.isAssigned || !f.actor.active) {
    return fail(rule, "R1.not-assigned-staff", { reason: "Only the session's own staff can let people in." });
  }
  if (f.attendee.state !== "waiting" && f.attendee.state !== "returned") {
    return fail(rule, "R1.not-waiting", {
      reason: `They are ${f.attendee.state}, not in the waiting room.`,
      easyRead: "Please open your invite link to wait for the group.",
    });
  }
  return pass(rule, "R1.in-waiting-room", { reason: "They are in the waiting room and staff are letting them in." });
}

export function waitingRoomForStaff(session: SessionFacts): Check {
  return sessionNotLive(session) ?? pass(rule, "R1.assigned-staff", { reason: "The session's own staff go straight in." });
}
