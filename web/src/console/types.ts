// The console's types, taken from the service's contract (src/contract) as they arrive over the
// wire: the same schemas the API and the sockets are declared with, dates as ISO strings.
import type { z } from "zod";
import type * as api from "../../../src/contract/api.ts";
import type * as live from "../../../src/contract/live.ts";

type Wire<T> = api.Wire<T>;

export type Staff = Wire<z.infer<typeof api.staffAccount>>;
export type Member = Wire<z.infer<typeof api.member>>;
export type Attendee = Wire<z.infer<typeof api.attendee>>;
export type Session = Wire<z.infer<typeof api.session>>;
export type Volunteer = Wire<z.infer<typeof api.volunteer>>;
export type Group = Wire<z.infer<typeof api.group>>;
export type OutboxMessage = Wire<z.infer<typeof api.outboxMessage>>;
export type KeepApart = Wire<z.infer<typeof api.keepApart>>;
export type Erasure = Wire<z.infer<typeof api.erasure>>;
export type WaitingPerson = Wire<z.infer<typeof live.waitingPerson>>;
export type Snapshot = Wire<z.infer<typeof live.snapshot>>;
