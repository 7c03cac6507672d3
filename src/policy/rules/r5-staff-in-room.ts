// R5 staff-in-room: a member or volunteer is admitted only while at least one of the session's
// staff is connected to the room.
import { fail, pass } from "../check.ts";
import type { Check } from "../types.ts";

const rule = "R5.staff-in-room";

export function staffInRoom(staffConnected: number): Check {
  return staffConnected > 0
    ? pass(rule, "R5.staff-connected", {
        reason: `${staffConnected} of the session's staff ${staffConnected === 1 ? "is" : "are"} in the room.`,
      })
    : fail(rule, "R5.no-staff-in-room", {
        reason: "None of the session's staff is in the room.",
        easyRead: "Staff are not in the group yet.",
      });
}
