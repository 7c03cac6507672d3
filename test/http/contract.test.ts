// The contract against what the service really sends. A whole session's story is driven through
// the API and both sockets; every response body is validated against the schema the OpenAPI
// document (/docs/json) declares for its route and status, and every socket message against the
// contract's schema for that socket (src/contract/live.ts). Every documented route must be
// exercised, so a new route joins the check without anyone remembering.
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { toConsole, toWaitingPage } from "../../src/contract/live.ts";
import { addStaff, signIn } from "../helpers/app.ts";
import { providers } from "../helpers/db.ts";
import { addMember, clock, joinRoom, type Org, startOrg } from "../helpers/scenario.ts";
import { TestSocket } from "../helpers/socket.ts";

type Doc = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>>;
};

/** A zod schema as JSON Schema for what goes over the wire: dates are ISO strings there. */
function wireSchema(schema: z.ZodType): object {
  return z.toJSONSchema(schema, {
    target: "draft-7",
    io: "output",
    unrepresentable: "any",
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === "date") Object.assign(ctx.jsonSchema, { type: "string", format: "date-time" });
    },
  });
}

describe.each(providers)("the contract on %s", (provider) => {
  let org: Org & { base: string };
  let ws: string;
  let doc: Doc;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const compiled = new Map<string, ValidateFunction>();
  const exercised = new Set<string>();
  const problems: string[] = [];

  beforeAll(async () => {
    clock.now = new Date("2026-03-03T13:50:00Z");
    org = await startOrg(provider);
    ws = (await org.app.listen({ port: 0, host: "127.0.0.1" })).replace("http:", "ws:");
    doc = (await org.app.inject({ method: "GET", url: "/docs/json" })).json();
  });
  afterAll(async () => org?.t.close());

  /**
   * Calls a route by its documented path ("/api/sessions/{id}") with the values for its
   * parameters, and checks the answer against the document's schema for that status.
   */
  async function api(method: string, path: string, params: Record<string, string>, cookie?: string, payload?: object) {
    const url = path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? `missing-${name}`);
    const res = await org.app.inject({
      method: method as "GET",
      url,
      // A Buffer is a picture (a staff photo), sent as it is.
      headers: { ...(cookie ? { cookie } : {}), ...(Buffer.isBuffer(payload) ? { "content-type": "image/png" } : {}) },
      ...(payload ? { payload } : {}),
    });
    exercised.add(`${method} ${path}`);
    const declared = doc.paths[path]?.[method.toLowerCase()]?.responses;
    const schema = declared?.[String(res.statusCode)]?.content?.["application/json"]?.schema;
    if (!declared) problems.push(`${method} ${path} is not in the document`);
    else if (res.headers["content-type"]?.toString().startsWith("application/json")) {
      if (!schema)
        problems.push(`${method} ${path} answered ${res.statusCode}, which the document does not declare: ${res.body.slice(0, 200)}`);
      else {
        const key = `${method} ${path} ${res.statusCode}`;
        if (!compiled.has(key)) compiled.set(key, ajv.compile(schema));
        const validate = compiled.get(key)!;
        if (!validate(res.json())) problems.push(`${key}: ${ajv.errorsText(validate.errors)} in ${res.body.slice(0, 300)}`);
      }
    }
    return res;
  }

  it("every response of a whole session's story matches the document, and every socket message the contract", async () => {
    const { admin, lead, second } = org;
    const token = (path: string) => new URL(path).pathname.split("/").pop()!;
    await api("GET", "/healthz", {});
    await api("GET", "/readyz", {});
    await api("GET", "/api/setup", {});
    await api("GET", "/api/auth/me", {}, lead);
    await api("GET", "/api/auth/me", {});
    await api("GET", "/api/settings", {}, lead);
    await api("PUT", "/api/settings", {}, admin, {
      timeZone: "Europe/London",
      agreedHours: Object.fromEntries(
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [{ start: "00:00", end: "24:00" }]]),
      ),
      emergencyContact: { name: "Duty manager", phone: "0161 496 0000" },
    });
    await api("GET", "/api/guidelines", {}, lead);
    await api("PUT", "/api/guidelines/{audience}", { audience: "carer" }, admin, { lines: ["Please stay close by."] });

    // Staff accounts.
    await api("GET", "/api/staff/directory", {}, lead);
    await api("GET", "/api/staff/", {}, admin);
    const created = await api("POST", "/api/staff/", {}, admin, {
      email: `dee-${provider}@example.org`,
      name: "Dee Lead",
      password: "a long enough password",
      roles: ["dsl", "staff"],
    });
    const deeId = created.json().staff.id as string;
    await api("PATCH", "/api/staff/{id}", { id: deeId }, admin, { name: "Dee Safeguarding" });
    await api("POST", "/api/staff/{id}/password", { id: deeId }, admin, { password: "another long password" });
    await api("POST", "/api/staff/{id}/sign-in-hold/clear", { id: deeId }, admin);
    const dsl = await signIn(org.app, `dee-${provider}@example.org`, "another long password");
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: "teal" } })
      .png()
      .toBuffer();
    await api("PUT", "/api/staff/me/photo", {}, lead, photo);
    await api("GET", "/api/staff/{id}/photo", { id: org.leadId }, second);
    await api("DELETE", "/api/staff/me/photo", {}, second);

    // Members and consent.
    const member = await api("POST", "/api/members/", {}, lead, {
      displayName: "Alex",
      livesWithCarer: true,
      carers: [{ name: "Chris Carer", email: "chris@example.org", phone: "07700 900123" }],
    });
    const alex = member.json().member as { id: string; carers: { id: string }[] };
    await api("POST", "/api/members/{id}/consents", { id: alex.id }, lead, {
      type: "video",
      givenBy: "carer",
      carerId: alex.carers[0]!.id,
      method: "written",
    });
    const recording = await api("POST", "/api/members/{id}/consents", { id: alex.id }, lead, {
      type: "recording",
      givenBy: "carer",
      carerId: alex.carers[0]!.id,
      method: "verbal",
    });
    await api("POST", "/api/members/{id}/consents/{consentId}/withdraw", { id: alex.id, consentId: recording.json().consent.id }, lead, {
      reason: "The carer changed their mind.",
    });
    await api("GET", "/api/members/", {}, lead);
    await api("GET", "/api/members/{id}", { id: alex.id }, lead);
    const bo = await addMember(org, { name: "Bo", livesWithCarer: false });
    const val = await api("POST", "/api/volunteers/", {}, lead, { displayName: "Val", email: "val@example.org" });
    await api("GET", "/api/volunteers/", {}, lead);

    // A session, its links, the carer and the members' pages.
    const scheduled = await api("POST", "/api/sessions/", {}, lead, {
      title: "Art club",
      startsAt: "2026-03-03T14:00:00Z",
      endsAt: "2026-03-03T15:00:00Z",
      delivery: "home",
      leadStaffId: org.leadId,
      secondStaffId: org.secondId,
      memberIds: [alex.id, bo.id],
      volunteerIds: [val.json().volunteer.id],
      volunteers: [{ displayName: "Vic" }],
    });
    const s = scheduled.json().session as {
      id: string;
      attendees: { id: string; displayName: string; inviteUrl: string; carerUrl?: string }[];
    };
    const [a, b] = [s.attendees.find((x) => x.displayName === "Alex")!, s.attendees.find((x) => x.displayName === "Bo")!];
    await api("GET", "/api/sessions/", {}, lead);
    await api("POST", "/api/sessions/{id}/attendees/{attendeeId}/reissue", { id: s.id, attendeeId: b.id }, lead);
    await api("GET", "/api/sessions/{id}/messages", { id: s.id }, lead);
    await api("PUT", "/api/sessions/{id}/plan", { id: s.id }, lead, { steps: [{ text: "Say hello", icon: "hello" }] });
    await api("GET", "/api/members/{id}/messages", { id: alex.id }, lead);
    const bAgain = (await api("GET", "/api/sessions/{id}", { id: s.id }, lead)).json();
    expect(bAgain.session.id).toBe(s.id);
    await api("GET", "/api/carer/{token}", { token: token(a.carerUrl!) });
    await api("POST", "/api/carer/{token}/confirm", { token: token(a.carerUrl!) }, undefined, { present: true, agreedToTerms: true });
    await api("GET", "/api/join/{token}", { token: token(a.inviteUrl) });
    await api("POST", "/api/join/{token}", { token: token(a.inviteUrl) }, undefined, { agreedToGuidelines: true });
    await api("POST", "/api/join/{token}/connection", { token: token(a.inviteUrl) });

    const page = await TestSocket.open(`${ws}/ws/join/${token(a.inviteUrl)}`);
    const started = await api("POST", "/api/sessions/{id}/start", { id: s.id }, lead, {});
    await joinRoom(org, started.json().token);
    await api("POST", "/api/sessions/{id}/join", { id: s.id }, second);
    const consoleSocket = await TestSocket.open(`${ws}/ws/console/sessions/${s.id}`, { cookie: lead });
    consoleSocket.ws.send(JSON.stringify({ type: "ping" }));
    await consoleSocket.next((m) => m.type === "snapshot");
    await api("POST", "/api/sessions/{id}/message", { id: s.id }, lead, { text: "We start in a minute." });
    await api("POST", "/api/sessions/{id}/attendees/{attendeeId}/admit", { id: s.id, attendeeId: a.id }, lead);
    await page.next((m) => m.type === "state" && m.state === "admitted");
    page.ws.send(JSON.stringify({ type: "ping" }));
    await page.next((m) => m.type === "pong");
    await api("POST", "/api/join/{token}/connection", { token: token(a.inviteUrl) });

    // A call for help, from the member's page and from the carer's, and the answer.
    await api("POST", "/api/join/{token}/help", { token: token(a.inviteUrl) });
    await page.next((m) => m.type === "help" && m.state === "sent");
    await api("POST", "/api/carer/{token}/help", { token: token(a.carerUrl!) });
    await consoleSocket.next((m) => m.type === "help");
    await api("POST", "/api/sessions/{id}/attendees/{attendeeId}/help/answer", { id: s.id, attendeeId: a.id }, lead);
    await page.next((m) => m.type === "help" && m.state === "answered");

    // Recording: refused while Alex's recording consent is withdrawn; then everyone consents.
    const refusedRecording = await api("POST", "/api/sessions/{id}/recording", { id: s.id }, lead);
    expect(refusedRecording.statusCode).toBe(409);
    for (const type of ["recording", "social-media"])
      await api("POST", "/api/members/{id}/consents", { id: alex.id }, lead, {
        type,
        givenBy: "carer",
        carerId: alex.carers[0]!.id,
        method: "written",
      });
    await api("POST", "/api/sessions/{id}/recording-consent", { id: s.id }, second, { agreed: true });
    const vic = s.attendees.find((x) => x.displayName === "Vic")!;
    await api("POST", "/api/join/{token}/recording-consent", { token: token(vic.inviteUrl) }, undefined, { agreed: true });
    expect((await api("POST", "/api/sessions/{id}/recording", { id: s.id }, lead)).statusCode).toBe(201);
    await page.next((m) => m.type === "state" && m.recording === true);
    await api("GET", "/api/sessions/{id}/recordings", { id: s.id }, lead);
    await api("DELETE", "/api/sessions/{id}/recording", { id: s.id }, lead);
    await api("GET", "/api/recordings", {}, dsl);

    await api("POST", "/api/sessions/{id}/attendees/{attendeeId}/return-to-waiting", { id: s.id, attendeeId: a.id }, lead);
    await api("GET", "/api/join/{token}/lead-photo", { token: token(a.inviteUrl) });
    consoleSocket.ws.send(JSON.stringify({ type: "seen", attendeeIds: [a.id] }));
    await page.next((m) => m.type === "state" && m.seenBy === "Lee");
    await api("POST", "/api/sessions/{id}/admit-all", { id: s.id }, lead);
    await api("POST", "/api/sessions/{id}/attendees/{attendeeId}/remove", { id: s.id, attendeeId: a.id }, lead, {
      reason: "Shouting at others.",
    });
    await api("POST", "/api/join/{token}", { token: token(b.inviteUrl) }, undefined, { agreedToGuidelines: true });
    await api("POST", "/api/sessions/{id}/attendees/{attendeeId}/refuse", { id: s.id, attendeeId: b.id }, lead, { message: "Not today." });
    await api("POST", "/api/carer/{token}/withdraw", { token: token(a.carerUrl!) });
    await api("POST", "/api/sessions/{id}/end", { id: s.id }, lead);
    await api("GET", "/api/sessions/{id}", { id: s.id }, lead);
    // Refusals answer in the error shape the document declares.
    await api("POST", "/api/sessions/{id}/start", { id: s.id }, lead, {});
    await api("GET", "/api/join/{token}", { token: "A".repeat(43) });

    // A recurring group: created, listed, read, changed; one occurrence cancelled.
    const group = await api("POST", "/api/groups/", {}, lead, {
      title: "Music",
      delivery: "venue",
      leadStaffId: org.leadId,
      memberIds: [bo.id],
      schedule: { weekday: "thu", start: "10:00", end: "11:00", from: "2026-03-05", until: "2026-03-12" },
    });
    const groupId = group.json().group.id;
    await api("GET", "/api/groups/", {}, lead);
    await api("GET", "/api/groups/{id}", { id: groupId }, lead);
    const changed = await api("PATCH", "/api/groups/{id}", { id: groupId }, lead, { title: "Music and songs" });
    await api("POST", "/api/sessions/{id}/move", { id: changed.json().sessions[1].id }, lead, {
      startsAt: "2026-03-13T10:00:00Z",
      endsAt: "2026-03-13T11:00:00Z",
    });
    await api("POST", "/api/sessions/{id}/cancel", { id: changed.json().sessions[0].id }, lead, { reason: "The room is flooded." });

    // Concerns, waivers, the audit trail.
    const concern = await api("POST", "/api/concerns", {}, lead, { text: "Alex seemed upset today.", sessionId: s.id, memberId: alex.id });
    await api("GET", "/api/concerns", {}, lead);
    await api("GET", "/api/concerns/{id}", { id: concern.json().concern.id }, dsl);
    await api("POST", "/api/concerns/{id}/notes", { id: concern.json().concern.id }, dsl, {
      note: "Called the carer.",
      status: "in-progress",
    });
    const kept = await api("POST", "/api/keep-apart/", {}, dsl, {
      a: { type: "member", id: alex.id },
      b: { type: "member", id: bo.id },
      reason: "They fell out badly.",
    });
    await api("GET", "/api/keep-apart/", {}, dsl);
    await api("POST", "/api/keep-apart/{id}/end", { id: kept.json().keepApart.id }, dsl, { reason: "They made up." });
    await api("GET", "/api/escalations", {}, dsl);
    await api("GET", "/api/reports", {}, dsl);
    await api("GET", "/api/members/{id}/export", { id: alex.id }, dsl);
    await api("GET", "/api/carers/{id}/export", { id: alex.carers[0]!.id }, dsl);
    // Erasure: asked by an admin, declined, asked again and approved by the DSL (a member in nothing upcoming).
    const leaving = await addMember(org, { name: "Lee Leaving" });
    const asked = { subjectType: "member", subjectId: leaving.id, reason: "They asked us to." };
    await api("POST", "/api/erasures/{id}/decline", { id: (await api("POST", "/api/erasures/", {}, admin, asked)).json().erasure.id }, dsl);
    await api("POST", "/api/erasures/{id}/approve", { id: (await api("POST", "/api/erasures/", {}, admin, asked)).json().erasure.id }, dsl);
    await api("GET", "/api/erasures/", {}, admin);
    await api("GET", "/api/waivers", {}, dsl);
    await api("GET", "/api/audit", {}, dsl);
    await api("GET", "/api/audit/verify", {}, dsl);

    // The LiveKit webhook (unsigned here: the document declares its refusal too), and signing out.
    await api("POST", "/webhooks/livekit", {}, undefined, { event: "room_started" });
    const extra = await addStaff(org.t.database, `out-${provider}@example.org`, ["staff"], "Out");
    await api("POST", "/api/auth/login", {}, undefined, { email: `out-${provider}@example.org`, password: "correct horse battery staple" });
    await api("POST", "/api/auth/logout", {}, await signIn(org.app, `out-${provider}@example.org`));
    expect(extra.id).toBeTruthy();

    // Every message either socket sent, against the contract.
    const waitingCheck = ajv.compile(wireSchema(toWaitingPage));
    for (const m of page.messages)
      if (!waitingCheck(m)) problems.push(`waiting page got ${JSON.stringify(m)}: ${ajv.errorsText(waitingCheck.errors)}`);
    const consoleCheck = ajv.compile(wireSchema(toConsole));
    for (const m of consoleSocket.messages)
      if (!consoleCheck(m)) problems.push(`console got ${JSON.stringify(m).slice(0, 300)}: ${ajv.errorsText(consoleCheck.errors)}`);
    expect(page.messages.length).toBeGreaterThan(1);
    expect(consoleSocket.messages.some((m) => m.type === "snapshot")).toBe(true);

    expect(problems).toEqual([]);
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(documented.filter((route) => !exercised.has(route))).toEqual([]);
  });
});
