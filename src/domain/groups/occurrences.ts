// When a recurring group meets: its occurrences between two moments, each at the same local
// time in the organisation's time zone (14:00 stays 14:00 across the clock changes). Luxon does
// the zone arithmetic. Pure.
import { DateTime } from "luxon";
import type { GroupSchedule } from "../../contract/vocabulary.ts";
import { weekdays } from "../../policy/types.ts";

export interface Occurrence {
  /** The local date, YYYY-MM-DD: an occurrence's identity within its group. */
  date: string;
  startsAt: Date;
  endsAt: Date;
}

/** The local date's occurrence, at the schedule's times in `timeZone`. */
export function occurrenceOn(date: string, schedule: GroupSchedule, timeZone: string): Occurrence {
  const at = (hhmm: string) => DateTime.fromISO(`${date}T${hhmm}`, { zone: timeZone }).toJSDate();
  return { date, startsAt: at(schedule.start), endsAt: at(schedule.end) };
}

/** Every occurrence that starts in [from, to), in date order. */
export function occurrencesBetween(schedule: GroupSchedule, timeZone: string, from: Date, to: Date): Occurrence[] {
  let day = DateTime.fromISO(schedule.from, { zone: timeZone });
  const wanted = weekdays.indexOf(schedule.weekday) + 1; // Luxon: Monday is 1
  day = day.plus({ days: (wanted - day.weekday + 7) % 7 });
  const last = schedule.until ? DateTime.fromISO(schedule.until, { zone: timeZone }) : null;
  const out: Occurrence[] = [];
  for (; (!last || day <= last) && day.toJSDate() < to; day = day.plus({ weeks: schedule.everyWeeks })) {
    const o = occurrenceOn(day.toISODate()!, schedule, timeZone);
    if (o.startsAt >= from && o.startsAt < to) out.push(o);
  }
  return out;
}
