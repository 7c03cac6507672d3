// Members, their carers, and consent (R4). Consent and its withdrawal are separate append-only
// records: withdrawing never edits what was given.

import type { z } from "zod";
import type { Tx } from "../adapters/db/client.ts";
import type { consentState as consentStates } from "../contract/api.ts";
import {
  type ConsentGiver,
  type ConsentMethod,
  type ConsentType,
  consentTypeOf,
  type StoredConsentType,
  storedConsentType,
} from "../contract/vocabulary.ts";
import { consentOnFile } from "../policy/rules/r4-consent.ts";
import { identifyingDetail } from "../policy/rules/r9-privacy.ts";
import { withoutWords } from "./audit.ts";
import type { Ctx } from "./context.ts";
import { badRequest, conflict, notFound } from "./errors.ts";
import { consentFacts } from "./facts.ts";

export interface CarerInput {
  name: string;
  email?: string;
  phone?: string;
}

export interface MemberInput {
  displayName: string;
  livesWithCarer: boolean;
  /** Only for a member who does not live with a carer (R11: otherwise the carer is contacted). */
  email?: string;
  carers: CarerInput[];
}

type ConsentRow = {
  id: string;
  type: StoredConsentType;
  givenBy: ConsentGiver;
  carerId: string | null;
  method: ConsentMethod;
  note: string | null;
  recordedById: string;
  createdAt: Date;
  withdrawal: { reason: string; recordedById: string; createdAt: Date } | null;
};

type MemberRow = {
  id: string;
  displayName: string;
  livesWithCarer: boolean;
  email: string | null;
  createdAt: Date;
  carers: { id: string; name: string; email: string | null; phone: string | null }[];
  consents: ConsentRow[];
};

const memberInclude = {
  carers: { orderBy: { createdAt: "asc" as const } },
  consents: { orderBy: { createdAt: "asc" as const }, include: { withdrawal: true } },
};

type ConsentState = z.infer<typeof consentStates>;

/** Consent at a glance for the console, of each type, judged as R4 judges it. */
function consentAtAGlance(member: MemberRow): Record<ConsentType, ConsentState> {
  const facts = consentFacts(member.consents);
  const of = (type: ConsentType) => consentOnFile(facts, member.livesWithCarer, type);
  return { video: of("video"), recording: of("recording"), "social-media": of("social-media") };
}

function viewConsent(c: ConsentRow) {
  return {
    id: c.id,
    type: consentTypeOf(c.type),
    givenBy: c.givenBy,
    carerId: c.carerId,
    method: c.method,
    note: c.note,
    recordedById: c.recordedById,
    createdAt: c.createdAt,
    withdrawal: c.withdrawal && { reason: c.withdrawal.reason, recordedById: c.withdrawal.recordedById, createdAt: c.withdrawal.createdAt },
  };
}

function viewMember(m: MemberRow) {
  return {
    id: m.id,
    displayName: m.displayName,
    livesWithCarer: m.livesWithCarer,
    email: m.email,
    createdAt: m.createdAt,
    carers: m.carers.map((c) => ({ id: c.id, name: c.name, email: c.email, phone: c.phone })),
    consents: m.consents.map(viewConsent),
    consentState: consentAtAGlance(m),
  };
}

/** R9: a display name chosen for the room carries no identifying detail that can be recognised. */
export function assertRoomName(displayName: string): void {
  const found = identifyingDetail(displayName);
  if (found)
    throw badRequest(
      "R9.identifying-name",
      `The display name looks like it contains ${found}. Choose a name for the room, such as a first name.`,
    );
}

export async function createMember(ctx: Ctx, input: MemberInput, actorId: string) {
  assertRoomName(input.displayName);
  if (input.livesWithCarer && input.carers.length === 0)
    throw badRequest("carer_required", "A member who lives with a carer needs at least one carer.");
  if (input.livesWithCarer && input.email)
    throw badRequest(
      "contact_via_carer",
      "A member who lives with a carer is contacted through their carer (R11): give the carer's e-mail.",
    );
  return ctx.transaction(async ({ tx, audit }) => {
    const member = await tx.member.create({
      data: {
        displayName: input.displayName,
        livesWithCarer: input.livesWithCarer,
        email: input.email ?? null,
        carers: { create: input.carers },
      },
      include: memberInclude,
    });
    await audit.append({
      actorType: "staff",
      actorId,
      action: "member.created",
      subjectId: member.id,
      data: { livesWithCarer: input.livesWithCarer, carers: member.carers.map((c) => c.id) },
    });
    return viewMember(member);
  });
}

export async function listMembers(ctx: Ctx) {
  const rows = await ctx.database.db.member.findMany({ orderBy: { displayName: "asc" }, include: memberInclude });
  return rows.map(viewMember);
}

async function findMember(tx: Tx, id: string) {
  const row = await tx.member.findUnique({ where: { id }, include: memberInclude });
  if (!row) throw notFound("Member");
  return row;
}

export async function getMember(ctx: Ctx, id: string) {
  return viewMember(await findMember(ctx.database.db, id));
}

export interface ConsentInput {
  type: ConsentType;
  givenBy: "carer" | "member";
  carerId?: string;
  method: "written" | "verbal" | "online";
  note?: string;
}

export async function recordConsent(ctx: Ctx, memberId: string, input: ConsentInput, actorId: string) {
  return ctx.transaction(async ({ tx, audit }) => {
    const member = await findMember(tx, memberId);
    if (input.givenBy === "carer" && !member.carers.some((c) => c.id === input.carerId)) {
      throw badRequest("unknown_carer", "carerId must be one of this member's carers.");
    }
    if (input.givenBy === "member" && input.carerId) throw badRequest("unexpected_carer", "carerId is only for consent given by a carer.");
    const consent = await tx.consent.create({
      data: {
        memberId,
        type: storedConsentType(input.type),
        givenBy: input.givenBy,
        carerId: input.carerId ?? null,
        method: input.method,
        note: input.note ?? null,
        recordedById: actorId,
      },
      include: { withdrawal: true },
    });
    await audit.append({
      actorType: "staff",
      actorId,
      action: "consent.recorded",
      subjectId: memberId,
      data: { consentId: consent.id, ...withoutWords(input, ["note"]) },
    });
    return viewConsent(consent);
  });
}

export async function withdrawConsent(ctx: Ctx, memberId: string, consentId: string, reason: string, actorId: string) {
  return ctx.transaction(async ({ tx, audit }) => {
    const consent = await tx.consent.findFirst({ where: { id: consentId, memberId }, include: { withdrawal: true } });
    if (!consent) throw notFound("Consent");
    if (consent.withdrawal) throw conflict("already_withdrawn", "This consent has already been withdrawn.");
    const withdrawal = await tx.consentWithdrawal.create({ data: { consentId, reason, recordedById: actorId } });
    await audit.append({
      actorType: "staff",
      actorId,
      action: "consent.withdrawn",
      subjectId: memberId,
      data: { consentId, withdrawalId: withdrawal.id },
    });
    return { id: withdrawal.id, consentId, reason, recordedById: actorId, createdAt: withdrawal.createdAt };
  });
}
