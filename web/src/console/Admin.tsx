// For admins: organisation settings (agreed hours, time zone, emergency contact) and staff accounts.
import { useState } from "react";
import { api } from "../shared/api.ts";
import { useOnMount } from "../shared/use-on-mount.ts";
import type { Staff } from "./types.ts";
import { Notice, useAction } from "./use-action.tsx";

const days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
type Hours = Record<(typeof days)[number], { start: string; end: string }[]>;

export function Admin({ me }: { me: Staff }) {
  const [resetting, setResetting] = useState<string | null>(null);
  const [newPassword, setNewPassword] = useState("");
  const [hours, setHours] = useState<Record<string, string>>({});
  const [timeZone, setTimeZone] = useState("Europe/London");
  const [contact, setContact] = useState({ name: "", phone: "" });
  const [timing, setTiming] = useState({ inviteDaysBefore: 3, reminderHoursBefore: 24, occurrenceWeeksAhead: 8 });
  // Years as typed: empty means details are kept until someone asks for them to be erased.
  const [retention, setRetention] = useState("");
  const [staff, setStaff] = useState<Staff[]>([]);
  const noNewStaff = { email: "", name: "", password: "", dsl: false, admin: false };
  const [newStaff, setNewStaff] = useState(noNewStaff);

  const load = async () => {
    const { settings } = await api<{
      settings: {
        timeZone: string;
        agreedHours: Hours;
        emergencyContact: { name: string; phone: string };
        inviteDaysBefore: number;
        reminderHoursBefore: number;
        occurrenceWeeksAhead: number;
        retentionYears: number | null;
      };
    }>("GET", "/api/settings");
    setTimeZone(settings.timeZone);
    setContact(settings.emergencyContact);
    setTiming({
      inviteDaysBefore: settings.inviteDaysBefore,
      reminderHoursBefore: settings.reminderHoursBefore,
      occurrenceWeeksAhead: settings.occurrenceWeeksAhead,
    });
    setRetention(settings.retentionYears === null ? "" : String(settings.retentionYears));
    setHours(Object.fromEntries(days.map((d) => [d, settings.agreedHours[d].map((i) => `${i.start}-${i.end}`).join(", ")])));
    setStaff((await api<{ staff: Staff[] }>("GET", "/api/staff")).staff);
  };
  // Each form says what happened next to itself.
  const settings = useAction(load);
  const { notice, act } = useAction(load);
  const adding = useAction(load);
  useOnMount(load);

  const saveSettings = (e: React.FormEvent) => {
    e.preventDefault();
    const agreedHours = Object.fromEntries(
      days.map((d) => [
        d,
        (hours[d] ?? "")
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
          .map((s) => {
            const [start = "", end = ""] = s.split("-").map((x) => x.trim());
            return { start, end };
          }),
      ]),
    );
    void settings.act(
      () =>
        api("PUT", "/api/settings", {
          timeZone,
          agreedHours,
          emergencyContact: contact,
          ...timing,
          retentionYears: retention === "" ? null : Number(retention),
        }),
      "Settings saved.",
    );
  };

  return (
    <>
      <h1>Settings</h1>
      <form onSubmit={saveSettings}>
        <label htmlFor="tz">Time zone</label>
        <input id="tz" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} required />
        <fieldset>
          <legend>Agreed hours (for example 09:00-17:00; leave empty for no sessions)</legend>
          {days.map((d) => (
            <div key={d}>
              <label htmlFor={`h-${d}`}>{d}</label>
              <input id={`h-${d}`} value={hours[d] ?? ""} onChange={(e) => setHours({ ...hours, [d]: e.target.value })} />
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>Emergency contact shown to members and carers</legend>
          <label htmlFor="ec-name">Name</label>
          <input id="ec-name" value={contact.name} onChange={(e) => setContact({ ...contact, name: e.target.value })} required />
          <label htmlFor="ec-phone">Phone</label>
          <input id="ec-phone" value={contact.phone} onChange={(e) => setContact({ ...contact, phone: e.target.value })} required />
        </fieldset>
        <fieldset>
          <legend>Invitations and groups</legend>
          {(
            [
              ["inviteDaysBefore", "Days before a group's session that its invitations go out", 0, 28],
              ["reminderHoursBefore", "Hours before the start that a carer who has not confirmed is reminded", 1, 168],
              ["occurrenceWeeksAhead", "Weeks ahead that a group's sessions are created", 1, 52],
            ] as const
          ).map(([key, label, min, max]) => (
            <div key={key}>
              <label htmlFor={`t-${key}`}>{label}</label>
              <input
                id={`t-${key}`}
                type="number"
                min={min}
                max={max}
                value={timing[key]}
                onChange={(e) => setTiming({ ...timing, [key]: Number(e.target.value) })}
                required
              />
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>Keeping personal details</legend>
          <label htmlFor="retention">
            Erase a member's details (and their carers') after this many years without a session (empty: never)
          </label>
          <input id="retention" type="number" min={1} max={100} value={retention} onChange={(e) => setRetention(e.target.value)} />
        </fieldset>
        <Notice notice={settings.notice} />
        <div className="actions">
          <button type="submit">Save settings</button>
        </div>
      </form>
      <h2>Staff accounts</h2>
      <Notice notice={notice} />
      <ul>
        {staff.map((s) => (
          <li key={s.id}>
            {s.name} ({s.email}) · {s.roles.join(", ")} · {s.active ? "active" : "deactivated"}{" "}
            {s.id === me.id ? (
              "(you)"
            ) : s.active ? (
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  if (!window.confirm(`Deactivate ${s.name}? They are signed out at once and cannot sign in until reactivated.`)) return;
                  void act(() => api("PATCH", `/api/staff/${s.id}`, { active: false }), `${s.name} was deactivated.`);
                }}
              >
                Deactivate {s.name}
              </button>
            ) : (
              <button
                type="button"
                className="secondary"
                onClick={() => act(() => api("PATCH", `/api/staff/${s.id}`, { active: true }), `${s.name} was reactivated.`)}
              >
                Reactivate {s.name}
              </button>
            )}{" "}
            <button type="button" className="secondary" onClick={() => setResetting(resetting === s.id ? null : s.id)}>
              Reset password for {s.name}
            </button>
            {resetting === s.id && (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  void act(async () => {
                    await api("POST", `/api/staff/${s.id}/password`, { password: newPassword });
                    setResetting(null);
                    setNewPassword("");
                  }, `${s.name}'s password was changed; they are signed out everywhere.`);
                }}
              >
                <label htmlFor={`password-${s.id}`}>New password for {s.name} (12 characters or more)</label>
                <input
                  id={`password-${s.id}`}
                  type="password"
                  autoComplete="new-password"
                  minLength={12}
                  required
                  value={newPassword}
                  onChange={(e) => setNewPassword(e.target.value)}
                />
                <button type="submit">Set password</button>
              </form>
            )}
          </li>
        ))}
      </ul>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const roles = ["staff", ...(newStaff.dsl ? ["dsl"] : []), ...(newStaff.admin ? ["admin"] : [])];
          void adding
            .act(
              () => api("POST", "/api/staff", { email: newStaff.email, name: newStaff.name, password: newStaff.password, roles }),
              `${newStaff.name} was added.`,
            )
            .then((ok) => ok && setNewStaff(noNewStaff));
        }}
      >
        <h3>Add a staff account</h3>
        <label htmlFor="ns-email">E-mail</label>
        <input
          id="ns-email"
          type="email"
          value={newStaff.email}
          onChange={(e) => setNewStaff({ ...newStaff, email: e.target.value })}
          required
        />
        <label htmlFor="ns-name">Name</label>
        <input id="ns-name" value={newStaff.name} onChange={(e) => setNewStaff({ ...newStaff, name: e.target.value })} required />
        <label htmlFor="ns-password">Password (12 characters or more)</label>
        <input
          id="ns-password"
          type="password"
          value={newStaff.password}
          onChange={(e) => setNewStaff({ ...newStaff, password: e.target.value })}
          required
          minLength={12}
        />
        <label className="inline" htmlFor="ns-dsl">
          <input id="ns-dsl" type="checkbox" checked={newStaff.dsl} onChange={(e) => setNewStaff({ ...newStaff, dsl: e.target.checked })} />{" "}
          Designated safeguarding lead
        </label>
        <label className="inline" htmlFor="ns-admin">
          <input
            id="ns-admin"
            type="checkbox"
            checked={newStaff.admin}
            onChange={(e) => setNewStaff({ ...newStaff, admin: e.target.checked })}
          />{" "}
          Admin
        </label>
        <Notice notice={adding.notice} />
        <div className="actions">
          <button type="submit">Add staff account</button>
        </div>
      </form>
    </>
  );
}
