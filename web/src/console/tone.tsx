// R14 in the console: when a message is refused for its tone, the form keeps the text, says what
// was found, and offers a second field to send it anyway with a reason (which is recorded).
import { useState } from "react";
import { ApiError } from "../shared/api.ts";

export function useToneWaiver(id: string) {
  const [found, setFound] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  return {
    /** The body to send: with the reason once a refusal has asked for one. */
    body: <T extends object>(body: T): T | (T & { toneWaiverReason: string }) =>
      found && reason.trim() ? { ...body, toneWaiverReason: reason.trim() } : body,
    /** Wraps a send so that a tone refusal opens the reason field (the error still reaches the notice). */
    watch:
      <T,>(send: () => Promise<T>) =>
      async (): Promise<T> => {
        try {
          const result = await send();
          setFound(null);
          setReason("");
          return result;
        } catch (err) {
          if (err instanceof ApiError && err.code === "R14.professional-tone") setFound(err.message);
          throw err;
        }
      },
    /** Clears the state when the text changes: a new text is checked afresh. */
    textChanged: () => {
      setFound(null);
      setReason("");
    },
    field: found && (
      <div className="tone">
        <p id={`${id}-found`}>{found}</p>
        <label htmlFor={`${id}-reason`}>To send it as it is, say why (this is recorded)</label>
        <input
          id={`${id}-reason`}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-describedby={`${id}-found`}
          maxLength={1000}
        />
      </div>
    ),
  };
}
