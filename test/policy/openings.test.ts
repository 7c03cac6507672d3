// When a message may go (the outbox, R6's agreed hours): the next opening at or after a moment,
// and the last opening before it, in the organisation's time zone, across the clock changes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lastOpeningBefore, nextOpening, windowWithinHours } from "../../src/policy/clock.ts";
import type { AgreedHours } from "../../src/policy/types.ts";
import { weekdays } from "../../src/policy/types.ts";

const numRuns = Number(process.env.FC_NUM_RUNS ?? 2_000);
const officeHours: AgreedHours = {
  timeZone: "Europe/London",
  days: Object.fromEntries(weekdays.map((d) => [d, d === "sun" ? [] : [{ start: "08:00", end: "21:00" }]])) as AgreedHours["days"],
};

describe("openings", () => {
  it.each([
    // Saturday night before the clocks go forward (29 March 2026): Monday 08:00 BST.
    ["2026-03-28T22:00:00Z", "2026-03-30T07:00:00.000Z", "2026-03-28T20:30:00.000Z"],
    // Inside the hours: now.
    ["2026-03-30T12:00:00Z", "2026-03-30T12:00:00.000Z", "2026-03-30T12:00:00.000Z"],
    // Saturday night before the clocks go back (25 October 2026): Monday 08:00 GMT.
    ["2026-10-24T21:30:00Z", "2026-10-26T08:00:00.000Z", "2026-10-24T19:30:00.000Z"],
    // Early on a weekday: the same morning; the last opening was the evening before.
    ["2026-03-03T06:00:00Z", "2026-03-03T08:00:00.000Z", "2026-03-02T20:30:00.000Z"],
  ])("at %s: next %s, last before %s", (at, next, last) => {
    expect(nextOpening(new Date(at), officeHours)?.toISOString()).toBe(next);
    expect(lastOpeningBefore(new Date(at), officeHours)?.toISOString()).toBe(last);
  });

  it("the same instants asked about again, in another zone, are judged in that zone's local time", () => {
    // clock.ts keeps the local times it has worked out, by zone and instant: asking about one
    // window in London, then in Auckland (a day ahead), then in London again must not mix them.
    const start = new Date("2026-03-04T12:00:00Z"); // Wednesday 12:00 in London, Thursday 01:00 in Auckland
    const end = new Date("2026-03-04T13:00:00Z");
    const wednesdayNoon = (timeZone: string): AgreedHours => ({
      timeZone,
      days: Object.fromEntries(weekdays.map((d) => [d, d === "wed" ? [{ start: "11:00", end: "14:00" }] : []])) as AgreedHours["days"],
    });
    for (let round = 0; round < 3; round++) {
      expect(windowWithinHours(start, end, wednesdayNoon("Europe/London"))).toBe(true);
      expect(windowWithinHours(start, end, wednesdayNoon("Pacific/Auckland"))).toBe(false);
    }
  });

  it("none when no hours are agreed at all", () => {
    const none: AgreedHours = {
      timeZone: "Europe/London",
      days: Object.fromEntries(weekdays.map((d) => [d, [] as { start: string; end: string }[]])) as AgreedHours["days"],
    };
    expect(nextOpening(new Date("2026-03-03T12:00:00Z"), none)).toBeNull();
    expect(lastOpeningBefore(new Date("2026-03-03T12:00:00Z"), none)).toBeNull();
  });

  it("the next opening is inside the agreed hours, not before the moment, and nothing earlier was open", () => {
    const minute = 60_000;
    fc.assert(
      fc.property(fc.integer({ min: Date.parse("2026-01-01T00:00:00Z"), max: Date.parse("2026-12-31T00:00:00Z") }), (ms) => {
        const at = new Date(Math.floor(ms / minute) * minute);
        const next = nextOpening(at, officeHours)!;
        const open = (t: Date) => windowWithinHours(t, new Date(t.getTime() + minute), officeHours);
        if (next < at || !open(next)) return false;
        // Every whole quarter hour between them is closed.
        for (let t = Math.ceil(at.getTime() / (15 * minute)) * 15 * minute; t < next.getTime(); t += 15 * minute) {
          if (open(new Date(t))) return false;
        }
        const last = lastOpeningBefore(at, officeHours)!;
        return last <= at && open(last);
      }),
      { numRuns },
    );
  });
});
