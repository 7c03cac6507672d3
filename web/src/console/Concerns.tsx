// Concerns: any member of staff raises one; the DSL sees them all, follows up, and exports.
import { useState } from "react";
import { type ApiError, api } from "../shared/api.ts";
import { useOnMount } from "../shared/use-on-mount.ts";
import type { Staff } from "./types.ts";

interface Concern {
  id: string;
  text: string;
  status: string;
  createdAt: string;
  notes: { id: string; note: string; status: string | null; createdAt: string }[];
}

export function Concerns({ me }: { me: Staff }) {
  const [concerns, setConcerns] = useState<Concern[]>([]);
  const [text, setText] = useState("");
  const [notice, setNotice] = useState<{ text: string; bad?: boolean } | null>(null);
  const dsl = me.roles.includes("dsl");
  const load = async () => setConcerns((await api<{ concerns: Concern[] }>("GET", "/api/concerns")).concerns);
  useOnMount(load);

  const raise = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      await api("POST", "/api/concerns", { text });
      setText("");
      setNotice({ text: "Your concern has been sent to the designated safeguarding lead." });
      await load();
    } catch (err) {
      setNotice({ text: (err as ApiError).message, bad: true });
    }
  };

  return (
    <>
      <h1>Concerns</h1>
      <div role="status" aria-live="polite">
        {notice && <p className={`notice ${notice.bad ? "bad" : ""}`}>{notice.text}</p>}
      </div>
      <form onSubmit={raise}>
        <label htmlFor="concern-text">Raise a concern (kept like a face-to-face disclosure)</label>
        <textarea id="concern-text" rows={4} cols={60} value={text} onChange={(e) => setText(e.target.value)} required minLength={3} />
        <div className="actions">
          <button type="submit">Send to the DSL</button>
        </div>
      </form>
      <h2>{dsl ? "All concerns" : "Concerns you raised"}</h2>
      {dsl && (
        <p>
          Export: <a href="/api/concerns?format=csv">concerns (CSV)</a> · <a href="/api/waivers?format=csv">R3 waivers (CSV)</a> ·{" "}
          <a href="/api/audit?format=csv">audit trail (CSV)</a> · <a href="/api/audit/verify">verify the audit trail</a>
        </p>
      )}
      <ul>
        {concerns.map((c) => (
          <li key={c.id}>
            <strong>{c.status}</strong> · {new Date(c.createdAt).toLocaleString("en-GB")}: {c.text}
            {c.notes.length > 0 && (
              <ul>
                {c.notes.map((n) => (
                  <li key={n.id}>
                    {n.note}
                    {n.status ? ` (now ${n.status})` : ""}
                  </li>
                ))}
              </ul>
            )}
            {dsl && (
              <button
                type="button"
                className="secondary"
                onClick={async () => {
                  const note = window.prompt("Follow-up note");
                  if (note) {
                    await api("POST", `/api/concerns/${c.id}/notes`, { note });
                    await load();
                  }
                }}
              >
                Add a note
              </button>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
