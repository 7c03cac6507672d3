// Wall-clock arithmetic in the organisation's time zone, from Intl's time zone data and Luxon
// (no I/O).
import { DateTime } from "luxon";
import type { AgreedHours, Interval, Weekday } from "./types.ts";
import { weekdays } from "./types.ts";

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface LocalTime {
  readonly day: Weekday;
  /** Minutes since local midnight. */
  readonly minutes: number;
}

/**
 * Local times already worked out, by zone and instant. Every decision for a session asks R6 about
 * the same start and end, and formatToParts was three quarters of the engine's time in a join
 * storm's first states: each is worked out once. Kept small; emptied when full.
 */
const knownLocalTimes = new Map<string, LocalTime>();
const knownLocalTimesKept = 1000;

function localTime(at: Date, timeZone: string): LocalTime {
  const key = `${timeZone} ${at.getTime()}`;
  let known = knownLocalTimes.get(key);
  if (!known) {
    known = workOutLocalTime(at, timeZone);
    if (knownLocalTimes.size >= knownLocalTimesKept) knownLocalTimes.clear();
    knownLocalTimes.set(key, known);
  }
  return known;
}

function workOutLocalTime(at: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const day = String(parts.weekday).toLowerCase().slice(0, 3) as Weekday;
  return { day, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function fits(interval: Interval, from: number, to: number): boolean {
  return toMinutes(interval.start) <= from && to <= toMinutes(interval.end);
}

/**
 * True when [start, end] lies inside one agreed interval of one local day. An end at local
 * midnight counts as 24:00 of the start's day; a window crossing midnight otherwise never fits.
 */
export function windowWithinHours(start: Date, end: Date, hours: AgreedHours): boolean {
  if (end <= start || end.getTime() - start.getTime() > 24 * 3_600_000) return false;
  const from = localTime(start, hours.timeZone);
  const to = localTime(end, hours.timeZone);
  const nextDay = weekdays[(weekdays.indexOf(from.day) + 1) % 7];
  const toMinutesOnStartDay = to.day === from.day ? to.minutes : to.day === nextDay && to.minutes === 0 ? 24 * 60 : -1;
  if (toMinutesOnStartDay < 0) return false;
  return hours.days[from.day].some((interval) => fits(interval, from.minutes, toMinutesOnStartDay));
}

/** The agreed intervals of the days around `at`, as instants, in time order (Luxon does the zone arithmetic). */
function openings(at: Date, hours: AgreedHours, daysBefore: number, daysAfter: number): { start: Date; end: Date }[] {
  const today = DateTime.fromJSDate(at, { zone: hours.timeZone }).startOf("day");
  const out: { start: Date; end: Date }[] = [];
  for (let offset = -daysBefore; offset <= daysAfter; offset++) {
    const day = today.plus({ days: offset });
    const weekday = weekdays[day.weekday - 1]!; // Luxon: 1 is Monday
    for (const interval of hours.days[weekday]) {
      // Wall-clock times (set, not plus: a day with a clock change is 23 or 25 hours long).
      const at = (hhmm: string) =>
        hhmm === "24:00" ? day.plus({ days: 1 }) : day.set({ hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3, 5)) });
      out.push({ start: at(interval.start).toJSDate(), end: at(interval.end).toJSDate() });
    }
  }
  return out.sort((a, b) => a.start.getTime() - b.start.getTime());
}

/**
 * The first moment at or after `at` inside the agreed hours (messages wait for it), or null when
 * there is none in the coming week (no agreed hours at all).
 */
export function nextOpening(at: Date, hours: AgreedHours): Date | null {
  for (const o of openings(at, hours, 1, 8)) {
    if (o.end > at) return o.start > at ? o.start : at;
  }
  return null;
}

/**
 * A moment inside the agreed hours no later than `at`: `at` itself when it is inside them, else
 * half an hour before the end of the last opening before it (or its start, if shorter); null when
 * there is none in the week before.
 */
export function lastOpeningBefore(at: Date, hours: AgreedHours): Date | null {
  for (const o of openings(at, hours, 8, 1).reverse()) {
    if (o.start > at) continue;
    if (o.end > at) return at;
    return new Date(Math.max(o.start.getTime(), o.end.getTime() - 30 * 60_000));
  }
  return null;
}
