// What the domain services need from the outside world, in one object built by buildApp.
import type { Database } from "../adapters/db/client.ts";
import type { TokenMinter } from "../adapters/livekit/tokens.ts";
import type { Config } from "../config.ts";
import type { StaffPresence } from "./presence.ts";

export interface Ctx {
  config: Config;
  database: Database;
  /** The time; tests pass a fixed clock. */
  now(): Date;
  presence: StaffPresence;
  tokens: TokenMinter;
}
