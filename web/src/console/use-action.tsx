// Runs a console action, then reloads; shows what happened (or the API's refusal, with the
// failing rules) in one live region.
import { useCallback, useState } from "react";
import type { ApiError } from "../shared/api.ts";

export interface NoticeState {
  text: string;
  bad?: boolean;
}

export function useAction(reload: () => Promise<unknown> = async () => undefined) {
  const [notice, setNotice] = useState<NoticeState | null>(null);
  const act = useCallback(
    /** Resolves true when the action succeeded, so a form can clear itself then and only then. */
    async (what: () => Promise<unknown>, done?: string): Promise<boolean> => {
      try {
        await what();
        if (done) setNotice({ text: done });
        await reload();
        return true;
      } catch (err) {
        const e = err as ApiError;
        const failing = (e.checks ?? []).filter((c) => c.outcome === "fail").map((c) => `${c.rule}: ${c.reason}`);
        setNotice({ text: [e.message, ...failing].join(" "), bad: true });
        return false;
      }
    },
    [reload],
  );
  return { notice, setNotice, act };
}

export function Notice({ notice }: { notice: NoticeState | null }) {
  return (
    <div role="status" aria-live="polite">
      {notice && <p className={`notice ${notice.bad ? "bad" : ""}`}>{notice.text}</p>}
    </div>
  );
}
