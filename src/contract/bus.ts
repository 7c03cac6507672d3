// What the domain tells the live pages about, between instances. Events carry ids and states,
// never tokens: a token is minted by whichever instance holds the person's open waiting page.
// The Redis bus parses every event it receives with this schema; one it cannot parse is dropped.
import { z } from "zod";

export const alertKind = z.enum([
  "knock",
  "long-wait",
  "carer-withdrew",
  "last-staff-left",
  "unexpected-participant",
  "livekit-unreachable",
  "recording",
  "long-wait-escalated",
]);
export type AlertKind = z.infer<typeof alertKind>;

const id = z.string().min(1).max(64);

export const busEvent = z.discriminatedUnion("type", [
  /** An attendee's state changed (or their reasons for waiting may have). */
  z.object({ type: z.literal("attendee.changed"), sessionId: id, attendeeId: id, state: z.string(), message: z.string().nullish() }),
  /** A staff message for some of the waiting pages. */
  z.object({ type: z.literal("message"), sessionId: id, attendeeIds: z.array(id), text: z.string() }),
  /** Anything the console's view of the session depends on changed (consoles only). */
  z.object({ type: z.literal("session.changed"), sessionId: id }),
  /** A fact every waiting page of the session depends on changed: started, staff came or went. */
  z.object({ type: z.literal("room.changed"), sessionId: id }),
  /** Organisation-wide facts changed (guidelines, agreed hours): every waiting page re-reads. */
  z.object({ type: z.literal("pages.changed") }),
  z.object({ type: z.literal("session.ended"), sessionId: id }),
  z.object({ type: z.literal("alert"), sessionId: id, kind: alertKind, text: z.string(), attendeeId: id.optional() }),
  /** Someone asked for help (their page or their carer's): every console of the session, and their pages. */
  z.object({ type: z.literal("help"), sessionId: id, attendeeId: id, at: z.string() }),
  /** A member of staff answered a call for help: the person's pages say who is coming. */
  z.object({ type: z.literal("help.answered"), sessionId: id, attendeeId: id, by: z.string() }),
  /** A waiting page (re)connected on some instance: cancel any pending "page gone" timer. */
  z.object({ type: z.literal("page.connected"), attendeeId: id }),
  /** A staff member was signed out, deactivated or given a new password: their consoles re-check at once. */
  z.object({ type: z.literal("staff.logins_changed"), staffId: id }),
  /** This instance's bus is back after an outage (never published): events may have been missed. */
  z.object({ type: z.literal("bus.resumed") }),
]);
export type BusEvent = z.infer<typeof busEvent>;
