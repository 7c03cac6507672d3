// R9 privacy: the room and its tokens carry only a display name chosen for the room and opaque
// ids: never a surname, address, phone number, school or e-mail. A surname cannot be recognised
// by a machine; what can be is refused.
import { fail, pass } from "../check.ts";
import type { Check } from "../types.ts";

const rule = "R9.privacy";

const patterns: [RegExp, string][] = [
  [/[^\s@]+@[^\s@]+\.[^\s@]+/, "an e-mail address"],
  [/(?:\d[\s\-().]*){7,}/, "a phone number"],
  [/\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b/i, "a postcode"],
  [/https?:\/\/|www\./i, "a web address"],
  [/\b\d+\s+\w+\s+(street|st|road|rd|avenue|ave|lane|ln|close|drive|dr|way|court|crescent|place)\b/i, "a street address"],
  [/\b(school|academy|college)\b/i, "a school's name"],
];

/** What identifying detail the name seems to carry, or null. */
export function identifyingDetail(name: string): string | null {
  for (const [pattern, what] of patterns) if (pattern.test(name)) return what;
  return null;
}

export function privacy(displayName: string): Check {
  const found = identifyingDetail(displayName);
  return found
    ? fail(rule, "R9.identifying-name", { reason: `The display name looks like it contains ${found}. Choose a name for the room.` })
    : pass(rule, "R9.display-name-only", { reason: "The room sees only the display name and an opaque id." });
}
