// One chip per rule; each explains itself when reached by keyboard or pressed (a mouse press
// toggles it: opening on that press's focus too would close it again at once). Below the chips,
// every failing rule is said in words, so a coordinator need not open anything to know why.
import { useId, useState } from "react";
import type { Check } from "../shared/api.ts";

const words: Record<Check["outcome"], string> = { pass: "passes", fail: "fails", waived: "waived", not_applicable: "does not apply" };

export function Chips({ checks }: { checks: Check[] }) {
  const [open, setOpen] = useState<string | null>(null);
  const id = useId();
  const shown = checks.filter((c) => c.outcome !== "not_applicable");
  const current = shown.find((c) => c.rule === open);
  return (
    <div>
      <ul className="chips" aria-label="Rules">
        {shown.map((c) => (
          <li key={c.rule}>
            <button
              type="button"
              className={`chip ${c.outcome}`}
              aria-describedby={open === c.rule ? `${id}-reason` : undefined}
              aria-expanded={open === c.rule}
              onFocus={(e) => {
                if (e.currentTarget.matches(":focus-visible")) setOpen(c.rule);
              }}
              onClick={() => setOpen(open === c.rule ? null : c.rule)}
            >
              {c.rule.split(".")[0]} {c.outcome === "pass" ? "✓" : c.outcome === "fail" ? "✗" : "~"}
              <span className="visually-hidden">
                {" "}
                {c.rule} {words[c.outcome]}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {shown.some((c) => c.outcome === "fail") && (
        <ul className="chip-failing">
          {shown
            .filter((c) => c.outcome === "fail")
            .map((c) => (
              <li key={c.rule}>Not yet: {c.reason}</li>
            ))}
        </ul>
      )}
      {current && (
        <p className="chip-reason" id={`${id}-reason`}>
          <strong>{current.rule}</strong> {words[current.outcome]}: {current.reason}
        </p>
      )}
    </div>
  );
}
