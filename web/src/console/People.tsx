// Choosing people for a session or a group: members and volunteers on file, as checkboxes.
import type { Member, Volunteer } from "./types.ts";

export function People({
  idPrefix,
  memberLabel = (m) => m.displayName,
  members,
  volunteers,
  memberIds,
  volunteerIds,
  onChange,
}: {
  /** Keeps the checkboxes' ids apart from another list of people on the page. */
  idPrefix: string;
  memberLabel?: (m: Member) => string;
  members: Member[];
  volunteers: Volunteer[];
  memberIds: string[];
  volunteerIds: string[];
  onChange: (memberIds: string[], volunteerIds: string[]) => void;
}) {
  const toggle = (list: string[], id: string, on: boolean) => (on ? [...list, id] : list.filter((x) => x !== id));
  return (
    <>
      <fieldset>
        <legend>Members</legend>
        {members.map((m) => (
          <label key={m.id} className="inline" htmlFor={`${idPrefix}-m-${m.id}`}>
            <input
              id={`${idPrefix}-m-${m.id}`}
              type="checkbox"
              checked={memberIds.includes(m.id)}
              onChange={(e) => onChange(toggle(memberIds, m.id, e.target.checked), volunteerIds)}
            />
            {memberLabel(m)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Volunteers</legend>
        {volunteers.map((v) => (
          <label key={v.id} className="inline" htmlFor={`${idPrefix}-v-${v.id}`}>
            <input
              id={`${idPrefix}-v-${v.id}`}
              type="checkbox"
              checked={volunteerIds.includes(v.id)}
              onChange={(e) => onChange(memberIds, toggle(volunteerIds, v.id, e.target.checked))}
            />
            {v.displayName}
          </label>
        ))}
      </fieldset>
    </>
  );
}
