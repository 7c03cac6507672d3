// Soft rules (R3 second staff, R14 professional tone) may be waived with a written reason. Each
// waiver is kept, with who gave it, and the DSL reads the list.
import { decideStaffText, failing } from "../policy/engine.ts";
import type { RuleId } from "../policy/types.ts";
import { conflict } from "./errors.ts";
import type { Uow } from "./unit-of-work.ts";

/** Records a waiver of a soft rule and its audit event; `data` says what was waived (e.g. the text). */
export async function recordWaiver(
  { tx, audit }: Uow,
  sessionId: string,
  rule: RuleId,
  reason: string,
  staff: { id: string },
  data: Record<string, unknown> = {},
): Promise<void> {
  const waiver = await tx.waiver.create({ data: { sessionId, rule, reason: reason.trim(), staffId: staff.id } });
  await audit.append({
    actorType: "staff",
    actorId: staff.id,
    action: "waiver.recorded",
    sessionId,
    data: { waiverId: waiver.id, rule, ...data },
  });
}

/**
 * R14: a text a member of staff wrote for members or carers, checked before anything is written.
 * A text that fails is refused (409, with what was found) unless a reason is given; then it goes,
 * and the reason is kept as a waiver with the text.
 */
export async function checkStaffText(uow: Uow, sessionId: string, text: string, waiverReason: string | null, staff: { id: string }) {
  const decision = decideStaffText(text, waiverReason);
  const [failed] = failing(decision.checks);
  if (failed) throw conflict(failed.code, failed.reason, decision.checks);
  if (waiverReason && decision.checks.some((c) => c.outcome === "waived")) {
    await recordWaiver(uow, sessionId, "R14.professional-tone", waiverReason, staff);
  }
}
