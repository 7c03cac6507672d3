// Wall-clock arithmetic in the organisation's time zone, from Intl's time zone data (no I/O).
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
  day: Weekday;
  /** Minutes since local midnight. */
  minutes: number;
}

function localTime(at: Date, timeZone: string): LocalTime {
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
