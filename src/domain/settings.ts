// Organisation settings (agreed hours, time zone, emergency contact) and the versioned easy-read
// texts people agree to (R13): the group guidelines for members and volunteers, the carer terms.
import type { Tx } from "../adapters/db/client.ts";
import { queryableOf } from "../adapters/db/driver.ts";
import type { GuidelinesVersion, Settings } from "../adapters/db/generated/sqlite/client.ts";
import { readNewestText, readSettingsRow } from "../adapters/db/reads/shared.ts";
import { agreedDays, textLines } from "../contract/vocabulary.ts";
import type { AgreedHours, Weekday } from "../policy/types.ts";
import { weekdays } from "../policy/types.ts";
import type { Ctx } from "./context.ts";
import type { Store } from "./unit-of-work.ts";

export interface SettingsView {
  timeZone: string;
  agreedHours: AgreedHours["days"];
  emergencyContact: { name: string; phone: string };
  carerConfirmLeadMinutes: number;
  longWaitSeconds: number;
  /** Days before a group's occurrence that its invitations go out. */
  inviteDaysBefore: number;
  /** Hours before the start that a carer who has not confirmed is reminded. */
  reminderHoursBefore: number;
  /** How far ahead a group's occurrences are kept created. */
  occurrenceWeeksAhead: number;
  /** Years without a session after which a member's details are erased (erasure.ts); null: never. */
  retentionYears: number | null;
}

/**
 * Until an admin sets them, agreed hours are 08:00-21:00 every day in Europe/London: a
 * safeguarding default that keeps sessions out of the night without blocking a new
 * organisation's first sessions. The console shows them so that an admin can narrow them.
 */
const defaults = {
  timeZone: "Europe/London",
  agreedHours: Object.fromEntries(weekdays.map((d) => [d, [{ start: "08:00", end: "21:00" }]])) as Record<
    Weekday,
    { start: string; end: string }[]
  >,
  emergencyName: "",
  emergencyPhone: "",
};

/** The one settings row's id. */
export const settingsId = "org";

export async function readSettings(tx: Tx): Promise<SettingsView> {
  return settingsView((await readSettingsRow(queryableOf(tx), settingsId)) as Settings | null);
}

/** The settings as everyone reads them: the row's values, or the defaults until an admin sets them. */
export function settingsView(row: Settings | null): SettingsView {
  return {
    timeZone: row?.timeZone ?? defaults.timeZone,
    agreedHours: row ? agreedDays.parse(row.agreedHours) : defaults.agreedHours,
    emergencyContact: { name: row?.emergencyName ?? defaults.emergencyName, phone: row?.emergencyPhone ?? defaults.emergencyPhone },
    carerConfirmLeadMinutes: row?.carerConfirmLeadMins ?? 60,
    longWaitSeconds: row?.longWaitSeconds ?? 300,
    inviteDaysBefore: row?.inviteDaysBefore ?? 3,
    reminderHoursBefore: row?.reminderHoursBefore ?? 24,
    occurrenceWeeksAhead: row?.occurrenceWeeksAhead ?? 8,
    retentionYears: row?.retentionYears ?? null,
  };
}

export function agreedHoursOf(settings: SettingsView): AgreedHours {
  return { timeZone: settings.timeZone, days: settings.agreedHours };
}

export interface SettingsInput {
  timeZone: string;
  agreedHours: AgreedHours["days"];
  emergencyContact: { name: string; phone: string };
  carerConfirmLeadMinutes?: number;
  longWaitSeconds?: number;
  inviteDaysBefore?: number;
  reminderHoursBefore?: number;
  occurrenceWeeksAhead?: number;
  retentionYears?: number | null;
}

export async function updateSettings(ctx: Ctx, input: SettingsInput, actorId: string): Promise<SettingsView> {
  const updated = await ctx.transaction(async ({ tx, audit }) => {
    // The numbers not given keep their values (a console that does not show them cannot reset them).
    const current = await readSettings(tx);
    const data = {
      timeZone: input.timeZone,
      agreedHours: input.agreedHours,
      emergencyName: input.emergencyContact.name,
      emergencyPhone: input.emergencyContact.phone,
      carerConfirmLeadMins: input.carerConfirmLeadMinutes ?? current.carerConfirmLeadMinutes,
      longWaitSeconds: input.longWaitSeconds ?? current.longWaitSeconds,
      inviteDaysBefore: input.inviteDaysBefore ?? current.inviteDaysBefore,
      reminderHoursBefore: input.reminderHoursBefore ?? current.reminderHoursBefore,
      occurrenceWeeksAhead: input.occurrenceWeeksAhead ?? current.occurrenceWeeksAhead,
      retentionYears: input.retentionYears === undefined ? current.retentionYears : input.retentionYears,
    };
    await tx.settings.upsert({ where: { id: settingsId }, create: { id: settingsId, ...data }, update: data });
    await audit.append({ actorType: "staff", actorId, action: "settings.updated", data: { ...input } });
    return readSettings(tx);
  });
  // Agreed hours change why people wait: every open waiting page re-reads.
  await ctx.bus.publish({ type: "pages.changed" });
  return updated;
}

export type Audience = "member" | "carer";

/** Version 1 of each text, written when no version exists yet. */
const initialTexts: Record<Audience, string[]> = {
  member: ["Be kind.", "Do not take photos of the screen.", "Tell staff if you feel upset."],
  carer: [
    "Keep everyone in the group private.",
    "Do not take or share pictures of the session.",
    "Stay with them, or close by, while the group is on.",
    "Tell staff if you are worried about anything.",
  ],
};

export interface TextVersion {
  audience: Audience;
  version: number;
  lines: string[];
}

export async function currentText(tx: Tx, audience: Audience): Promise<TextVersion> {
  return textVersion(audience, (await readNewestText(queryableOf(tx), audience)) as GuidelinesVersion | null);
}

/** The newest version's text, or version 1's until one is published. */
export function textVersion(audience: Audience, row: GuidelinesVersion | null): TextVersion {
  if (!row) return { audience, version: 1, lines: initialTexts[audience] };
  return { audience, version: row.version, lines: textLines.parse(row.body) };
}

/** Publishes a new version; everyone is asked to agree again. Old versions are kept (R8). */
export async function publishText(ctx: Ctx, audience: Audience, lines: string[], actorId: string): Promise<TextVersion> {
  const published = await ctx.transaction(async ({ tx, audit }) => {
    const current = await currentText(tx, audience);
    const existing = await tx.guidelinesVersion.count({ where: { audience } });
    // Version 1 is implicit until the first publication; write it down so that history is whole.
    if (existing === 0) await tx.guidelinesVersion.create({ data: { audience, version: 1, body: current.lines } });
    const version = current.version + 1;
    await tx.guidelinesVersion.create({ data: { audience, version, body: lines } });
    await audit.append({ actorType: "staff", actorId, action: "guidelines.published", data: { audience, version, lines } });
    return { audience, version, lines };
  });
  // Everyone waiting is asked to agree again, at once (R13).
  await ctx.bus.publish({ type: "pages.changed" });
  return published;
}

/** The settings and the texts in force, for the console. */
export const currentSettings = (store: Store) => readSettings(store.database.db);
export const currentTexts = async (store: Store) => ({
  member: await currentText(store.database.db, "member"),
  carer: await currentText(store.database.db, "carer"),
});
