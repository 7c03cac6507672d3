// Invite and carer links (R10): 256 random bits, shown once, stored only as a SHA-256 hash.
import type { AnyTx, Tx } from "../adapters/db/client.ts";
import { queryableOf } from "../adapters/db/driver.ts";
import { lockingLinkSql, readLinks } from "../adapters/db/reads/links.ts";
import type { Config } from "../config.ts";
import type { LinkKind } from "../contract/vocabulary.ts";
import { hashToken, newToken } from "./secrets.ts";
import type { Store } from "./unit-of-work.ts";

export type { LinkKind };

const paths: Record<LinkKind, string> = { invite: "join", carer: "carer" };

export interface IssuedLinks {
  inviteUrl: string;
  carerUrl?: string;
}

/** Whether a member's attendee also gets a carer link: R2 applies in the home, with a carer. */
export function needsCarerLink(delivery: string, kind: string, livesWithCarer: boolean): boolean {
  return delivery === "home" && kind === "member" && livesWithCarer;
}

/** A link just issued: its token exists only in memory, for the page that shows it once and the outbox. */
export interface PersonalLink {
  name: LinkKind;
  linkId: string;
  token: string;
}

export const linkUrl = (config: Config, kind: LinkKind, token: string) => `${config.PUBLIC_URL}/${paths[kind]}/${token}`;

export async function issueLinks(
  tx: Tx,
  config: Config,
  attendeeId: string,
  withCarerLink: boolean,
): Promise<{ urls: IssuedLinks; links: PersonalLink[] }> {
  const links: PersonalLink[] = [];
  for (const name of withCarerLink ? (["invite", "carer"] as const) : (["invite"] as const)) {
    const token = newToken();
    const link = await tx.link.create({ data: { attendeeId, kind: name, tokenHash: hashToken(token) } });
    links.push({ name, linkId: link.id, token });
  }
  const url = (name: LinkKind) => {
    const link = links.find((l) => l.name === name);
    return link ? linkUrl(config, name, link.token) : undefined;
  };
  return { urls: { inviteUrl: url("invite")!, ...(withCarerLink ? { carerUrl: url("carer") } : {}) }, links };
}

export async function revokeLinks(tx: Tx, where: { attendeeId: string } | { attendee: { sessionId: string } }, reason: string, at: Date) {
  await tx.link.updateMany({ where: { ...where, revokedAt: null }, data: { revokedAt: at, revokedReason: reason } });
}

const linkInclude = {
  attendee: { select: { id: true, sessionId: true, session: { select: { status: true, cancelledAt: true } } } },
} as const;

/**
 * Links by their tokens' hashes, with whose each is and where their session stands, through
 * Prisma: the reference for `findLinks` (written by hand, one statement instead of three), which
 * test/adapters/db/reads.test.ts holds equal to it.
 */
export function findLinksThroughPrisma(tx: Tx, hashes: string[]) {
  return tx.link.findMany({ where: { tokenHash: { in: hashes } }, include: linkInclude, orderBy: { id: "asc" } });
}

export type LinkRow = Awaited<ReturnType<typeof findLinksThroughPrisma>>[number];

/**
 * Links by their tokens' hashes; with `lock`, their sessions are locked too, in id order, in the
 * same statement on PostgreSQL (SQLite's driver adapter runs one transaction at a time).
 */
export async function findLinks(tx: AnyTx, hashes: string[], lock?: "share" | "update"): Promise<LinkRow[]> {
  const queryable = queryableOf(tx);
  const locking = lock && queryable.provider === "postgres" ? lockingLinkSql[lock] : undefined;
  return (await readLinks(queryable, hashes, locking)) as LinkRow[];
}

/** The link a token names, with its attendee; null when no such link ever existed. */
export async function findLink(tx: AnyTx, token: string, kind: LinkKind): Promise<LinkRow | null> {
  const [link] = await findLinks(tx, [hashToken(token)]);
  return link && link.kind === kind ? link : null;
}

/** Whether a token names a link of this kind (live or not): the check made before reading a body. */
export async function linkKnown(store: Store, token: string, kind: LinkKind): Promise<boolean> {
  return (await findLink(store.database.db, token, kind)) !== null;
}
