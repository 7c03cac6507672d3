// For the DSL (and admins): the audit trail filtered by session, person, staff and time, its
// verification, the waivers of soft rules (R3, R14), and exports of each as CSV or JSON.
import { useState } from "react";
import { api } from "../shared/api.ts";
import { useOnMount } from "../shared/use-on-mount.ts";
import { Erasures } from "./Erasures.tsx";
import { KeepApart } from "./KeepApart.tsx";
import { Notice, useAction } from "./use-action.tsx";

interface AuditEvent {
  seq: number;
  at: string;
  actorType: string;
  actorId: string | null;
  action: string;
  sessionId: string | null;
  subjectId: string | null;
}

interface Escalation {
  at: string;
  sessionTitle: string;
  name: string;
  waitedSeconds: number;
}

interface Waiver {
  id: string;
  rule: string;
  sessionTitle: string;
  reason: string;
  staffId: string;
  createdAt: string;
}

const fields = [
  ["sessionId", "Session id"],
  ["subjectId", "Person id (member, attendee or staff)"],
  ["actorId", "Done by (staff id)"],
  ["from", "From (date and time)"],
  ["to", "To (date and time)"],
] as const;

export function Safeguarding({ isDsl, isAdmin }: { isDsl: boolean; isAdmin: boolean }) {
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [waivers, setWaivers] = useState<Waiver[]>([]);
  const [escalations, setEscalations] = useState<Escalation[]>([]);
  const query = () => {
    const q = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) {
      if (value) q.set(key, key === "from" || key === "to" ? new Date(value).toISOString() : value);
    }
    return q;
  };
  const load = async () => {
    setEvents((await api<{ events: AuditEvent[] }>("GET", `/api/audit?${query()}`)).events);
    setWaivers((await api<{ waivers: Waiver[] }>("GET", "/api/waivers")).waivers);
    setEscalations((await api<{ escalations: Escalation[] }>("GET", "/api/escalations")).escalations);
  };
  const { notice, setNotice, act } = useAction(load);
  useOnMount(load);

  const verify = () =>
    act(async () => {
      const result = await api<{ ok: boolean; count: number; firstBroken?: { seq: number; reason: string } }>("GET", "/api/audit/verify");
      setNotice(
        result.ok
          ? { text: `The audit trail is intact: ${result.count} events, every link checked.` }
          : { text: `The audit trail is broken at event ${result.firstBroken?.seq}: ${result.firstBroken?.reason}.`, bad: true },
      );
    });

  return (
    <>
      <h1>Safeguarding</h1>
      <Notice notice={notice} />
      <div className="actions">
        <button type="button" onClick={verify}>
          Verify the audit trail
        </button>
      </div>
      <h2>Audit trail</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void act(load);
        }}
      >
        {fields.map(([key, label]) => (
          <div key={key}>
            <label htmlFor={`f-${key}`}>{label}</label>
            <input
              id={`f-${key}`}
              type={key === "from" || key === "to" ? "datetime-local" : "text"}
              value={filters[key] ?? ""}
              onChange={(e) => setFilters({ ...filters, [key]: e.target.value })}
            />
          </div>
        ))}
        <div className="actions">
          <button type="submit">Filter</button>
          <a href={`/api/audit?${query()}&format=csv`}>Export as CSV</a>
          <a href={`/api/audit?${query()}&format=json`}>Export as JSON</a>
        </div>
      </form>
      <table>
        <caption className="visually-hidden">Audit events</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">Who</th>
            <th scope="col">About</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td>
              <td>{new Date(e.at).toLocaleString("en-GB")}</td>
              <td>{e.action}</td>
              <td>
                {e.actorType} {e.actorId ?? ""}
              </td>
              <td>{e.subjectId ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Long waits nobody answered</h2>
      <p className="hint">People who waited twice the long-wait time with nobody letting them in, refusing them or writing to them.</p>
      <ul>
        {escalations.map((e) => (
          <li key={`${e.at}-${e.name}`}>
            {new Date(e.at).toLocaleString("en-GB")}, {e.sessionTitle}: {e.name} waited {Math.round(e.waitedSeconds / 60)} minutes.
          </li>
        ))}
        {escalations.length === 0 && <li>None.</li>}
      </ul>
      <KeepApart canRecord={isDsl} />
      <Erasures canAsk={isAdmin} canDecide={isDsl} />
      <h2>Rules waived with a reason</h2>
      <p className="hint">
        R3: a session run without a second member of staff. R14: a message sent although it was not in the organisation's tone.
      </p>
      <p>
        <a href="/api/waivers?format=csv">Export waivers as CSV</a>
      </p>
      <ul>
        {waivers.map((w) => (
          <li key={w.id}>
            {new Date(w.createdAt).toLocaleString("en-GB")}, {w.sessionTitle},{" "}
            {w.rule === "R14.professional-tone" ? "R14 tone" : "R3 second staff"}: {w.reason}
          </li>
        ))}
      </ul>
    </>
  );
}
