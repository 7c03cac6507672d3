// What travels on the two WebSockets, both directions: the waiting page's (/ws/join/:token) and
// the console's (/ws/console/sessions/:id). The hubs parse what arrives with these schemas; the
// pages take their types from them.
import { z } from "zod";
import { check, session } from "./api.ts";
import { alertKind } from "./bus.ts";
import { attendeeState, recordingStatus } from "./vocabulary.ts";

/** The waiting page's state (SPEC §5): the token goes only to that person's own pages. */
export const pageState = z.object({
  type: z.literal("state"),
  state: z.enum(["waiting", "admitted", "refused", "returned", "ended"]),
  /** Easy-read reasons why they are still waiting. */
  reasons: z.array(z.string()).optional(),
  /** What staff said when refusing. */
  message: z.string().optional(),
  token: z.string().optional(),
  livekitUrl: z.string().optional(),
  /** The group guidelines changed (or were never agreed): the page asks again (R13). */
  needsAgreement: z.literal(true).optional(),
  /** The room is being recorded now (R4): every page says so. */
  recording: z.boolean(),
  /** While they wait: the first name of the member of staff whose console has shown them waiting. */
  seenBy: z.string().optional(),
  /** Their latest call for help, while it matters: sent (nobody answered yet) or answered. */
  help: z.object({ state: z.enum(["sent", "answered"]), by: z.string().optional() }).optional(),
});
export type PageState = z.infer<typeof pageState>;

export const pong = z.object({ type: z.literal("pong") });
export const notUnderstood = z.object({ type: z.literal("error"), message: z.string() });

/** "I need help": sent, then answered by a member of staff (their first name). */
export const helpNews = z.object({ type: z.literal("help"), state: z.enum(["sent", "answered"]), by: z.string().optional() });

/** Server → waiting page. */
export const toWaitingPage = z.discriminatedUnion("type", [
  pageState,
  helpNews,
  /** A staff message to the people waiting. */
  z.object({ type: z.literal("message"), text: z.string() }),
  pong,
  notUnderstood,
]);
/** Waiting page → server. */
export const fromWaitingPage = z.discriminatedUnion("type", [z.object({ type: z.literal("ping") }), z.object({ type: z.literal("help") })]);

export const waitingPerson = z.object({
  attendeeId: z.string(),
  displayName: z.string(),
  state: attendeeState,
  since: z.date(),
  waitingSeconds: z.number(),
  longWait: z.boolean(),
  eligible: z.boolean(),
  checks: z.array(check),
  /** R4: whether they may be recorded (shown beside them; needed to let them in while recording). */
  recordingConsent: z.boolean(),
});

export const snapshot = z.object({
  type: z.literal("snapshot"),
  session,
  waiting: z.array(waitingPerson),
  inRoom: z.array(z.object({ identity: z.string(), name: z.string(), staff: z.boolean(), recordingConsent: z.boolean() })),
  /** Calls for help nobody has answered yet: the banner stays until someone does. */
  help: z.array(z.object({ attendeeId: z.string(), name: z.string(), at: z.date(), via: z.enum(["page", "carer"]) })),
  /** The room's recording, while one may be writing it. */
  recording: z.object({ id: z.string(), status: recordingStatus, startedAt: z.date(), stopping: z.boolean() }).nullable(),
});
export type Snapshot = z.infer<typeof snapshot>;

export const alert = z.object({ type: z.literal("alert"), kind: alertKind, text: z.string(), attendeeId: z.string().optional() });

/** Someone asked for help: the console sounds and shows a banner until someone answers. */
export const helpAlert = z.object({ type: z.literal("help"), attendeeId: z.string(), at: z.string() });

/** Server → console. */
export const toConsole = z.discriminatedUnion("type", [snapshot, alert, helpAlert, pong, notUnderstood]);
/** Console → server: a ping, a request for a fresh snapshot, or who it has shown waiting. */
export const fromConsole = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ping") }),
  z.object({ type: z.literal("refresh") }),
  /** The console has shown these people waiting, on a screen in front of someone. */
  z.object({ type: z.literal("seen"), attendeeIds: z.array(z.string().min(1).max(64)).max(1000) }),
]);
