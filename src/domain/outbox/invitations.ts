// Who gets what (R11), as drafts for the outbox: a member who lives with a carer is reached
// through the carer, who gets the carer link ("confirm you will be with Alex") and the member's
// own link to hand over; an independent member or a volunteer gets their own. Someone with no
// address on file still gets a message row: the console lists it to be given another way.
import type { Delivery } from "../../contract/vocabulary.ts";
import { emergencyContact } from "../invitee.ts";
import type { PersonalLink } from "../links.ts";
import type { SettingsView } from "../settings.ts";
import type { MessageFacts } from "./compose.ts";
import type { Draft } from "./outbox.ts";

export interface InvitedSession {
  id: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  delivery: Delivery;
  lead: { name: string };
}

export interface InvitedAttendee {
  id: string;
  displayName: string;
  member: {
    id: string;
    livesWithCarer: boolean;
    email: string | null;
    carers: { id: string; name: string; email: string | null }[];
  } | null;
  volunteer: { id: string; displayName: string; email: string | null } | null;
}

/** The person a message about this attendee goes to, and their address (null: none on file). */
function recipientOf(a: InvitedAttendee): { to: MessageFacts["to"]; address: string | null } {
  const carer = a.member?.livesWithCarer ? a.member.carers[0] : undefined;
  if (carer) return { to: { type: "carer", id: carer.id, name: carer.name }, address: carer.email };
  if (a.member)
    return { to: { type: "member", id: a.member.id, name: a.displayName }, address: a.member.livesWithCarer ? null : a.member.email };
  if (a.volunteer) return { to: { type: "volunteer", id: a.volunteer.id, name: a.volunteer.displayName }, address: a.volunteer.email };
  // A volunteer named only by free text in an older session.
  return { to: { type: "volunteer", id: a.id, name: a.displayName }, address: null };
}

/**
 * The messages for one attendee whose links were just issued: the invitation (or, for reissued
 * links, the new links) at `inviteAt` (now, or a group's occurrence some days before it), and for
 * a carer who must confirm (R2) a reminder before the start.
 */
export function draftsFor(
  kind: "invitation" | "link-reissued",
  session: InvitedSession,
  attendee: InvitedAttendee,
  links: PersonalLink[],
  settings: SettingsView,
  now: Date,
  inviteAt: Date = now,
  note?: string,
): Draft[] {
  const { to, address } = recipientOf(attendee);
  // Only a carer is sent the carer link; everyone else gets their own invite link.
  const carried = to.type === "carer" ? links : links.filter((l) => l.name === "invite");
  const facts = (k: MessageFacts["kind"], names: PersonalLink["name"][]): MessageFacts => ({
    kind: k,
    to,
    person: attendee.displayName,
    session,
    timeZone: settings.timeZone,
    emergency: emergencyContact(settings, session.lead.name),
    carerConfirmFrom: new Date(session.startsAt.getTime() - settings.carerConfirmLeadMinutes * 60_000),
    links: names,
    ...(note && k === "invitation" ? { note } : {}),
  });
  const base = { address, sessionId: session.id, attendeeId: attendee.id };
  const drafts: Draft[] = [
    {
      ...base,
      facts: facts(
        kind,
        carried.map((l) => l.name),
      ),
      links: carried,
      dueAt: inviteAt,
      sendBy: session.endsAt,
    },
  ];
  const carerLink = carried.find((l) => l.name === "carer");
  const remindAt = new Date(session.startsAt.getTime() - settings.reminderHoursBefore * 3_600_000);
  // A reminder only after the invitation, and only while it is still ahead.
  if (carerLink && remindAt > now && remindAt > inviteAt) {
    drafts.push({ ...base, facts: facts("reminder", ["carer"]), links: [carerLink], dueAt: remindAt, sendBy: session.startsAt });
  }
  return drafts;
}

/** A change or a cancellation, told at once to the person an attendee's messages go to (no links). */
export function noticeFor(
  kind: "changed" | "cancelled",
  session: InvitedSession,
  attendee: InvitedAttendee,
  settings: SettingsView,
  now: Date,
  reason?: string,
): Draft {
  const { to, address } = recipientOf(attendee);
  return {
    facts: {
      kind,
      to,
      person: attendee.displayName,
      session,
      timeZone: settings.timeZone,
      emergency: emergencyContact(settings, session.lead.name),
      links: [],
      ...(reason ? { reason } : {}),
    },
    address,
    sessionId: session.id,
    attendeeId: attendee.id,
    links: [],
    dueAt: now,
    sendBy: session.endsAt,
  };
}
