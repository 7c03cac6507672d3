// Passwords (scrypt, memory-hard), random tokens for links and sign-ins (stored only as hashes),
// and link tokens sealed for the outbox.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

// N=2^15, r=8: 32 MiB and roughly 50-100 ms per hash on these machines (OWASP's scrypt minimum is N=2^17 with r=8, p=1
// at 128 MiB; 2^15 keeps a burst of sign-ins from exhausting memory on a small instance).
const params = { N: 2 ** 15, r: 8, p: 1, keylen: 32 };
const maxmem = 64 * 1024 * 1024;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, params.keylen, { N: params.N, r: params.r, p: params.p, maxmem });
  return ["scrypt", params.N, params.r, params.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const key = await scryptAsync(password, Buffer.from(salt, "base64url"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem,
  });
  return timingSafeEqual(key, expected);
}

let decoy: Promise<string> | undefined;

/** A hash to verify against when the e-mail is unknown, so both failures take the same time. */
export function decoyPasswordHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString("hex"));
  return decoy;
}

/** 256 bits from the CSPRNG, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What is stored in place of a token. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

function sealKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "gatekeeper", "outbox link tokens", 32));
}

/**
 * A link token sealed (AES-256-GCM, a key derived from SESSION_SECRET) so that a message queued
 * for later can carry it while the database holds no readable token (R10). After a rotation the
 * old secret opens them while it is listed in SESSION_SECRET_PREVIOUS; without it queued messages
 * are unreadable, and not sent (the outbox says so).
 */
export function sealToken(token: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealKey(secret), iv);
  const sealed = Buffer.concat([cipher.update(token, "utf8"), cipher.final()]);
  return [iv, cipher.getAuthTag(), sealed].map((b) => b.toString("base64url")).join(".");
}

/** The token sealed by sealToken under any of `secrets` (current first, then previous ones), or null. */
export function openTokenWithAny(sealed: string, secrets: string[]): string | null {
  for (const secret of secrets) {
    const token = openToken(sealed, secret);
    if (token !== null) return token;
  }
  return null;
}

/** The token sealed by sealToken, or null when it cannot be opened (another secret, or tampered). */
function openToken(sealed: string, secret: string): string | null {
  const [iv, tag, body] = sealed.split(".").map((p) => Buffer.from(p, "base64url"));
  if (!iv || !tag || !body) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", sealKey(secret), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
