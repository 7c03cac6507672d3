// Reports the organisation looks at (#19.2): per month (in its own time zone) and per group,
// sessions held, people who came, how long people waited, refusals by rule, R3 waivers, calls for
// help and keep-apart refusals. Every figure is counted from what is stored: sessions, attendance
// as LiveKit reported it, the audit trail's decisions (its times are the service's one clock),
// the admission decisions' checks, waivers and calls for help. Nothing is counted on the side.
import { DateTime } from "luxon";
import type { Check } from "../policy/types.ts";
import type { Ctx } from "./context.ts";
import { readSettings } from "./settings.ts";

export interface ReportRow {
  month: string;
  /** null: sessions that belong to no group (one-off sessions). */
  groupId: string | null;
  group: string;
  sessionsHeld: number;
  peopleCame: number;
  medianWaitSeconds: number | null;
  longestWaitSeconds: number | null;
  /** Admissions the policy engine refused, by each failing rule. */
  refusalsByRule: Record<string, number>;
  /** People staff refused. */
  staffRefusals: number;
  r3Waivers: number;
  helpAlerts: number;
  keepApartRefusals: number;
}

export interface Report {
  timeZone: string;
  from: string;
  to: string;
  /** One row per month and group with anything to count, months in order. */
  rows: ReportRow[];
  /** Every group together, one row per month of the range (waits from every wait, not from medians). */
  totals: ReportRow[];
}

const oneOff = "One-off sessions";
const keepApartRefusedActions = ["session.schedule_refused", "group.create_refused", "group.change_refused"];

/** Months "YYYY-MM" from `from` to `to`, both included. */
function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = DateTime.fromFormat(from, "yyyy-MM"); m.toFormat("yyyy-MM") <= to; m = m.plus({ months: 1 }))
    out.push(m.toFormat("yyyy-MM"));
  return out;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** The rules that failed in a stored denied decision (older rows may hold "[]" as a string). */
function failedRules(checks: unknown): string[] {
  if (!Array.isArray(checks)) return [];
  return [...new Set((checks as Check[]).filter((c) => c.outcome === "fail").map((c) => c.rule))];
}

/** What one bucket (a month and a group, or a month) collects before it becomes a row. */
interface Tally {
  sessions: number;
  came: Set<string>;
  waits: number[];
  refusals: Map<string, number>;
  staffRefusals: number;
  r3Waivers: number;
  helpAlerts: number;
  keepApart: number;
}
const emptyTally = (): Tally => ({
  sessions: 0,
  came: new Set(),
  waits: [],
  refusals: new Map(),
  staffRefusals: 0,
  r3Waivers: 0,
  helpAlerts: 0,
  keepApart: 0,
});

function row(month: string, groupId: string | null, group: string, t: Tally): ReportRow {
  return {
    month,
    groupId,
    group,
    sessionsHeld: t.sessions,
    peopleCame: t.came.size,
    medianWaitSeconds: median(t.waits),
    longestWaitSeconds: t.waits.length ? Math.max(...t.waits) : null,
    refusalsByRule: Object.fromEntries([...t.refusals].sort(([a], [b]) => a.localeCompare(b))),
    staffRefusals: t.staffRefusals,
    r3Waivers: t.r3Waivers,
    helpAlerts: t.helpAlerts,
    keepApartRefusals: t.keepApart,
  };
}

/** The report for the months `from` to `to` ("YYYY-MM", both included) in the organisation's zone. */
export async function buildReport(ctx: Ctx, from: string, to: string): Promise<Report> {
  const db = ctx.database.db;
  const { timeZone } = await readSettings(db);
  const start = DateTime.fromFormat(from, "yyyy-MM", { zone: timeZone }).startOf("month");
  const end = DateTime.fromFormat(to, "yyyy-MM", { zone: timeZone }).endOf("month");
  const range = { gte: start.toJSDate(), lte: end.toJSDate() };
  const monthOf = (at: Date) => DateTime.fromJSDate(at, { zone: timeZone }).toFormat("yyyy-MM");

  const sessions = await db.session.findMany({
    where: { startsAt: range },
    select: { id: true, startsAt: true, startedAt: true, cancelledAt: true, groupId: true, group: { select: { title: true } } },
  });
  const ids = sessions.map((s) => s.id);
  const inSessions = { sessionId: { in: ids } };
  const [attendance, trail, denied, waivers, help, refusedElsewhere] = await Promise.all([
    db.attendance.findMany({
      where: { ...inSessions, event: "joined", attendeeId: { not: null } },
      select: { sessionId: true, attendeeId: true },
    }),
    db.auditEvent.findMany({
      where: {
        ...inSessions,
        action: { in: ["waiting.entered", "waiting.returned", "attendee.return", "attendee.admit", "attendee.refuse"] },
      },
      orderBy: { seq: "asc" },
      select: { sessionId: true, subjectId: true, action: true, at: true },
    }),
    db.admissionDecision.findMany({ where: { ...inSessions, action: "denied" }, select: { sessionId: true, checks: true } }),
    db.waiver.findMany({ where: { ...inSessions, rule: { startsWith: "R3" } }, select: { sessionId: true } }),
    db.helpRequest.findMany({ where: inSessions, select: { sessionId: true } }),
    // Scheduling and group changes refused because two people must be kept apart (R15): no session exists.
    db.auditEvent.findMany({
      where: { action: { in: keepApartRefusedActions }, at: range },
      select: { at: true, action: true, subjectId: true },
    }),
  ]);

  const groups = new Map<string | null, string>([[null, oneOff]]);
  const changedGroups = refusedElsewhere.flatMap((r) => (r.action === "group.change_refused" && r.subjectId ? [r.subjectId] : []));
  for (const g of await db.group.findMany({ where: { id: { in: changedGroups } }, select: { id: true, title: true } }))
    groups.set(g.id, g.title);
  const buckets = new Map<string, Tally>();
  const totals = new Map<string, Tally>();
  const tallies = (month: string, groupId: string | null): Tally[] => {
    const key = `${month} ${groupId ?? ""}`;
    if (!buckets.has(key)) buckets.set(key, emptyTally());
    if (!totals.has(month)) totals.set(month, emptyTally());
    return [buckets.get(key)!, totals.get(month)!];
  };
  const place = new Map<string, { month: string; groupId: string | null }>();
  for (const s of sessions) {
    if (s.groupId && s.group) groups.set(s.groupId, s.group.title);
    const where = { month: monthOf(s.startsAt), groupId: s.groupId };
    place.set(s.id, where);
    for (const t of tallies(where.month, where.groupId)) if (s.startedAt && !s.cancelledAt) t.sessions++;
  }
  const each = (sessionId: string | null, add: (t: Tally) => void) => {
    const where = sessionId ? place.get(sessionId) : undefined;
    if (where) for (const t of tallies(where.month, where.groupId)) add(t);
  };

  for (const a of attendance) each(a.sessionId, (t) => t.came.add(a.attendeeId!));
  // A wait runs from entering (or being sent back to) the waiting room to the admission that ends it.
  const waitingSince = new Map<string, Date>();
  for (const e of trail) {
    if (!e.subjectId) continue;
    if (e.action === "attendee.admit") {
      const since = waitingSince.get(e.subjectId);
      waitingSince.delete(e.subjectId);
      if (since) each(e.sessionId, (t) => t.waits.push(Math.round((e.at.getTime() - since.getTime()) / 1000)));
    } else if (e.action === "attendee.refuse") {
      waitingSince.delete(e.subjectId);
      each(e.sessionId, (t) => t.staffRefusals++);
    } else if (!waitingSince.has(e.subjectId)) waitingSince.set(e.subjectId, e.at);
  }
  for (const d of denied) {
    const rules = failedRules(d.checks);
    each(d.sessionId, (t) => {
      for (const rule of rules) t.refusals.set(rule, (t.refusals.get(rule) ?? 0) + 1);
      if (rules.includes("R15.keep-apart")) t.keepApart++;
    });
  }
  for (const w of waivers) each(w.sessionId, (t) => t.r3Waivers++);
  for (const h of help) each(h.sessionId, (t) => t.helpAlerts++);
  for (const r of refusedElsewhere) {
    const groupId = r.action === "group.change_refused" && r.subjectId && groups.has(r.subjectId) ? r.subjectId : null;
    for (const t of tallies(monthOf(r.at), groupId)) t.keepApart++;
  }

  const months = monthsBetween(from, to);
  const rows = [...buckets]
    .map(([key, t]) => {
      const [month = "", groupId = ""] = key.split(" ");
      return row(month, groupId || null, groups.get(groupId || null) ?? oneOff, t);
    })
    .sort((a, b) => a.month.localeCompare(b.month) || a.group.localeCompare(b.group));
  return { timeZone, from, to, rows, totals: months.map((m) => row(m, null, "All groups", totals.get(m) ?? emptyTally())) };
}
