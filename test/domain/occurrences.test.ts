// A recurring group's occurrences (pure): the first on or after `from`, then every N weeks, never
// after `until`, each at the same local time in the organisation's zone whatever the clocks do.
import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { weekday } from "../../src/contract/vocabulary.ts";
import { occurrencesBetween } from "../../src/domain/groups/occurrences.ts";

const year = [new Date("2026-01-01T00:00:00Z"), new Date("2027-01-01T00:00:00Z")] as const;

describe("occurrences", () => {
  it("start on the first matching day on or after `from`, every two weeks, and stop at `until`", () => {
    const dates = occurrencesBetween(
      { weekday: "fri", start: "18:00", end: "19:00", everyWeeks: 2, from: "2026-03-03", until: "2026-04-10" },
      "Europe/London",
      ...year,
    ).map((o) => [o.date, o.startsAt.toISOString()]);
    expect(dates).toEqual([
      ["2026-03-06", "2026-03-06T18:00:00.000Z"],
      ["2026-03-20", "2026-03-20T18:00:00.000Z"],
      ["2026-04-03", "2026-04-03T17:00:00.000Z"],
    ]);
  });

  it("keep their local time and weekday in any zone, across both clock changes", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("Europe/London", "America/New_York", "Australia/Sydney", "UTC"),
        fc.constantFrom(...weekday.options),
        // From 04:00: no zone here changes its clocks later in the night than 03:00, when a local
        // time may not exist (Luxon then moves it forward by the gap).
        fc.integer({ min: 4, max: 22 }),
        fc.integer({ min: 1, max: 4 }),
        (zone, day, hour, everyWeeks) => {
          const start = `${String(hour).padStart(2, "0")}:30`;
          const end = `${String(hour + 1).padStart(2, "0")}:15`;
          const all = occurrencesBetween({ weekday: day, start, end, everyWeeks, from: "2026-01-01" }, zone, ...year);
          return (
            all.length >= Math.floor(52 / everyWeeks) - 1 &&
            all.every((o, i) => {
              const local = DateTime.fromJSDate(o.startsAt, { zone });
              const gap = i === 0 ? everyWeeks * 7 : DateTime.fromISO(o.date).diff(DateTime.fromISO(all[i - 1]!.date), "days").days;
              return local.toFormat("HH:mm") === start && local.toFormat("ccc").toLowerCase() === day && gap === everyWeeks * 7;
            })
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
