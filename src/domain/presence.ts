// Which of a session's staff are in the room (the fact R5 needs). Until LiveKit attendance
// arrives through webhooks, staff count as present from the moment they take a staff token;
// that stand-in lives behind this interface so that attendance can replace it.

export interface StaffPresence {
  /** How many of the session's staff are connected to its room. */
  staffConnected(sessionId: string): Promise<number>;
  /** A member of staff took a staff token for the session. */
  staffTokenIssued(sessionId: string, staffId: string): void;
  /** The session ended: nobody is present any more. */
  sessionEnded(sessionId: string): void;
}

/** In-process: counts staff who took a token. One instance only; see the interface comment. */
export function tokenIssuedPresence(): StaffPresence {
  const present = new Map<string, Set<string>>();
  return {
    async staffConnected(sessionId) {
      return present.get(sessionId)?.size ?? 0;
    },
    staffTokenIssued(sessionId, staffId) {
      const staff = present.get(sessionId) ?? new Set<string>();
      staff.add(staffId);
      present.set(sessionId, staff);
    },
    sessionEnded(sessionId) {
      present.delete(sessionId);
    },
  };
}
