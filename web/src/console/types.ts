import type { Check } from "../shared/api.ts";

export interface Staff {
  id: string;
  email: string;
  name: string;
  roles: ("staff" | "dsl" | "admin")[];
  active: boolean;
}

export interface Member {
  id: string;
  displayName: string;
  livesWithCarer: boolean;
  carers: { id: string; name: string; email: string | null; phone: string | null }[];
  consents: {
    id: string;
    type: string;
    givenBy: string;
    carerId: string | null;
    method: string;
    createdAt: string;
    withdrawal: { reason: string; createdAt: string } | null;
  }[];
  consentState: { video: string; recording: string };
}

export interface Attendee {
  id: string;
  kind: string;
  displayName: string;
  state: string;
  inviteUrl?: string;
  carerUrl?: string;
  contactVia: { name: string; email: string | null; phone: string | null; guidance: string } | null;
  eligible?: boolean;
  checks?: Check[];
}

export interface Session {
  id: string;
  title: string;
  startsAt: string;
  endsAt: string;
  delivery: string;
  status: string;
  leadStaffId: string;
  secondStaffId: string | null;
  waivers: { rule: string; reason: string }[];
  attendees: Attendee[];
}

export interface WaitingPerson {
  attendeeId: string;
  displayName: string;
  state: string;
  waitingSeconds: number;
  longWait: boolean;
  eligible: boolean;
  checks: Check[];
}

export interface Snapshot {
  type: "snapshot";
  session: Session;
  waiting: WaitingPerson[];
  inRoom: { identity: string; name: string; staff: boolean }[];
}
