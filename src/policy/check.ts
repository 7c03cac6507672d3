// Small constructors that keep every rule's checks in one shape.
import type { Check, Decision, RuleId } from "./types.ts";
import { ruleIds } from "./types.ts";

type Words = { reason: string; easyRead?: string };

export const pass = (rule: RuleId, code: string, words: Words): Check => ({ rule, outcome: "pass", code, ...words });
export const fail = (rule: RuleId, code: string, words: Words): Check => ({ rule, outcome: "fail", code, ...words });
export const waived = (rule: RuleId, code: string, words: Words): Check => ({ rule, outcome: "waived", code, ...words });
export const notApplicable = (rule: RuleId, reason: string): Check => ({
  rule,
  outcome: "not_applicable",
  code: `${rule.split(".")[0]}.not-applicable`,
  reason,
});

/** Builds a decision from the checks of the rules asked, naming every other rule as not applicable. */
export function decide(checks: Check[], otherReason: string): Decision {
  const byRule = new Map(checks.map((c) => [c.rule, c]));
  const all = ruleIds.map((rule) => byRule.get(rule) ?? notApplicable(rule, otherReason));
  return { allowed: all.every((c) => c.outcome !== "fail"), checks: all };
}
