// Members: add them with their carers, record and withdraw consent, consent state at a glance;
// and volunteers on file, chosen when scheduling.
import { useState } from "react";
import { api } from "../shared/api.ts";
import { useOnMount } from "../shared/use-on-mount.ts";
import { MemberMessages } from "./Messages.tsx";
import type { Member, Volunteer } from "./types.ts";
import { Notice, useAction } from "./use-action.tsx";

export function Members() {
  const [members, setMembers] = useState<Member[]>([]);
  const blank = { displayName: "", livesWithCarer: true, email: "", carerName: "", carerEmail: "", carerPhone: "" };
  const [form, setForm] = useState(blank);

  const load = async () => setMembers((await api<{ members: Member[] }>("GET", "/api/members")).members);
  const { notice, act } = useAction(load);
  const adding = useAction(load);
  useOnMount(load);

  const add = (e: React.FormEvent) => {
    e.preventDefault();
    const carer = {
      name: form.carerName,
      ...(form.carerEmail ? { email: form.carerEmail } : {}),
      ...(form.carerPhone ? { phone: form.carerPhone } : {}),
    };
    void adding
      .act(
        () =>
          api("POST", "/api/members", {
            displayName: form.displayName,
            livesWithCarer: form.livesWithCarer,
            ...(!form.livesWithCarer && form.email ? { email: form.email } : {}),
            carers: form.carerName ? [carer] : [],
          }),
        `${form.displayName} was added.`,
      )
      .then((ok) => ok && setForm(blank));
  };

  return (
    <>
      <h1>Members</h1>
      <Notice notice={notice} />
      {members.map((m) => (
        <article key={m.id} className="person" aria-labelledby={`mem-${m.id}`}>
          <h2 id={`mem-${m.id}`}>{m.displayName}</h2>
          <p>
            {m.livesWithCarer
              ? `Lives with a carer: ${m.carers.map((c) => c.name).join(", ")}.`
              : `Lives independently${m.email ? `; invitations go to ${m.email}` : "; no e-mail on file"}.`}{" "}
            Video consent: <strong>{m.consentState.video}</strong>. Recording consent: <strong>{m.consentState.recording}</strong>.
          </p>
          <ul>
            {m.consents.map((c) => (
              <li key={c.id}>
                {c.type} consent from the {c.givenBy} ({c.method}), {new Date(c.createdAt).toLocaleDateString("en-GB")}
                {c.withdrawal ? `: withdrawn (${c.withdrawal.reason})` : ""}{" "}
                {!c.withdrawal && (
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => {
                      const reason = window.prompt("Why is consent withdrawn?");
                      if (reason)
                        void act(() => api("POST", `/api/members/${m.id}/consents/${c.id}/withdraw`, { reason }), "Consent withdrawn.");
                    }}
                  >
                    Withdraw {c.type} consent
                  </button>
                )}
              </li>
            ))}
          </ul>
          <ConsentForm member={m} reload={load} />
          <MemberMessages memberId={m.id} name={m.displayName} />
        </article>
      ))}
      <h2>Add a member</h2>
      <form onSubmit={add}>
        <label htmlFor="m-name">Display name for the room (a first name, no surname)</label>
        <input
          id="m-name"
          value={form.displayName}
          onChange={(e) => setForm({ ...form, displayName: e.target.value })}
          required
          maxLength={40}
        />
        <label className="inline" htmlFor="m-carer">
          <input
            id="m-carer"
            type="checkbox"
            checked={form.livesWithCarer}
            onChange={(e) => setForm({ ...form, livesWithCarer: e.target.checked })}
          />
          Lives with a carer
        </label>
        {!form.livesWithCarer && (
          <>
            <label htmlFor="m-email">Their e-mail, for invitations (optional)</label>
            <input id="m-email" type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
          </>
        )}
        {form.livesWithCarer && (
          <fieldset>
            <legend>Carer</legend>
            <label htmlFor="c-name">Name</label>
            <input id="c-name" value={form.carerName} onChange={(e) => setForm({ ...form, carerName: e.target.value })} required />
            <label htmlFor="c-email">E-mail</label>
            <input id="c-email" type="email" value={form.carerEmail} onChange={(e) => setForm({ ...form, carerEmail: e.target.value })} />
            <label htmlFor="c-phone">Phone</label>
            <input id="c-phone" type="tel" value={form.carerPhone} onChange={(e) => setForm({ ...form, carerPhone: e.target.value })} />
          </fieldset>
        )}
        <Notice notice={adding.notice} />
        <div className="actions">
          <button type="submit">Add member</button>
        </div>
      </form>
      <Volunteers />
    </>
  );
}

/** Volunteers on file: a name for the room and, for invitations, an optional e-mail. */
function Volunteers() {
  const [volunteers, setVolunteers] = useState<Volunteer[]>([]);
  const blank = { displayName: "", email: "" };
  const [form, setForm] = useState(blank);
  const load = async () => setVolunteers((await api<{ volunteers: Volunteer[] }>("GET", "/api/volunteers")).volunteers);
  const { notice, act } = useAction(load);
  useOnMount(load);
  const add = (e: React.FormEvent) => {
    e.preventDefault();
    void act(
      () => api("POST", "/api/volunteers", { displayName: form.displayName, ...(form.email ? { email: form.email } : {}) }),
      `${form.displayName} was added.`,
    ).then((ok) => ok && setForm(blank));
  };
  return (
    <section aria-labelledby="volunteers-heading">
      <h1 id="volunteers-heading">Volunteers</h1>
      <ul>
        {volunteers.map((v) => (
          <li key={v.id}>
            {v.displayName}
            {v.email ? ` (${v.email})` : " (no e-mail on file)"}
          </li>
        ))}
      </ul>
      <h2>Add a volunteer</h2>
      <form onSubmit={add}>
        <label htmlFor="v-name">Display name for the room</label>
        <input
          id="v-name"
          value={form.displayName}
          onChange={(e) => setForm({ ...form, displayName: e.target.value })}
          required
          maxLength={40}
        />
        <label htmlFor="v-email">E-mail, for invitations (optional)</label>
        <input id="v-email" type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
        <Notice notice={notice} />
        <div className="actions">
          <button type="submit">Add volunteer</button>
        </div>
      </form>
    </section>
  );
}

/** Records a consent as it was given: what for, by whom, how, and an optional note. */
function ConsentForm({ member, reload }: { member: Member; reload: () => Promise<unknown> }) {
  const first = { type: "video", giver: member.livesWithCarer && member.carers[0] ? member.carers[0].id : "member", method: "", note: "" };
  const [form, setForm] = useState(first);
  const { notice, act } = useAction(reload);
  const id = (name: string) => `consent-${name}-${member.id}`;
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const body = {
      type: form.type,
      givenBy: form.giver === "member" ? "member" : "carer",
      ...(form.giver === "member" ? {} : { carerId: form.giver }),
      method: form.method,
      ...(form.note.trim() ? { note: form.note.trim() } : {}),
    };
    void act(
      () => api("POST", `/api/members/${member.id}/consents`, body),
      `${form.type === "video" ? "Video" : "Recording"} consent recorded.`,
    ).then((ok) => ok && setForm(first));
  };
  return (
    <form onSubmit={submit} aria-label={`Record consent for ${member.displayName}`}>
      <fieldset>
        <legend>Record consent for {member.displayName}</legend>
        <label htmlFor={id("type")}>Consent to</label>
        <select id={id("type")} value={form.type} onChange={(e) => setForm({ ...form, type: e.target.value })}>
          <option value="video">video calls</option>
          <option value="recording">recording</option>
        </select>
        <label htmlFor={id("giver")}>Given by</label>
        <select id={id("giver")} value={form.giver} onChange={(e) => setForm({ ...form, giver: e.target.value })}>
          {member.carers.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} (carer)
            </option>
          ))}
          <option value="member">{member.displayName} (the member)</option>
        </select>
        <label htmlFor={id("method")}>How it was given</label>
        <select id={id("method")} value={form.method} onChange={(e) => setForm({ ...form, method: e.target.value })} required>
          <option value="">Choose</option>
          <option value="written">in writing</option>
          <option value="verbal">spoken (verbal)</option>
          <option value="online">online form</option>
        </select>
        <label htmlFor={id("note")}>Note (optional)</label>
        <input id={id("note")} value={form.note} maxLength={1000} onChange={(e) => setForm({ ...form, note: e.target.value })} />
        <Notice notice={notice} />
        <div className="actions">
          <button type="submit">Record consent</button>
        </div>
      </fieldset>
    </form>
  );
}
