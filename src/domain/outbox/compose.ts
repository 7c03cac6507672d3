// The words of every message the service sends, composed from facts (no I/O): easy-read short
// sentences, the day and time written out, what to do, and who to call (R12). A message names
// only the person it is about and the person it goes to, by first name (R9). Personal links
// appear as placeholders ({{invite}}, {{carer}}) that the outbox fills in only when it sends.
import { getVtimezoneComponent } from "@touch4it/ical-timezones";
import ical from "ical-generator";
import type { Delivery, LinkKind, MessageKind, RecipientType } from "../../contract/vocabulary.ts";
import { dayWords, firstName, timeWords } from "../words.ts";

export interface MessageFacts {
  kind: MessageKind;
  to: { type: RecipientType; id: string; name: string };
  /** The member or volunteer the session is for (for a carer: the member they care for). */
  person: string;
  session: { id: string; title: string; startsAt: Date; endsAt: Date; delivery: Delivery };
  timeZone: string;
  emergency: { name: string; phone: string };
  /** When a carer may start to confirm (R2), for messages with a carer link. */
  carerConfirmFrom?: Date;
  /** Which personal links the message carries. */
  links: LinkKind[];
  /** Why a session was cancelled, as staff wrote it (R14 checks it first). */
  reason?: string;
  /** A note staff added to the invitation (R14 checks it first). */
  note?: string;
}

export interface Composed {
  subject: string;
  text: string;
  html: string;
  calendar: string | null;
}

export const placeholder = (name: LinkKind) => `{{${name}}}`;

type Block = { say: string } | { link: LinkKind; say: string };

function when(f: MessageFacts): { day: string; start: string; end: string } {
  return {
    day: dayWords(f.session.startsAt, f.timeZone),
    start: timeWords(f.session.startsAt, f.timeZone),
    end: timeWords(f.session.endsAt, f.timeZone),
  };
}

function help(f: MessageFacts): Block {
  return f.emergency.phone
    ? { say: `If you need help, call ${f.emergency.name} on ${f.emergency.phone}.` }
    : { say: `If you need help, contact ${f.emergency.name}.` };
}

/** What the carer and the member each do with their links, as invitations and new links say it. */
function linkBlocks(f: MessageFacts): Block[] {
  const person = f.person;
  if (f.to.type !== "carer") {
    return [{ link: "invite", say: "When it is time, open your own link to join:" }, { say: "Please do not share this link with anyone." }];
  }
  const blocks: Block[] = [];
  if (f.links.includes("carer")) {
    const from = f.carerConfirmFrom ?? f.session.startsAt;
    blocks.push({
      link: "carer",
      say: `Before the group starts, please open this link and tell us you will be with ${person}. You can do this from ${timeWords(from, f.timeZone)} on ${dayWords(from, f.timeZone)}.`,
    });
  }
  blocks.push(
    { link: "invite", say: `This is ${person}'s own link to join the group. Please give it to ${person}, or open it with them:` },
    { say: "Please do not share these links with anyone else." },
  );
  return blocks;
}

function blocksFor(f: MessageFacts): { subject: string; blocks: Block[] } {
  const { day, start, end } = when(f);
  const greeting = { say: `Hello ${firstName(f.to.name)},` };
  const forCarer = f.to.type === "carer";
  const where =
    f.session.delivery === "home" ? `It is a video call. ${forCarer ? `${f.person} joins` : "You join"} from home.` : "It is a video call.";
  const invited = forCarer ? `${f.person} is invited to ${f.session.title}.` : `You are invited to ${f.session.title}.`;
  switch (f.kind) {
    case "invitation":
      return {
        subject: forCarer
          ? `${f.session.title} on ${day} at ${start}: ${f.person} is invited`
          : `You are invited to ${f.session.title} on ${day} at ${start}`,
        blocks: [
          greeting,
          { say: invited },
          { say: `It is on ${day}, from ${start} to ${end}.` },
          { say: where },
          ...(f.note ? [{ say: `A message from the staff: ${f.note}` }] : []),
          ...linkBlocks(f),
          help(f),
        ],
      };
    case "link-reissued":
      return {
        subject: `A new link for ${f.session.title} on ${day}`,
        blocks: [
          greeting,
          {
            say: `The ${forCarer ? "links" : "link"} we sent before for ${f.session.title} ${forCarer ? "do" : "does"} not work any more.`,
          },
          { say: `Here ${forCarer ? "are the new ones" : "is the new one"}. The group is on ${day}, from ${start} to ${end}.` },
          ...linkBlocks(f),
          help(f),
        ],
      };
    case "reminder":
      return {
        subject: `Reminder: please tell us you will be with ${f.person} for ${f.session.title}`,
        blocks: [
          greeting,
          { say: `${f.session.title} is on ${day}, from ${start} to ${end}.` },
          { link: "carer", say: `Please open this link and tell us you will be with ${f.person}:` },
          { say: `Staff can let ${f.person} in only when you have told us you are there.` },
          help(f),
        ],
      };
    case "changed":
      return {
        subject: `${f.session.title} has changed: it is now on ${day} at ${start}`,
        blocks: [
          greeting,
          { say: `${f.session.title} has changed.` },
          { say: `It is now on ${day}, from ${start} to ${end}.` },
          { say: `The ${forCarer ? "links stay" : "link stays"} the same.` },
          help(f),
        ],
      };
    case "cancelled":
      return {
        subject: `${f.session.title} on ${day} is cancelled`,
        blocks: [
          greeting,
          { say: `${f.session.title} on ${day} at ${start} is cancelled.` },
          ...(f.reason ? [{ say: f.reason }] : []),
          { say: `The ${forCarer ? "links" : "link"} for it ${forCarer ? "do" : "does"} not work any more.` },
          help(f),
        ],
      };
  }
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function calendarOf(f: MessageFacts): string {
  const calendar = ical({
    prodId: { company: "Gatekeeper", product: "Gatekeeper", language: "EN" },
    name: f.session.title,
    // The organisation's zone with its rules (VTIMEZONE), so the event keeps its local time.
    timezone: { name: f.timeZone, generator: getVtimezoneComponent },
  });
  const link = f.to.type === "carer" && f.links.includes("carer") ? "carer" : "invite";
  calendar.createEvent({
    // One event per session and person: a new link replaces the event instead of adding one.
    id: `${f.session.id}.${f.to.id}@gatekeeper`,
    start: f.session.startsAt,
    end: f.session.endsAt,
    timezone: f.timeZone,
    summary: f.session.title,
    location: "Video call",
    description:
      f.to.type === "carer"
        ? `Your link: ${placeholder(link)}\n${f.person}'s link: ${placeholder("invite")}`
        : `Your link: ${placeholder("invite")}`,
    url: placeholder(link),
  });
  return calendar.toString();
}

export function compose(f: MessageFacts): Composed {
  const { subject, blocks } = blocksFor(f);
  const text = blocks.map((b) => ("link" in b ? `${b.say}\n${placeholder(b.link)}` : b.say)).join("\n\n");
  const html = [
    `<!doctype html><html lang="en"><body style="font-family: Arial, sans-serif; font-size: 18px; line-height: 1.5">`,
    ...blocks.map((b) =>
      "link" in b
        ? `<p>${escapeHtml(b.say)}<br><a href="${placeholder(b.link)}">${placeholder(b.link)}</a></p>`
        : `<p>${escapeHtml(b.say)}</p>`,
    ),
    "</body></html>",
  ].join("\n");
  const withCalendar = f.kind === "invitation" || f.kind === "link-reissued";
  return { subject, text: `${text}\n`, html, calendar: withCalendar ? calendarOf(f) : null };
}

/** The message with its links filled in (only ever in memory, to send it or show it to staff). */
export function fillLinks(s: string, urls: Partial<Record<LinkKind, string>>): string {
  return s.replace(/\{\{(invite|carer)\}\}/g, (whole, name: LinkKind) => urls[name] ?? whole);
}
