// A small organisation for API tests: an admin, a lead, a second member of staff and an
// unassigned colleague, agreed hours all day, and helpers to add members and schedule sessions.

import type { FastifyInstance } from "fastify";
import { expect } from "vitest";
import type { Provider } from "../../src/adapters/db/schemas.ts";
import type { Role } from "../../src/domain/roles.ts";
import { viewStaff } from "../../src/domain/staff.ts";
import { LiveKitStandIn } from "../livekit/stand-in.ts";
import { addStaff, signIn, startTestApp, type TestApp } from "./app.ts";
import { freePort, startRealLiveKit, WebhookRelay } from "./livekit.ts";

export { signIn };

import type { ScratchDatabase } from "./db.ts";

// Tuesday 3 March 2026, 13:50 London; sessions run 14:00-15:00.
export const clock = { now: new Date("2026-03-03T13:50:00Z") };
export const startsAt = "2026-03-03T14:00:00Z";
export const endsAt = "2026-03-03T15:00:00Z";

const allDay = [{ start: "00:00", end: "24:00" }];
export const allDayHours = { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay };

/** The organisation and its app, whichever video server stands behind it. */
export interface OrgApp {
  t: TestApp;
  app: FastifyInstance;
  admin: string;
  lead: string;
  second: string;
  other: string;
  leadId: string;
  secondId: string;
}

export interface Org extends OrgApp {
  livekit: LiveKitStandIn;
}

/** The app, with a LiveKit stand-in whose webhooks go straight to the app. */
export async function startOrg(
  provider: Provider,
  env: Record<string, string> = {},
  scratch?: ScratchDatabase,
  options: { reuseStaff?: boolean; listen?: boolean } = {},
): Promise<Org & { base: string }> {
  const livekit = new LiveKitStandIn();
  const url = await livekit.start();
  const org = await startOrgWith(provider, env, scratch, options, url.replace("http:", "ws:"), () => livekit.stop());
  livekit.deliver = async (body, authorization) =>
    (
      await org.app.inject({
        method: "POST",
        url: "/webhooks/livekit",
        headers: { "content-type": "application/webhook+json", authorization },
        payload: body,
      })
    ).statusCode;
  return { ...org, livekit };
}

/**
 * The app listening on a port of its own, in front of LiveKit's own server, whose webhooks reach
 * it over HTTP through a relay that can lose them. Reconciliation runs every second.
 */
export async function startOrgOnLiveKit(provider: Provider, env: Record<string, string> = {}) {
  const port = await freePort();
  const relay = new WebhookRelay(`http://127.0.0.1:${port}/webhooks/livekit`);
  const real = await startRealLiveKit(await relay.start());
  const org = await startOrgWith(
    provider,
    { PORT: String(port), RECONCILE_SECONDS: "1", ...env },
    undefined,
    { listen: true },
    real.url,
    async () => {
      await real.stop();
      await relay.stop();
    },
  );
  return { ...org, real, relay };
}

async function startOrgWith(
  provider: Provider,
  env: Record<string, string>,
  scratch: ScratchDatabase | undefined,
  options: { reuseStaff?: boolean; listen?: boolean },
  livekitUrl: string,
  stopLiveKit: () => Promise<void>,
): Promise<OrgApp & { base: string }> {
  const port = options.listen ? Number(env.PORT ?? (await freePort())) : 3000;
  const base = `http://127.0.0.1:${port}`;
  if (options.listen) env = { PUBLIC_URL: base, PORT: String(port), ...env };
  const t = await startTestApp(
    provider,
    // Crowds of pages and requests from one test address: the limits have tests of their own.
    {
      LOGIN_RATE_LIMIT: "1000",
      LINK_RATE_LIMIT: "100000",
      PAGES_PER_ADDRESS: "100000",
      LIVEKIT_URL: livekitUrl,
      RECONCILE_SECONDS: "0",
      ...env,
    },
    { now: () => clock.now, scratch },
  );
  const close = t.close.bind(t);
  t.close = async () => {
    await stopLiveKit();
    await close();
  };
  const ensure = async (email: string, roles: Role[], name: string) =>
    options.reuseStaff
      ? viewStaff(await t.database.db.staff.findUniqueOrThrow({ where: { email } }))
      : addStaff(t.database, email, roles, name);
  const leadStaff = await ensure("lead@example.org", ["staff"], "Lee Lead");
  const secondStaff = await ensure("second@example.org", ["staff"], "Sol Second");
  await ensure("other@example.org", ["staff"], "Oli Other");
  await ensure("admin@example.org", ["admin", "staff"], "Ada Admin");
  const org = {
    t,
    app: t.app,
    admin: await signIn(t.app, "admin@example.org"),
    lead: await signIn(t.app, "lead@example.org"),
    second: await signIn(t.app, "second@example.org"),
    other: await signIn(t.app, "other@example.org"),
    leadId: leadStaff.id,
    secondId: secondStaff.id,
  };
  if (options.listen) await t.app.listen({ port, host: "127.0.0.1" });
  const res = await t.app.inject({
    method: "PUT",
    url: "/api/settings",
    headers: { cookie: org.admin },
    payload: { timeZone: "Europe/London", agreedHours: allDayHours, emergencyContact: { name: "Duty manager", phone: "0161 496 0000" } },
  });
  expect(res.statusCode).toBe(200);
  return { ...org, base };
}

/** The organisation's designated safeguarding lead (also staff), signed in: their cookie. */
export async function addDsl(org: OrgApp): Promise<string> {
  await addStaff(org.t.database, "dsl@example.org", ["staff", "dsl"], "Dee Lead");
  return signIn(org.app, "dsl@example.org");
}

export async function call(
  org: OrgApp,
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  url: string,
  cookie?: string,
  payload?: object,
) {
  return org.app.inject({ method, url, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });
}

/** A member (with a carer unless `livesWithCarer` is false) and, unless `consent` is false, video consent. */
export async function addMember(org: OrgApp, opts: { livesWithCarer?: boolean; consent?: boolean; name?: string } = {}) {
  const livesWithCarer = opts.livesWithCarer ?? true;
  const res = await call(org, "POST", "/api/members", org.lead, {
    displayName: opts.name ?? "Alex",
    livesWithCarer,
    carers: livesWithCarer ? [{ name: "Chris Carer", email: "chris@example.org", phone: "07700 900123" }] : [],
  });
  expect(res.statusCode).toBe(201);
  const member = res.json().member;
  if (opts.consent ?? true) {
    const consent = await call(org, "POST", `/api/members/${member.id}/consents`, org.lead, {
      type: "video",
      givenBy: livesWithCarer ? "carer" : "member",
      ...(livesWithCarer ? { carerId: member.carers[0].id } : {}),
      method: "written",
    });
    expect(consent.statusCode).toBe(201);
  }
  return member as { id: string; carers: { id: string }[] };
}

export interface ScheduledAttendee {
  id: string;
  displayName: string;
  inviteUrl: string;
  carerUrl?: string;
  invite: string;
  carer?: string;
}

export async function schedule(org: OrgApp, memberIds: string[], over: Record<string, unknown> = {}) {
  const res = await call(org, "POST", "/api/sessions", org.lead, {
    title: "Art club",
    startsAt,
    endsAt,
    delivery: "home",
    leadStaffId: org.leadId,
    secondStaffId: org.secondId,
    memberIds,
    ...over,
  });
  expect(res.statusCode, res.body).toBe(201);
  const session = res.json().session;
  const attendees: ScheduledAttendee[] = session.attendees.map((a: ScheduledAttendee) => ({
    ...a,
    invite: new URL(a.inviteUrl).pathname.split("/").pop()!,
    carer: a.carerUrl ? new URL(a.carerUrl).pathname.split("/").pop() : undefined,
  }));
  return { id: session.id as string, session, attendees };
}

export async function confirmCarer(org: OrgApp, carerToken: string) {
  const res = await call(org, "POST", `/api/carer/${carerToken}/confirm`, undefined, { present: true, agreedToTerms: true });
  expect(res.statusCode, res.body).toBe(200);
}

export async function enterWaiting(org: OrgApp, invite: string) {
  const res = await call(org, "POST", `/api/join/${invite}`, undefined, { agreedToGuidelines: true });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** The lead starts the session and connects to its room (so R5 holds). */
export async function startSession(org: Org, sessionId: string, body: object = {}) {
  const res = await call(org, "POST", `/api/sessions/${sessionId}/start`, org.lead, body);
  expect(res.statusCode, res.body).toBe(200);
  await joinRoom(org, res.json().token);
  return res.json();
}

/** A client connecting to the LiveKit room with a token; resolves once its webhook is handled. */
export async function joinRoom(org: Org, token: string) {
  const connected = await org.livekit.connect(token);
  await org.livekit.flushWebhooks();
  return connected;
}

/** A home session, live, with one member whose carer confirmed, waiting to be let in. */
export async function readyToAdmit(org: Org, memberOpts: Parameters<typeof addMember>[1] = {}) {
  const member = await addMember(org, memberOpts);
  const s = await schedule(org, [member.id]);
  const a = s.attendees[0]!;
  if (a.carer) await confirmCarer(org, a.carer);
  await enterWaiting(org, a.invite);
  await startSession(org, s.id);
  return { member, s, a };
}

export function failingRules(body: { error: { checks?: { rule: string; outcome: string }[] } }): string[] {
  return (body.error.checks ?? []).filter((c) => c.outcome === "fail").map((c) => c.rule);
}
