// Sessions: the list, and scheduling one with members and volunteers. Links are shown once,
// with copy buttons and, for members who live with a carer, whom to send them to (R11).
import { useState } from "react";
import { type ApiError, api } from "../shared/api.ts";
import { useOnMount } from "../shared/use-on-mount.ts";
import { People, useDirectory } from "./People.tsx";
import { useToneWaiver } from "./tone.tsx";
import type { Attendee, Group, Session, Staff } from "./types.ts";

function toIso(local: string): string {
  return new Date(local).toISOString();
}

export function Copy({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <span className="link-box">
      <code>{value}</code>
      <button
        type="button"
        className="secondary"
        onClick={async () => {
          await navigator.clipboard?.writeText(value).catch(() => undefined);
          setCopied(true);
        }}
      >
        Copy {label}
      </button>
      <span role="status">{copied ? "Copied" : ""}</span>
    </span>
  );
}

export function Links({ attendees }: { attendees: Attendee[] }) {
  return (
    <section aria-labelledby="links-heading" className="notice">
      <h2 id="links-heading">Invite links (shown once)</h2>
      <p>
        Invitations with these links are in each session's Messages, and go by e-mail to everyone with an address. Copy them now for anyone
        without one: they cannot be shown here again. Reissue a link if one is lost.
      </p>
      {attendees.map((a) => (
        <div key={a.id}>
          <h3>{a.displayName}</h3>
          {a.contactVia && <p>{a.contactVia.guidance}</p>}
          {a.inviteUrl && <Copy label={`${a.displayName}'s invite link`} value={a.inviteUrl} />}
          {a.carerUrl && (
            <p>
              Carer link: <Copy label={`${a.displayName}'s carer link`} value={a.carerUrl} />
            </p>
          )}
        </div>
      ))}
    </section>
  );
}

function StaffSelect(props: {
  id: string;
  staff: Staff[];
  empty: string;
  value: string;
  onChange: (id: string) => void;
  required?: boolean;
}) {
  return (
    <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)} required={props.required}>
      <option value="">{props.empty}</option>
      {props.staff.map((s) => (
        <option key={s.id} value={s.id}>
          {s.name}
        </option>
      ))}
    </select>
  );
}

interface RunByValue {
  delivery: string;
  leadStaffId: string;
  secondStaffId: string;
}

/** Where a session or group is delivered, and who leads it (and is second). */
export function RunBy({
  idPrefix,
  staff,
  value,
  onChange,
}: {
  idPrefix: string;
  staff: Staff[];
  value: RunByValue;
  onChange: (change: Partial<RunByValue>) => void;
}) {
  return (
    <>
      <label htmlFor={`${idPrefix}-delivery`}>Delivered</label>
      <select id={`${idPrefix}-delivery`} value={value.delivery} onChange={(e) => onChange({ delivery: e.target.value })}>
        <option value="home">into members' homes</option>
        <option value="venue">at a venue</option>
      </select>
      <label htmlFor={`${idPrefix}-lead`}>Lead</label>
      <StaffSelect
        id={`${idPrefix}-lead`}
        staff={staff}
        empty="Choose…"
        value={value.leadStaffId}
        onChange={(leadStaffId) => onChange({ leadStaffId })}
        required
      />
      <label htmlFor={`${idPrefix}-second`}>Second member of staff</label>
      <StaffSelect
        id={`${idPrefix}-second`}
        staff={staff}
        empty="None"
        value={value.secondStaffId}
        onChange={(secondStaffId) => onChange({ secondStaffId })}
      />
    </>
  );
}

export function Sessions({ open }: { open: (id: string) => void }) {
  const [sessions, setSessions] = useState<Session[]>([]);
  const { staff, members, volunteers } = useDirectory();
  const [groups, setGroups] = useState<Group[]>([]);
  const [created, setCreated] = useState<Session | null>(null);
  const [error, setError] = useState<string | null>(null);
  const empty = {
    title: "",
    startsAt: "",
    endsAt: "",
    delivery: "home",
    leadStaffId: "",
    secondStaffId: "",
    memberIds: [] as string[],
    volunteerIds: [] as string[],
    volunteers: "",
    invitationNote: "",
  };
  const [form, setForm] = useState(empty);
  const noteTone = useToneWaiver("note-tone");

  const load = async () => {
    setSessions((await api<{ sessions: Session[] }>("GET", "/api/sessions")).sessions);
    setGroups((await api<{ groups: Group[] }>("GET", "/api/groups")).groups);
  };
  useOnMount(load);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const res = await noteTone.watch(() =>
        api<{ session: Session }>(
          "POST",
          "/api/sessions",
          noteTone.body({
            title: form.title,
            startsAt: toIso(form.startsAt),
            endsAt: toIso(form.endsAt),
            delivery: form.delivery,
            leadStaffId: form.leadStaffId,
            ...(form.secondStaffId ? { secondStaffId: form.secondStaffId } : {}),
            memberIds: form.memberIds,
            volunteerIds: form.volunteerIds,
            volunteers: form.volunteers
              .split(",")
              .map((v) => v.trim())
              .filter(Boolean)
              .map((displayName) => ({ displayName })),
            ...(form.invitationNote.trim() ? { invitationNote: form.invitationNote.trim() } : {}),
          }),
        ),
      )();
      setCreated(res.session);
      setForm(empty);
      await load();
    } catch (err) {
      setError((err as ApiError).message);
    }
  };

  return (
    <>
      <h1>Sessions</h1>
      <table>
        <caption className="visually-hidden">Sessions</caption>
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">When</th>
            <th scope="col">Group</th>
            <th scope="col">Status</th>
            <th scope="col">People</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id}>
              <td>
                <a
                  href={`#/sessions/${s.id}`}
                  onClick={(e) => {
                    e.preventDefault();
                    open(s.id);
                  }}
                >
                  {s.title}
                </a>
              </td>
              <td>{new Date(s.startsAt).toLocaleString("en-GB")}</td>
              <td>{s.groupId ? (groups.find((g) => g.id === s.groupId)?.title ?? "a group") : "one-off"}</td>
              <td>{s.cancelledAt ? "cancelled" : s.status}</td>
              <td>{s.attendees.length}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Schedule a session</h2>
      {error && (
        <p className="notice bad" role="alert">
          {error}
        </p>
      )}
      <form onSubmit={submit}>
        <label htmlFor="s-title">Title</label>
        <input id="s-title" value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} required />
        <label htmlFor="s-start">Starts</label>
        <input
          id="s-start"
          type="datetime-local"
          value={form.startsAt}
          onChange={(e) => setForm({ ...form, startsAt: e.target.value })}
          required
        />
        <label htmlFor="s-end">Ends</label>
        <input
          id="s-end"
          type="datetime-local"
          value={form.endsAt}
          onChange={(e) => setForm({ ...form, endsAt: e.target.value })}
          required
        />
        <RunBy idPrefix="s" staff={staff} value={form} onChange={(change) => setForm({ ...form, ...change })} />
        <People
          idPrefix="s"
          members={members}
          memberLabel={(m) => `${m.displayName} (video consent: ${m.consentState.video})`}
          volunteers={volunteers}
          memberIds={form.memberIds}
          volunteerIds={form.volunteerIds}
          onChange={(memberIds, volunteerIds) => setForm({ ...form, memberIds, volunteerIds })}
        />
        <label htmlFor="s-volunteers">Other volunteers, not on file (display names, separated by commas; they get no e-mail)</label>
        <input id="s-volunteers" value={form.volunteers} onChange={(e) => setForm({ ...form, volunteers: e.target.value })} />
        <label htmlFor="s-note">A note for the invitations (optional; checked for the organisation's tone)</label>
        <input
          id="s-note"
          value={form.invitationNote}
          onChange={(e) => {
            setForm({ ...form, invitationNote: e.target.value });
            noteTone.textChanged();
          }}
          maxLength={500}
        />
        {noteTone.field}
        <div className="actions">
          <button type="submit">Schedule</button>
        </div>
      </form>
      {created && <Links attendees={created.attendees} />}
    </>
  );
}
