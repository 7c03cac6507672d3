// R15 keep-apart, for the DSL (who records and ends entries) and admins (who read them): two
// people who must never be in the same session, with the reason only these two roles see.
import { useState } from "react";
import { api } from "../shared/api.ts";
import { useOnMount } from "../shared/use-on-mount.ts";
import { useDirectory } from "./People.tsx";
import type { KeepApart as Entry } from "./types.ts";
import { Notice, useAction } from "./use-action.tsx";

type PersonType = "member" | "volunteer" | "staff";

export function KeepApart({ canRecord }: { canRecord: boolean }) {
  const [entries, setEntries] = useState<Entry[]>([]);
  const load = async () => setEntries((await api<{ keepApart: Entry[] }>("GET", "/api/keep-apart")).keepApart);
  const { notice, act } = useAction(load);
  useOnMount(load);
  const directory = useDirectory();
  const [a, setA] = useState("");
  const [b, setB] = useState<{ type: PersonType; id: string }>({ type: "member", id: "" });
  const [reason, setReason] = useState("");
  const [until, setUntil] = useState("");
  const others: Record<PersonType, { id: string; name: string }[]> = {
    member: directory.members.map((m) => ({ id: m.id, name: m.displayName })),
    volunteer: directory.volunteers.map((v) => ({ id: v.id, name: v.displayName })),
    staff: directory.staff.map((s) => ({ id: s.id, name: s.name })),
  };

  const record = (e: React.FormEvent) => {
    e.preventDefault();
    void act(async () => {
      await api("POST", "/api/keep-apart", {
        a: { type: "member", id: a },
        b,
        reason,
        ...(until ? { until: new Date(until).toISOString() } : {}),
      });
      setReason("");
      setUntil("");
    }, "The two will be kept apart.");
  };

  return (
    <section aria-labelledby="keep-apart-heading">
      <h2 id="keep-apart-heading">Keep apart (R15)</h2>
      <p className="hint">
        People who must never be in the same session. Staff who are refused see only "These two people must not be in the same session"; the
        reason is for the safeguarding lead and admins.
      </p>
      <Notice notice={notice} />
      {canRecord && (
        <form onSubmit={record}>
          <label htmlFor="ka-a">Member</label>
          <select id="ka-a" value={a} onChange={(e) => setA(e.target.value)} required>
            <option value="">Choose a member</option>
            {others.member.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <label htmlFor="ka-b-type">Keep them apart from</label>
          <select id="ka-b-type" value={b.type} onChange={(e) => setB({ type: e.target.value as PersonType, id: "" })}>
            <option value="member">a member</option>
            <option value="volunteer">a volunteer</option>
            <option value="staff">a member of staff</option>
          </select>
          <label htmlFor="ka-b">Who</label>
          <select id="ka-b" value={b.id} onChange={(e) => setB({ ...b, id: e.target.value })} required>
            <option value="">Choose</option>
            {others[b.type].map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <label htmlFor="ka-reason">Reason (only the safeguarding lead and admins see it)</label>
          <textarea id="ka-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} required />
          <label htmlFor="ka-until">Until (optional)</label>
          <input id="ka-until" type="date" value={until} onChange={(e) => setUntil(e.target.value)} />
          <div className="actions">
            <button type="submit">Keep these two apart</button>
          </div>
        </form>
      )}
      <ul>
        {entries.map((k) => (
          <li key={k.id}>
            {k.a.name} and {k.b.name} ({k.b.type}){k.until ? `, until ${new Date(k.until).toLocaleDateString("en-GB")}` : ""}: {k.reason}{" "}
            {k.active ? "" : k.end ? `(ended: ${k.end.reason})` : "(past its end date)"}
            {canRecord && k.active && (
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  const why = window.prompt("Why does this end?");
                  if (why) void act(() => api("POST", `/api/keep-apart/${k.id}/end`, { reason: why }), "The entry has ended.");
                }}
              >
                End
              </button>
            )}
          </li>
        ))}
        {entries.length === 0 && <li>Nobody is kept apart.</li>}
      </ul>
    </section>
  );
}
