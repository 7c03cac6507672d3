// pino options: secrets, cookies and every link or room token are redacted. Link tokens travel
// in URL paths (/join/:token, /carer/:token), so request URLs are logged with them masked.
import { createRequire } from "node:module";
import { type DestinationStream, type Logger, pino } from "pino";
import type { Config } from "./config.ts";

const tokenPath = /^(\/(?:api\/|ws\/)?(?:join|carer)\/)[^/?#]+/;

/** A URL safe to log: the link token in an invite or carer path is replaced by "***". */
export function redactUrl(url: string): string {
  return url.replace(tokenPath, "$1***");
}

const redactPaths = [
  "req.headers.cookie",
  "req.headers.authorization",
  'res.headers["set-cookie"]',
  "*.password",
  "*.passwordHash",
  "*.token",
  "*.participant_token",
  "*.inviteToken",
  "*.carerToken",
  "*.inviteUrl",
  "*.carerUrl",
  "*.apiSecret",
  "*.LIVEKIT_API_SECRET",
  "*.SESSION_SECRET",
  "*.SESSION_SECRET_PREVIOUS",
  "*.METRICS_TOKEN",
  "*.GATEKEEPER_ADMIN_PASSWORD",
];

function prettyAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve("pino-pretty");
    return true;
  } catch {
    return false;
  }
}

/** The app's logger; `destination` lets tests read what would have been written. */
export function createLogger(config: Config, destination?: DestinationStream): Logger {
  const options = {
    level: config.LOG_LEVEL ?? (config.NODE_ENV === "test" ? "silent" : "info"),
    redact: { paths: redactPaths, censor: "[redacted]" },
    serializers: {
      req: (req: { method: string; url: string; ip: string }) => ({ method: req.method, url: redactUrl(req.url), remoteAddress: req.ip }),
    },
  };
  if (destination) return pino(options, destination);
  const pretty = process.stdout.isTTY && config.NODE_ENV !== "production" && prettyAvailable();
  return pino(pretty ? { ...options, transport: { target: "pino-pretty" } } : options);
}
