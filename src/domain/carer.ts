// What a carer does with their link: read what the session is, agree to the carer terms and
// confirm that they are present (R2, R13), or withdraw that.

import type { Tx } from "../adapters/db/client.ts";
import { consentOnFile } from "../policy/rules/r4-consent.ts";
import { validInvite } from "../policy/rules/r10-valid-invite.ts";
import type { Ctx } from "./context.ts";
import { conflict } from "./errors.ts";
import { type AttendeeRow, consentFacts, linkFacts, recordingIsOn, sessionFacts } from "./facts.ts";
import { assertLinkAlive, emergencyContact, openLink } from "./invitee.ts";
import { publishChange } from "./notify.ts";
import { currentText, readSettings } from "./settings.ts";
import type { Uow } from "./unit-of-work.ts";

/** R4: whether the session may be recorded while the member is in it, in plain words for the carer. */
function recordingWords(attendee: AttendeeRow, now: boolean) {
  const name = attendee.displayName;
  const member = attendee.member;
  const may = member !== null && consentOnFile(consentFacts(member.consents), member.livesWithCarer, "recording") === "given";
  return {
    mayBeRecorded: may,
    now,
    words: may
      ? `Staff may record this group. There is consent on file for ${name} to be recorded.`
      : `Staff will not record this group while ${name} is in it: there is no consent on file for ${name} to be recorded.`,
  };
}

async function openCarerLink(tx: Tx, token: string) {
  const opened = await openLink(tx, token, "carer");
  assertLinkAlive(validInvite(linkFacts(opened.attendee, opened.link), sessionFacts(opened.attendee.session)));
  return opened;
}

/**
 * The carer's link and its person, read again once their session is locked: a revocation, an end
 * or an admission that committed while this waited for the lock counts (a confirmation through a
 * link just replaced must not stand; a withdrawal must see that the member was let in meanwhile).
 */
async function openCarerLinkLocked(tx: Tx, token: string, lockSession: Uow["lockSession"]) {
  await lockSession((await openCarerLink(tx, token)).attendee.sessionId);
  return openCarerLink(tx, token);
}

export async function describeCarerLink(ctx: Ctx, token: string) {
  return ctx.transaction(async ({ tx }) => {
    const { attendee } = await openCarerLink(tx, token);
    const settings = await readSettings(tx);
    const terms = await currentText(tx, "carer");
    const latest = attendee.confirmations[0];
    return {
      session: {
        title: attendee.session.title,
        startsAt: attendee.session.startsAt,
        endsAt: attendee.session.endsAt,
        status: attendee.session.status,
        delivery: attendee.session.delivery,
        emergencyContact: emergencyContact(settings, attendee.session.lead.name),
      },
      member: { displayName: attendee.displayName },
      terms: { version: terms.version, lines: terms.lines },
      confirmation: latest ? { present: latest.present, at: latest.createdAt } : null,
      confirmOpensAt: new Date(attendee.session.startsAt.getTime() - settings.carerConfirmLeadMinutes * 60_000),
      recording: recordingWords(attendee, await recordingIsOn(tx, attendee.sessionId)),
    };
  });
}

export async function confirmPresence(ctx: Ctx, token: string) {
  const confirmed = await ctx.transaction(async ({ tx, now, audit, lockSession }) => {
    const { link, attendee } = await openCarerLinkLocked(tx, token, lockSession);
    const settings = await readSettings(tx);
    const terms = await currentText(tx, "carer");
    const opensAt = new Date(attendee.session.startsAt.getTime() - settings.carerConfirmLeadMinutes * 60_000);
    if (now < opensAt) {
      throw conflict("R2.too-early", `You can say you are there from ${settings.carerConfirmLeadMinutes} minutes before the group starts.`);
    }
    const row = await tx.carerConfirmation.create({
      data: { attendeeId: attendee.id, linkId: link.id, present: true, termsVersion: terms.version },
    });
    const by = { actorType: "carer" as const, actorId: link.id, sessionId: attendee.sessionId, subjectId: attendee.id };
    await audit.append({ ...by, action: "carer.terms_agreed", data: { version: terms.version } });
    await audit.append({ ...by, action: "carer.confirmed" });
    return { present: true, at: row.createdAt, termsVersion: terms.version, attendee };
  });
  await publishChange(ctx, confirmed.attendee.sessionId, confirmed.attendee.id, confirmed.attendee.state);
  return { present: confirmed.present, at: confirmed.at, termsVersion: confirmed.termsVersion };
}

export async function withdrawPresence(ctx: Ctx, token: string) {
  const withdrawn = await ctx.transaction(async ({ tx, audit, lockSession }) => {
    const { link, attendee } = await openCarerLinkLocked(tx, token, lockSession);
    const row = await tx.carerConfirmation.create({ data: { attendeeId: attendee.id, linkId: link.id, present: false } });
    await audit.append({
      actorType: "carer",
      actorId: link.id,
      action: "carer.withdrew",
      sessionId: attendee.sessionId,
      subjectId: attendee.id,
      data: { memberInRoom: attendee.state === "admitted" },
    });
    return { present: false, at: row.createdAt, attendee };
  });
  const { attendee } = withdrawn;
  // R2: a withdrawal while the member is in the room alerts staff at once.
  if (attendee.state === "admitted") {
    await ctx.bus.publish({
      type: "alert",
      sessionId: attendee.sessionId,
      kind: "carer-withdrew",
      attendeeId: attendee.id,
      text: `${attendee.displayName}'s carer says they are no longer present, and ${attendee.displayName} is in the room.`,
    });
  }
  await publishChange(ctx, attendee.sessionId, attendee.id, attendee.state);
  return { present: false, at: withdrawn.at };
}
