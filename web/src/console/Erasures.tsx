// Erasure (UK GDPR article 17), on the Safeguarding page: an admin asks for a member's details
// (with their carers') or one carer's to be erased; the DSL approves or declines. The list is also
// the log of what the retention schedule erased. What erasure keeps and replaces: domain/erasure.ts.
import { useState } from "react";
import { api } from "../shared/api.ts";
import { useOnMount } from "../shared/use-on-mount.ts";
import { useDirectory } from "./People.tsx";
import type { Erasure } from "./types.ts";
import { Notice, useAction } from "./use-action.tsx";

export function Erasures({ canAsk, canDecide }: { canAsk: boolean; canDecide: boolean }) {
  const [erasures, setErasures] = useState<Erasure[]>([]);
  const load = async () => setErasures((await api<{ erasures: Erasure[] }>("GET", "/api/erasures")).erasures);
  const { notice, act } = useAction(load);
  useOnMount(load);
  const directory = useDirectory();
  const [memberId, setMemberId] = useState("");
  const [carers, setCarers] = useState<{ id: string; name: string }[]>([]);
  const [whose, setWhose] = useState("member");
  const [reason, setReason] = useState("");

  const chooseMember = async (id: string) => {
    setMemberId(id);
    setWhose("member");
    setCarers(id ? (await api<{ member: { carers: { id: string; name: string }[] } }>("GET", `/api/members/${id}`)).member.carers : []);
  };
  const ask = (e: React.FormEvent) => {
    e.preventDefault();
    const subject = whose === "member" ? { subjectType: "member", subjectId: memberId } : { subjectType: "carer", subjectId: whose };
    void act(async () => {
      await api("POST", "/api/erasures", { ...subject, reason });
      setReason("");
    }, "Asked. The safeguarding lead will approve or decline it.");
  };
  const decide = (id: string, answer: "approve" | "decline") =>
    act(() => api("POST", `/api/erasures/${id}/${answer}`), answer === "approve" ? "Erased." : "Declined: nothing was erased.");

  return (
    <section aria-labelledby="erasure-heading">
      <h2 id="erasure-heading">Erasing personal details</h2>
      <p className="hint">
        A member or carer may ask for their details to be erased. Their name, e-mail address and phone number become "erased" everywhere;
        decisions, consents and the audit trail stay. An admin asks, the safeguarding lead approves. Take the member out of their upcoming
        sessions and groups first.
      </p>
      <Notice notice={notice} />
      {canAsk && (
        <form onSubmit={ask}>
          <label htmlFor="er-member">Member</label>
          <select id="er-member" value={memberId} onChange={(e) => void chooseMember(e.target.value)} required>
            <option value="">Choose a member</option>
            {directory.members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.displayName}
              </option>
            ))}
          </select>
          <label htmlFor="er-whose">Whose details</label>
          <select id="er-whose" value={whose} onChange={(e) => setWhose(e.target.value)}>
            <option value="member">The member and their carers</option>
            {carers.map((c) => (
              <option key={c.id} value={c.id}>
                Only {c.name} (carer)
              </option>
            ))}
          </select>
          <label htmlFor="er-reason">Why (for example who asked, and when)</label>
          <textarea id="er-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} required />
          <div className="actions">
            <button type="submit">Ask to erase</button>
          </div>
        </form>
      )}
      <ul>
        {erasures.map((e) => (
          <li key={e.id}>
            {e.subject.name} ({e.subject.type}), {e.origin === "retention" ? "by the retention setting" : "asked"}{" "}
            {new Date(e.createdAt).toLocaleDateString("en-GB")}: {e.reason} <strong>{e.status}</strong>
            {canDecide && e.status === "waiting" && (
              <>
                {" "}
                <button type="button" onClick={() => void decide(e.id, "approve")}>
                  Approve and erase
                </button>{" "}
                <button type="button" className="secondary" onClick={() => void decide(e.id, "decline")}>
                  Decline
                </button>
              </>
            )}
          </li>
        ))}
        {erasures.length === 0 && <li>No erasures asked for.</li>}
      </ul>
    </section>
  );
}
