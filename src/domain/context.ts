// What the domain services need from the outside world, in one object built by buildApp.
import type { FastifyBaseLogger } from "fastify";
import type { EventBus } from "../adapters/bus/events.ts";
import type { RoomRecorder } from "../adapters/livekit/egress.ts";
import type { VideoRooms } from "../adapters/livekit/rooms.ts";
import type { TokenMinter } from "../adapters/livekit/tokens.ts";
import type { Mailer } from "../adapters/mail/smtp.ts";
import type { Metrics } from "../adapters/metrics/metrics.ts";
import type { AccountThrottle } from "../adapters/throttle.ts";
import type { Config } from "../config.ts";
import type { Store } from "./unit-of-work.ts";

export interface Ctx extends Store {
  config: Config;
  tokens: TokenMinter;
  rooms: VideoRooms;
  /** LiveKit's Egress: records a room, only once R4 allows it. */
  recorder: RoomRecorder;
  bus: EventBus;
  /** Failed sign-ins per account, shared by every instance when REDIS_URL is set. */
  signIns: AccountThrottle;
  log: FastifyBaseLogger;
  /** The SMTP server, or null when SMTP_URL is unset (messages are kept, not sent). */
  mailer: Mailer | null;
  /** What /metrics reports (no personal data in any label). */
  metrics: Metrics;
}
