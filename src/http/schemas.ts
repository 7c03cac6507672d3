// zod schemas of what several routes take in (what they answer is in src/contract/api.ts).
import { z } from "zod";

export const idParam = z.object({ id: z.string().min(1).max(64) });

export const password = z.string().min(12, "must be at least 12 characters").max(200);
/**
 * An ISO 8601 date-time with an offset ("2026-03-03T14:00:00Z"), as a Date, in the years 2000 to
 * 2100: nothing the service records lies outside them, and PostgreSQL refuses some that do.
 */
export const dateTime = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s))
  .refine((d) => d.getUTCFullYear() >= 2000 && d.getUTCFullYear() <= 2100, "must be in the years 2000 to 2100");

export const attendeeParams = z.object({ id: z.string().min(1).max(64), attendeeId: z.string().min(1).max(64) });

/** A display name chosen for the room (R9 is checked by the domain). */
export const displayName = z.string().trim().min(1).max(40);

/** 43 characters of base64url: 256 random bits. Anything else cannot be a link token. */
export const linkToken = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "is not a valid link") });

/** R14: why a text that is not in the organisation's tone should go all the same (recorded). */
export const toneWaiverReason = z.string().trim().min(1).max(1000).optional();
