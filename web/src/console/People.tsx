// Choosing people for a session or a group: members and volunteers on file, as checkboxes.
import { useState } from "react";
import { api } from "../shared/api.ts";
import { useOnMount } from "../shared/use-on-mount.ts";
import type { Member, Staff, Volunteer } from "./types.ts";

/** The staff directory, members and volunteers on file, read once when a form opens. */
export function useDirectory() {
  const [directory, setDirectory] = useState<{ staff: Staff[]; members: Member[]; volunteers: Volunteer[] }>({
    staff: [],
    members: [],
    volunteers: [],
  });
  useOnMount(async () => {
    const [staff, members, volunteers] = await Promise.all([
      api<{ staff: Staff[] }>("GET", "/api/staff/directory"),
      api<{ members: Member[] }>("GET", "/api/members"),
      api<{ volunteers: Volunteer[] }>("GET", "/api/volunteers"),
    ]);
    setDirectory({ staff: staff.staff, members: members.members, volunteers: volunteers.volunteers });
  });
  return directory;
}

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
