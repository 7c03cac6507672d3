// Groups: recurring activities ("Art club, Tuesdays 14:00-15:30"). Create one, see its next
// occurrences (each a normal session), change its times or people, cancel one occurrence.
import { useCallback, useEffect, useState } from "react";
import { api } from "../shared/api.ts";
import { useOnMount } from "../shared/use-on-mount.ts";
import { People, useDirectory } from "./People.tsx";
import { RunBy } from "./Sessions.tsx";
import { useToneWaiver } from "./tone.tsx";
import type { Group, Session } from "./types.ts";
import { Notice, useAction } from "./use-action.tsx";

const days = { mon: "Mondays", tue: "Tuesdays", wed: "Wednesdays", thu: "Thursdays", fri: "Fridays", sat: "Saturdays", sun: "Sundays" };

function scheduleWords(g: Group): string {
  const s = g.schedule;
  const every = s.everyWeeks === 1 ? "every week" : `every ${s.everyWeeks} weeks`;
  return `${days[s.weekday]} ${s.start} to ${s.end}, ${every}, from ${s.from}${s.until ? ` until ${s.until}` : ""}`;
}

export function Groups({ open }: { open: (id: string) => void }) {
  const [groups, setGroups] = useState<Group[]>([]);
  const { staff, members, volunteers } = useDirectory();
  const blank = {
    title: "",
    delivery: "home",
    leadStaffId: "",
    secondStaffId: "",
    weekday: "tue",
    start: "14:00",
    end: "15:00",
    everyWeeks: "1",
    from: "",
    until: "",
    memberIds: [] as string[],
    volunteerIds: [] as string[],
    invitationNote: "",
  };
  const [form, setForm] = useState(blank);
  const noteTone = useToneWaiver("group-note-tone");
  const load = async () => {
    setGroups((await api<{ groups: Group[] }>("GET", "/api/groups")).groups);
  };
  const { notice, act } = useAction(load);
  useOnMount(load);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    void act(
      noteTone.watch(() =>
        api(
          "POST",
          "/api/groups",
          noteTone.body({
            title: form.title,
            delivery: form.delivery,
            leadStaffId: form.leadStaffId,
            ...(form.secondStaffId ? { secondStaffId: form.secondStaffId } : {}),
            memberIds: form.memberIds,
            volunteerIds: form.volunteerIds,
            schedule: {
              weekday: form.weekday,
              start: form.start,
              end: form.end,
              everyWeeks: Number(form.everyWeeks),
              from: form.from,
              ...(form.until ? { until: form.until } : {}),
            },
            ...(form.invitationNote.trim() ? { invitationNote: form.invitationNote.trim() } : {}),
          }),
        ),
      ),
      `${form.title} was created, with its sessions for the weeks ahead. Invitations go out before each one.`,
    ).then((ok) => ok && setForm(blank));
  };
  return (
    <>
      <h1>Groups</h1>
      <ul>
        {groups.map((g) => (
          <li key={g.id}>
            <a
              href={`#/groups/${g.id}`}
              onClick={(e) => {
                e.preventDefault();
                open(g.id);
              }}
            >
              {g.title}
            </a>
            : {scheduleWords(g)}
          </li>
        ))}
        {groups.length === 0 && <li>No groups yet.</li>}
      </ul>
      <h2>Create a group</h2>
      <form onSubmit={submit}>
        <label htmlFor="g-title">Title</label>
        <input id="g-title" value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} required maxLength={120} />
        <RunBy idPrefix="g" staff={staff} value={form} onChange={(change) => setForm({ ...form, ...change })} />
        <label htmlFor="g-day">Day</label>
        <select id="g-day" value={form.weekday} onChange={(e) => setForm({ ...form, weekday: e.target.value })}>
          {Object.entries(days).map(([value, words]) => (
            <option key={value} value={value}>
              {words}
            </option>
          ))}
        </select>
        <label htmlFor="g-start">Starts (organisation's time)</label>
        <input id="g-start" type="time" value={form.start} onChange={(e) => setForm({ ...form, start: e.target.value })} required />
        <label htmlFor="g-end">Ends</label>
        <input id="g-end" type="time" value={form.end} onChange={(e) => setForm({ ...form, end: e.target.value })} required />
        <label htmlFor="g-every">Every how many weeks</label>
        <input
          id="g-every"
          type="number"
          min={1}
          max={8}
          value={form.everyWeeks}
          onChange={(e) => setForm({ ...form, everyWeeks: e.target.value })}
        />
        <label htmlFor="g-from">From</label>
        <input id="g-from" type="date" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} required />
        <label htmlFor="g-until">Until (optional)</label>
        <input id="g-until" type="date" value={form.until} onChange={(e) => setForm({ ...form, until: e.target.value })} />
        <People
          idPrefix="g"
          members={members}
          volunteers={volunteers}
          memberIds={form.memberIds}
          volunteerIds={form.volunteerIds}
          onChange={(memberIds, volunteerIds) => setForm({ ...form, memberIds, volunteerIds })}
        />
        <label htmlFor="g-note">A note for every invitation (optional; checked for the organisation's tone)</label>
        <input
          id="g-note"
          value={form.invitationNote}
          onChange={(e) => {
            setForm({ ...form, invitationNote: e.target.value });
            noteTone.textChanged();
          }}
          maxLength={500}
        />
        {noteTone.field}
        <Notice notice={notice} />
        <div className="actions">
          <button type="submit">Create group</button>
        </div>
      </form>
    </>
  );
}

export function GroupView({ groupId, openSession }: { groupId: string; openSession: (id: string) => void }) {
  const [data, setData] = useState<{ group: Group; sessions: Session[] } | null>(null);
  const { members, volunteers } = useDirectory();
  const [edit, setEdit] = useState({ start: "", end: "", memberIds: [] as string[], volunteerIds: [] as string[] });
  const load = useCallback(async () => {
    const res = await api<{ group: Group; sessions: Session[] }>("GET", `/api/groups/${groupId}`);
    setData(res);
    setEdit({
      start: res.group.schedule.start,
      end: res.group.schedule.end,
      memberIds: res.group.memberIds,
      volunteerIds: res.group.volunteerIds,
    });
  }, [groupId]);
  const { notice, act } = useAction(load);
  useEffect(() => {
    void load();
  }, [load]);
  if (!data) return <p role="status">Loading the group.</p>;
  const { group, sessions } = data;
  const save = (e: React.FormEvent) => {
    e.preventDefault();
    void act(
      () =>
        api("PATCH", `/api/groups/${groupId}`, {
          memberIds: edit.memberIds,
          volunteerIds: edit.volunteerIds,
          schedule: { ...group.schedule, start: edit.start, end: edit.end },
        }),
      "The group and its coming sessions were changed. Everyone affected is told.",
    );
  };
  return (
    <>
      <h1>{group.title}</h1>
      <p>{scheduleWords(group)}</p>
      <Notice notice={notice} />
      <h2>Next sessions</h2>
      <ul>
        {sessions.map((s) => (
          <Occurrence key={s.id} session={s} open={() => openSession(s.id)} cancelled={load} />
        ))}
        {sessions.length === 0 && <li>No sessions ahead.</li>}
      </ul>
      <h2>Change the group</h2>
      <form onSubmit={save}>
        <label htmlFor="ge-start">Starts (organisation's time)</label>
        <input id="ge-start" type="time" value={edit.start} onChange={(e) => setEdit({ ...edit, start: e.target.value })} required />
        <label htmlFor="ge-end">Ends</label>
        <input id="ge-end" type="time" value={edit.end} onChange={(e) => setEdit({ ...edit, end: e.target.value })} required />
        <People
          idPrefix="ge"
          members={members}
          volunteers={volunteers}
          memberIds={edit.memberIds}
          volunteerIds={edit.volunteerIds}
          onChange={(memberIds, volunteerIds) => setEdit({ ...edit, memberIds, volunteerIds })}
        />
        <div className="actions">
          <button type="submit">Save changes</button>
        </div>
      </form>
    </>
  );
}

/** One occurrence: when, its state, and cancelling it with a reason everyone is told. */
function Occurrence({ session, open, cancelled }: { session: Session; open: () => void; cancelled: () => Promise<unknown> }) {
  const [reason, setReason] = useState("");
  const [asking, setAsking] = useState(false);
  const tone = useToneWaiver(`cancel-tone-${session.id}`);
  const { notice, act } = useAction(cancelled);
  const when = new Date(session.startsAt).toLocaleString("en-GB", {
    weekday: "long",
    day: "numeric",
    month: "long",
    hour: "2-digit",
    minute: "2-digit",
  });
  return (
    <li>
      <a
        href={`#/sessions/${session.id}`}
        onClick={(e) => {
          e.preventDefault();
          open();
        }}
      >
        {when}
      </a>{" "}
      {session.cancelledAt ? `cancelled: ${session.cancelReason}` : session.status}
      {session.status === "scheduled" && !asking && (
        <button type="button" className="secondary" onClick={() => setAsking(true)}>
          Cancel {when}
        </button>
      )}
      {asking && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void act(
              tone.watch(() => api("POST", `/api/sessions/${session.id}/cancel`, tone.body({ reason }))),
              "Cancelled. Everyone invited is told.",
            );
          }}
        >
          <label htmlFor={`reason-${session.id}`}>Why is it cancelled? (everyone invited is told)</label>
          <input
            id={`reason-${session.id}`}
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              tone.textChanged();
            }}
            required
            minLength={3}
            maxLength={500}
          />
          {tone.field}
          <div className="actions">
            <button type="submit">Cancel this session</button>
            <button type="button" className="secondary" onClick={() => setAsking(false)}>
              Keep it
            </button>
          </div>
        </form>
      )}
      <Notice notice={notice} />
    </li>
  );
}
