// R14 professional tone: a table of what it finds and what it must leave alone (the false
// positives the issue names and the organisation's everyday words), and properties: a kiss,
// a heart or a pet name added to any professional text makes it fail; a reason turns a failing
// text into a waived one, never into a pass.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideStaffText } from "../../src/policy/engine.ts";
import { toneFindings } from "../../src/policy/rules/r14-professional-tone.ts";

const numRuns = Number(process.env.FC_NUM_RUNS ?? 2_000);
const tone = (text: string, waiver: string | null = null) =>
  decideStaffText(text, waiver).checks.find((c) => c.rule === "R14.professional-tone")!;

describe("R14 finds", () => {
  it.each([
    ["See you on Tuesday xx", "a kiss", "xx"],
    ["Thanks for today x", "a kiss", "x"],
    ["Thanks x!", "a kiss", "x"],
    ["Well done XXX\nSam", "a kiss", "XXX"],
    ["Lovely to see you xoxo", "a kiss", "xoxo"],
    ["See u later", "text-speak", "u"],
    ["That was gr8", "text-speak", "gr8"],
    ["lol see you soon", "text-speak", "lol"],
    ["Thanks hun", "slang", "hun"],
    ["Morning babe", "slang", "babe"],
    ["What the hell happened", "an inappropriate word", "hell"],
    ["Well done ❤️", "a heart or kiss emoji", "❤"],
    ["Great work <3", "a heart or kiss emoji", "<3"],
    ["See you soon 😘", "a heart or kiss emoji", "😘"],
    ["PLEASE LOG IN NOW", "shouting in capitals", "PLEASE LOG IN"],
    ["Text me on 07700 900123 if you need me", "a personal contact", "07700 900123"],
    ["Any problems, +44 7700 900 123", "a personal contact", "+44 7700 900 123"],
    ["Sam (sam.smith@gmail.com)", "a personal contact", "sam.smith@gmail.com"],
  ])("%j: %s", (text, what, found) => {
    expect(toneFindings(text)).toContainEqual({ what, found });
    expect(tone(text)).toMatchObject({ outcome: "fail", code: "R14.professional-tone" });
  });
});

describe("R14 leaves alone", () => {
  it.each([
    "Xavier will join us today.",
    "The art box is in Box 10.",
    "Please bring an XL T-shirt.",
    "We need 2 x 3 metre sheets.",
    "The NHS letter is ready.",
    "Today we will paint with Alex.",
    "Please wait here. Sam will let you in soon.",
    "Call the office on 0161 496 0000 if you need help.",
    "Your carer said yes. Thank you!",
    "You are welcome to join at 2pm.",
    "Boxing Day is a holiday. Next session: Tuesday.",
    "We would love to see you. Bring a photo of your pet.",
    "Our team mate Priya is leading a 5 k walk.",
    "",
  ])("%j", (text) => {
    expect(toneFindings(text)).toEqual([]);
    expect(tone(text)).toMatchObject({ outcome: "pass", code: "R14.tone-ok" });
  });
});

// Professional sentences made of words the rule must never flag.
const plainWords = [
  "please",
  "wait",
  "here",
  "Sam",
  "will",
  "let",
  "you",
  "in",
  "soon",
  "thank",
  "today",
  "art",
  "club",
  "Tuesday",
  "at",
  "2pm",
  "the",
  "group",
  "starts",
  "Xavier",
  "Box",
  "10",
];
const professional = fc.array(fc.constantFrom(...plainWords), { minLength: 1, maxLength: 12 }).map((w) => `${w.join(" ")}.`);

describe("R14 properties", () => {
  it("a professional text passes", () => {
    fc.assert(
      fc.property(professional, (text) => tone(text).outcome === "pass"),
      { numRuns },
    );
  });

  it("a kiss at the end, a heart anywhere, or a pet name makes any text fail", () => {
    const spoil = fc.oneof(
      fc.constantFrom(" x", " xx", " XXX", " x!").map((k) => (t: string) => `${t}${k}`),
      fc.constantFrom("❤️", "💋", "😘", "<3").map((h) => (t: string) => `${h} ${t}`),
      fc.constantFrom("hun", "babe", "luv").map((p) => (t: string) => `${t} Thanks ${p}.`),
    );
    fc.assert(
      fc.property(professional, spoil, (text, spoilIt) => tone(spoilIt(text)).outcome === "fail"),
      { numRuns },
    );
  });

  it("a reason waives a failing text and never changes a passing one", () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string({ minLength: 1 }).filter((r) => r.trim() !== ""),
        (text, reason) => {
          const before = tone(text).outcome;
          const after = tone(text, reason).outcome;
          return before === "pass" ? after === "pass" : after === "waived";
        },
      ),
      { numRuns },
    );
    expect(decideStaffText("See you xx", "Her mother asked us to sign off like her family does.").allowed).toBe(true);
    expect(decideStaffText("See you xx", null).allowed).toBe(false);
  });
});
