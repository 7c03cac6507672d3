// Dates and times in easy-read words, in the organisation's time zone: "Tuesday 3 March", "2pm",
// "2:30pm". The waiting page and every message say them the same way.

export function dayWords(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "long", day: "numeric", month: "long" }).format(at);
}

export function timeWords(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone, hour: "numeric", minute: "2-digit", hour12: true })
    .format(at)
    .replace(":00", "")
    .replace(/\s/g, "");
}

/** The first name only (R9: no surname in anything sent about a session). */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}

/** "1 minute", "24 minutes". */
export function minutesWords(seconds: number): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
