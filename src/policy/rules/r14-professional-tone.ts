// R14 professional tone (soft): a text staff write that reaches a member or a carer keeps the
// organisation's tone. Found: kisses (x, xx, xxx as words), text-speak, slang and pet names,
// inappropriate words (lists in tone-words.ts), hearts and kiss emoji, shouting in capitals, and
// a personal phone number or e-mail address. A failing text can be sent with a written reason,
// which is recorded like R3's waiver.
import { fail, pass, waived } from "../check.ts";
import type { Check } from "../types.ts";
import { heartsAndKisses, inappropriate, slang, textSpeak } from "./tone-words.ts";

const rule = "R14.professional-tone";

export interface ToneFinding {
  what:
    | "a kiss"
    | "text-speak"
    | "slang"
    | "an inappropriate word"
    | "a heart or kiss emoji"
    | "shouting in capitals"
    | "a personal contact";
  /** The text that was found, as written. */
  found: string;
}

const listed = (words: string[]) => new Set(words.map((w) => w.toLowerCase()));
const lists: [Set<string>, ToneFinding["what"]][] = [
  [listed(textSpeak), "text-speak"],
  [listed(slang), "slang"],
  [listed(inappropriate), "an inappropriate word"],
];

/** Words as written, with where each ends; a word is letters, digits and apostrophes. */
function wordsOf(text: string): { word: string; index: number; end: number }[] {
  return [...text.matchAll(/[\p{L}\p{N}']+/gu)].map((m) => ({ word: m[0], index: m.index, end: m.index + m[0].length }));
}

/**
 * A kiss is a word of x's (xx, xxx, XXX), "xo"s, or a single x that ends a line or the text
 * ("See you soon x", "Thanks x!"); a lone x between numbers ("2 x 3") is a multiplication, and
 * x inside a word (Xavier, Box, XL) is a letter.
 */
function isKiss(text: string, w: { word: string; index: number; end: number }): boolean {
  const lower = w.word.toLowerCase();
  if (/^x{2,}$/.test(lower) || /^(xo)+x?$/.test(lower)) return true;
  if (lower !== "x") return false;
  const before = text.slice(0, w.index).trimEnd();
  const after = text.slice(w.end);
  if (/\d$/.test(before) && /^\s*\d/.test(after)) return false;
  return /^[\s!.,)]*($|\n)/.test(after);
}

/** Three capitalised words in a row (each of two letters or more) is shouting; one acronym is not. */
function shouting(words: { word: string }[]): string | null {
  let run: string[] = [];
  for (const { word } of words) {
    const letters = word.replace(/[^\p{L}]/gu, "");
    if (letters.length >= 2 && letters === letters.toUpperCase() && letters !== letters.toLowerCase()) {
      run.push(word);
      if (run.length >= 3) return run.join(" ");
    } else run = [];
  }
  return null;
}

const email = /[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+/;
// A UK mobile number (07… or +44 7…), however it is spaced: staff's own phones, not the
// organisation's landline that the member's page shows as the emergency contact.
const mobile = /(?:\+44\s*\(?0?\)?\s*7|\b07)(?:[\s-]*\d){9}\b/;

/** What in the text is not in the organisation's tone, in the order found. */
export function toneFindings(text: string): ToneFinding[] {
  const findings: ToneFinding[] = [];
  const words = wordsOf(text);
  for (const w of words) {
    if (isKiss(text, w)) {
      findings.push({ what: "a kiss", found: w.word });
      continue;
    }
    const lower = w.word.toLowerCase();
    const listedAs = lists.find(([set]) => set.has(lower));
    if (listedAs) findings.push({ what: listedAs[1], found: w.word });
  }
  for (const picture of heartsAndKisses) if (text.includes(picture)) findings.push({ what: "a heart or kiss emoji", found: picture });
  const shout = shouting(words);
  if (shout) findings.push({ what: "shouting in capitals", found: shout });
  for (const pattern of [email, mobile]) {
    const m = text.match(pattern);
    if (m) findings.push({ what: "a personal contact", found: m[0] });
  }
  return findings;
}

/** The words staff see: what was found, each kind once. */
function describeFindings(findings: ToneFinding[]): string {
  const byKind = new Map<string, string[]>();
  for (const f of findings) byKind.set(f.what, [...(byKind.get(f.what) ?? []), `"${f.found}"`]);
  return [...byKind].map(([what, found]) => `${what} (${[...new Set(found)].join(", ")})`).join("; ");
}

export function professionalTone(text: string, waiverReason: string | null): Check {
  const findings = toneFindings(text);
  if (findings.length === 0) return pass(rule, "R14.tone-ok", { reason: "The message keeps the organisation's tone." });
  const found = describeFindings(findings);
  return waiverReason?.trim()
    ? waived(rule, "R14.tone-waived", { reason: `Sent with ${found}. Reason given: ${waiverReason.trim()}` })
    : fail(rule, "R14.professional-tone", {
        reason: `This message does not keep the organisation's professional tone: ${found}. Change it, or send it with a reason.`,
      });
}
