// All configuration, from environment variables, through one zod schema. Development defaults let
// `npm start` run with nothing set; in production every secret must be given explicitly.
import { z } from "zod";

const devDefaults = {
  LIVEKIT_URL: "ws://localhost:7880",
  LIVEKIT_API_KEY: "devkey",
  LIVEKIT_API_SECRET: "secret",
  SESSION_SECRET: "development-only-session-secret-change-me",
} as const;

const emptyAsUndefined = (v: unknown) => (v === "" ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUndefined, schema.optional());

export const envSchema = z.object({
  NODE_ENV: optional(z.enum(["development", "production", "test"])).default("development"),
  PORT: optional(z.coerce.number().int().min(0).max(65535)).default(3000),
  HOST: optional(z.string()).default("127.0.0.1"),
  PUBLIC_URL: optional(z.url({ protocol: /^https?$/ })),
  DATABASE_URL: optional(z.string().regex(/^(file:|postgres(ql)?:\/\/)/, "must start with file: or postgresql://")).default(
    "file:./data/gatekeeper.db",
  ),
  REDIS_URL: optional(z.url({ protocol: /^rediss?$/ })),
  LIVEKIT_URL: optional(z.url({ protocol: /^(wss?|https?)$/ })),
  LIVEKIT_API_KEY: optional(z.string().min(1)),
  LIVEKIT_API_SECRET: optional(z.string().min(1)),
  SESSION_SECRET: optional(z.string().min(32, "must be at least 32 characters")),
  /**
   * Secrets SESSION_SECRET had before, comma-separated: still accepted on console sign-ins and
   * queued messages' links, never used for new ones. Rotation without signing anyone out.
   */
  SESSION_SECRET_PREVIOUS: optional(
    z
      .string()
      .transform((s) => s.split(",").map((x) => x.trim()))
      .pipe(z.array(z.string().min(32, "each must be at least 32 characters"))),
  ).default([]),
  LOG_LEVEL: optional(z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])),
  GATEKEEPER_ADMIN_EMAIL: optional(z.email()),
  GATEKEEPER_ADMIN_PASSWORD: optional(z.string().min(12, "must be at least 12 characters")),
  GATEKEEPER_ADMIN_NAME: optional(z.string().trim().min(1).max(200)),
  /** Login attempts allowed per client address per minute. */
  LOGIN_RATE_LIMIT: optional(z.coerce.number().int().min(1)).default(10),
  /** Requests per minute one client address may make to invite and carer links, all together. */
  LINK_RATE_LIMIT: optional(z.coerce.number().int().min(1)).default(120),
  /** Token requests (POST /api/join/:token/connection) per minute for one link. */
  LINK_TOKEN_RATE_LIMIT: optional(z.coerce.number().int().min(1)).default(10),
  /** Open waiting pages for one link; a newer page closes the oldest. */
  PAGES_PER_LINK: optional(z.coerce.number().int().min(1).max(100)).default(5),
  /** Open waiting pages from one client address (a care home may have several members). */
  PAGES_PER_ADDRESS: optional(z.coerce.number().int().min(1)).default(100),
  /** Failed sign-ins for one account within 15 minutes before it is held (30 s, doubling, at most 15 min). */
  LOGIN_ACCOUNT_LIMIT: optional(z.coerce.number().int().min(1).max(1000)).default(10),
  /**
   * Which proxies' X-Forwarded-For to believe, as Fastify's trustProxy takes it: a hop count, or
   * addresses and CIDR ranges separated by commas. Off by default, whatever NODE_ENV says: a
   * client address taken from a header anyone can send would let every guess look new.
   */
  TRUST_PROXY: optional(
    z.union([
      z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(1).max(10)),
      z
        .string()
        .regex(/^[0-9A-Fa-f:./]+(,\s*[0-9A-Fa-f:./]+)*$/, "must be a hop count, or addresses and CIDR ranges separated by commas")
        .transform((s) => s.split(",").map((a) => a.trim())),
    ]),
  ),
  /** How often live rooms are compared with attendance (0 turns it off, for tests). */
  RECONCILE_SECONDS: optional(z.coerce.number().min(0).max(300)).default(5),
  /** How long a waiting page may be gone (closed tab, lost network) before it leaves the list. */
  WAITING_GRACE_SECONDS: optional(z.coerce.number().min(0).max(600)).default(20),
  /**
   * Where e-mail goes: smtp://user:pass@host:587 (STARTTLS when offered) or smtps:// (TLS from the
   * start). Unset: messages are composed and kept in the outbox, not sent.
   */
  SMTP_URL: optional(z.url({ protocol: /^smtps?$/ })),
  /** The From of every message, e.g. "Art Club <clubs@example.org>". */
  MAIL_FROM: optional(z.string().trim().min(3).max(200)),
  /** A PEM file of certificate authorities to trust for the SMTP server (an internal relay). */
  SMTP_CA_FILE: optional(z.string().min(1)),
  /** How often the outbox looks for messages due (0 turns it off, for tests). */
  OUTBOX_SECONDS: optional(z.coerce.number().min(0).max(3600)).default(15),
  /** How often each recurring group's window of occurrences is filled as time passes (0: never). */
  GROUPS_SECONDS: optional(z.coerce.number().min(0).max(86_400)).default(3600),
  RETENTION_SECONDS: optional(z.coerce.number().min(0).max(86_400)).default(3600),
  /**
   * Where LiveKit's egress writes a recording, as its file path template: {room_name} is the
   * opaque room name (no one's name, R9), {time} the start. The egress service's own storage
   * settings (local disk, S3, …) decide where that path lives.
   */
  RECORDING_FILEPATH: optional(z.string().trim().min(1).max(500)).default("recordings/{room_name}-{time}"),
  /** The recording's container: mp4 (video and sound) or ogg (sound only). */
  RECORDING_FILE_TYPE: optional(z.enum(["mp4", "ogg"])).default("mp4"),
  /** Serves GET /metrics on the service's port to whoever gives this as a bearer token. */
  METRICS_TOKEN: optional(z.string().min(16, "must be at least 16 characters")),
  /** Serves GET /metrics (only) on this port of its own, for a monitoring network. */
  METRICS_PORT: optional(z.coerce.number().int().min(0).max(65535)),
  /** Hours a console sign-in lasts. */
  STAFF_SESSION_HOURS: optional(
    z.coerce
      .number()
      .min(0.1)
      .max(24 * 30),
  ).default(12),
});

/** Variables that have development defaults but must be set explicitly in production. */
const requiredInProduction = ["PUBLIC_URL", ...Object.keys(devDefaults)] as const;

export type Env = z.infer<typeof envSchema>;

export type Config = Omit<Env, "PUBLIC_URL" | keyof typeof devDefaults> & {
  /** The origin browsers use; state-changing requests from any other Origin are refused. */
  PUBLIC_URL: string;
  /** False in development without PUBLIC_URL: then localhost and 127.0.0.1 origins both count. */
  publicUrlGiven: boolean;
  LIVEKIT_URL: string;
  LIVEKIT_API_KEY: string;
  LIVEKIT_API_SECRET: string;
  SESSION_SECRET: string;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Validates the environment; throws one ConfigError naming every bad or missing variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  if (env.NODE_ENV === "production") {
    for (const key of requiredInProduction) {
      if (!env[key]) problems.push(`${key}: is required in production`);
    }
    if (env.GATEKEEPER_ADMIN_EMAIL && !env.GATEKEEPER_ADMIN_PASSWORD) {
      problems.push("GATEKEEPER_ADMIN_PASSWORD: is required with GATEKEEPER_ADMIN_EMAIL");
    }
  }
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    ...e,
    PUBLIC_URL: new URL(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).origin,
    publicUrlGiven: e.PUBLIC_URL !== undefined,
    // Without a trailing slash: the RoomService's paths are appended to it, and LiveKit answers
    // 404 to `//twirp/…`.
    LIVEKIT_URL: (e.LIVEKIT_URL ?? devDefaults.LIVEKIT_URL).replace(/\/+$/, ""),
    LIVEKIT_API_KEY: e.LIVEKIT_API_KEY ?? devDefaults.LIVEKIT_API_KEY,
    LIVEKIT_API_SECRET: e.LIVEKIT_API_SECRET ?? devDefaults.LIVEKIT_API_SECRET,
    SESSION_SECRET: e.SESSION_SECRET ?? devDefaults.SESSION_SECRET,
  };
}
