// Defects an adversarial test found, each kept here so it cannot come back: NUL characters, dates
// out of range, concurrent writes, console sockets from another origin, malformed addresses, and
// what a failed sign-in keeps of what was typed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addStaff, routeTable } from "../helpers/app.ts";
import { liveSession } from "../helpers/crowd.ts";
import { providers } from "../helpers/db.ts";
import { addMember, call, clock, type Org, readyToAdmit, schedule, signIn, startOrg } from "../helpers/scenario.ts";
import { TestSocket } from "../helpers/socket.ts";

describe.each(providers)("hardening on %s", (provider) => {
  let org: Org;
  let base: string;
  beforeAll(async () => {
    org = await startOrg(provider);
    base = (await org.app.listen({ port: 0, host: "127.0.0.1" })).replace("http:", "ws:");
  });
  afterAll(async () => org?.t.close());

  it("a NUL character anywhere (body, path id, query, even a key) is a 400 naming where, for every route", async () => {
    const login = await org.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: "a\u0000@example.org", password: "x" },
    });
    expect(login.statusCode).toBe(400);
    expect(login.json().error.message).toContain("body.email");
    // Someone holding every role, so no route's declaration turns them away before their input is read.
    await addStaff(org.t.database, "all-roles@example.org", ["admin", "dsl", "staff"], "Al Roles");
    const allRoles = await signIn(org.app, "all-roles@example.org");
    let tried = 0;
    for (const { method, path } of await routeTable(org.app)) {
      if (!["GET", "POST", "PUT", "PATCH"].includes(method) || path.startsWith("/webhooks")) continue;
      const url = path.replace(/\{(\w+)\}/g, "a%00b").replace(/:(\w+)/g, "a%00b");
      for (const cookie of [undefined, allRoles]) {
        const withId = url.includes("%00");
        const res = await org.app.inject({
          method: method as "GET",
          url: withId ? url : `${url}?q=%00`,
          headers: cookie ? { cookie } : {},
          ...(method === "GET" ? {} : { payload: { note: "x\u0000y", nested: [{ "k\u0000": 1 }] } }),
        });
        tried++;
        // Anonymous callers of private routes are turned away (401) before their input is read.
        const expected = cookie || res.statusCode !== 401 ? [400] : [401];
        expect(expected, `${method} ${url} as ${cookie ? "all roles" : "anonymous"}: ${res.body}`).toContain(res.statusCode);
      }
    }
    expect(tried).toBeGreaterThan(40);
  });

  it("dates outside the years 2000 to 2100 are a 400, never a database error", async () => {
    const audit = await call(org, "GET", "/api/audit?from=0000-01-01T00:00:00Z", org.admin);
    expect(audit.statusCode).toBe(400);
    expect(audit.json().error.message).toContain("querystring.from");
    const far = await call(org, "POST", "/api/sessions", org.lead, {
      title: "Far",
      startsAt: "9999-03-03T14:00:00Z",
      endsAt: "9999-03-03T15:00:00Z",
      delivery: "venue",
      leadStaffId: org.leadId,
      memberIds: [],
    });
    expect(far.statusCode).toBe(400);
  });

  it("concurrent writes to one thing: one wins, the others are told plainly, none is a 500", async () => {
    const lines = (n: number) => ({ lines: [`Rule ${n}`, "Be kind."] });
    const puts = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => call(org, "PUT", "/api/guidelines/member", org.admin, lines(n))));
    expect(puts.map((r) => r.statusCode).filter((s) => s >= 500)).toEqual([]);
    expect(puts.some((r) => r.statusCode === 201)).toBe(true);
    for (const r of puts.filter((r) => r.statusCode !== 201)) expect(r.json().error.code).toBe("conflict");

    const member = await addMember(org, { name: "Dee" });
    const consent = (await call(org, "GET", `/api/members/${member.id}`, org.lead)).json().member.consents[0];
    const withdrawals = await Promise.all(
      [1, 2, 3, 4].map(() =>
        call(org, "POST", `/api/members/${member.id}/consents/${consent.id}/withdraw`, org.lead, { reason: "Carer asked" }),
      ),
    );
    const statuses = withdrawals.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
  });

  it("a console socket from another origin is refused, even with a valid cookie", async () => {
    const s = await schedule(org, [(await addMember(org, { name: "Eve" })).id], { delivery: "venue" });
    const url = `${base}/ws/console/sessions/${s.id}`;
    await expect(TestSocket.open(url, { cookie: org.lead, origin: "https://evil.example" })).rejects.toThrow(/403/);
    const ours = await TestSocket.open(url, { cookie: org.lead, origin: "http://localhost:3000" });
    ours.ws.close();
  });

  it("signing out or being deactivated closes that person's console sockets at once", async () => {
    const s = await schedule(org, [(await addMember(org, { name: "Fay" })).id], { delivery: "venue" });
    const url = `${base}/ws/console/sessions/${s.id}`;
    const second = await signIn(org.app, "second@example.org");
    const watching = await TestSocket.open(url, { cookie: second });
    await watching.next((m) => m.type === "snapshot");
    const before = Date.now();
    expect((await call(org, "POST", "/api/auth/logout", second, {})).statusCode).toBe(200);
    expect(await watching.closed).toBe(4001);
    expect(Date.now() - before).toBeLessThan(2000);

    const lead = await signIn(org.app, "lead@example.org");
    const leadSocket = await TestSocket.open(url, { cookie: lead });
    await leadSocket.next((m) => m.type === "snapshot");
    expect((await call(org, "PATCH", `/api/staff/${org.leadId}`, org.admin, { active: false })).statusCode).toBe(200);
    expect(await leadSocket.closed).toBe(4001);
    expect((await call(org, "PATCH", `/api/staff/${org.leadId}`, org.admin, { active: true })).statusCode).toBe(200);
    // Deactivation ended every sign-in of the lead's, the one the other tests use included.
    org.lead = await signIn(org.app, "lead@example.org");
  });

  it("a session's people are seen only by its staff, the DSL and admins, by REST as by the socket; an admin-only account is not staff", async () => {
    const s = await schedule(org, [(await addMember(org, { name: "Hal" })).id], { delivery: "venue" });
    expect((await call(org, "GET", `/api/sessions/${s.id}`, org.other)).statusCode).toBe(403);
    const listed = (await call(org, "GET", "/api/sessions", org.other)).json().sessions.map((x: { id: string }) => x.id);
    expect(listed).not.toContain(s.id);
    expect((await call(org, "GET", `/api/sessions/${s.id}`, org.second)).statusCode).toBe(200);
    expect((await call(org, "GET", `/api/sessions/${s.id}`, org.admin)).statusCode).toBe(200);
    expect((await call(org, "GET", "/api/sessions", org.admin)).json().sessions.map((x: { id: string }) => x.id)).toContain(s.id);

    const manager = await addStaff(org.t.database, `manager-${provider}@example.org`, ["admin"], "Mo Manager");
    const directory = (await call(org, "GET", "/api/staff/directory", org.lead)).json().staff.map((x: { id: string }) => x.id);
    expect(directory).not.toContain(manager.id);
    const led = await call(org, "POST", "/api/sessions", org.admin, {
      title: "Led by a manager",
      startsAt: "2026-03-03T14:00:00Z",
      endsAt: "2026-03-03T15:00:00Z",
      delivery: "venue",
      leadStaffId: manager.id,
      memberIds: [(await addMember(org, { name: "Ivy" })).id],
    });
    expect(led.statusCode).toBe(400);
    expect(led.json().error.code).toBe("unknown_staff");
  });

  it("admits decided together: a bad one and an unassigned one fail alone, every valid one is let in", async () => {
    const crowd = await liveSession(org.t.database, org.leadId, 30, clock.now);
    const url = (id: string) => `/api/sessions/${crowd.sessionId}/attendees/${id}/admit`;
    const results = await Promise.all([
      ...crowd.attendees.map((a) => call(org, "POST", url(a.id), org.lead)),
      org.app.inject({ method: "POST", url: url("a%00b"), headers: { cookie: org.lead } }),
      call(org, "POST", url(crowd.attendees[0]!.id), org.other),
    ]);
    expect(
      results.slice(0, 30).map((r) => r.statusCode),
      results[0]!.body,
    ).toEqual(Array(30).fill(200));
    expect(results[30]!.statusCode).toBe(400);
    expect(results[31]!.statusCode).toBe(403);
    expect(await org.t.database.db.attendee.count({ where: { sessionId: crowd.sessionId, state: "admitted" } })).toBe(30);
  });

  it("a malformed address answers in the API's error shape and does not echo the address", async () => {
    for (const url of ["/api/sessions/%ZZ", "/join/%ZZsecret"]) {
      const res = await org.app.inject({ method: "GET", url });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: { code: "bad_url", message: "The address is not valid" } });
    }
  });

  it("a failed sign-in keeps only a masked form of what was typed in the e-mail box", async () => {
    for (const typed of ["someone@example.org", "correct horse battery staple"]) {
      const res = await org.app.inject({ method: "POST", url: "/api/auth/login", payload: { email: typed, password: "wrong password!" } });
      expect(res.statusCode).toBe(401);
    }
    const failed = await org.t.database.db.auditEvent.findMany({ where: { action: "auth.login_failed" }, orderBy: { seq: "asc" } });
    const kept = failed.slice(-2).map((e) => JSON.parse(String(e.data)).email);
    expect(kept).toEqual(["s***@example.org", "(28 characters, not an e-mail address)"]);
    expect(JSON.stringify(failed)).not.toContain("correct horse");
  });
});

describe("links cannot be hammered", () => {
  it("token requests per link, requests per address, and open pages per link and per address are limited", async () => {
    const org = await startOrg("sqlite", { LINK_RATE_LIMIT: "40", PAGES_PER_ADDRESS: "8" });
    try {
      const base = (await org.app.listen({ port: 0, host: "127.0.0.1" })).replace("http:", "ws:");
      const { s, a } = await readyToAdmit(org);
      expect((await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/admit`, org.lead)).statusCode).toBe(200);
      const asks = [];
      for (let i = 0; i < 12; i++) asks.push(await call(org, "POST", `/api/join/${a.invite}/connection`));
      expect(asks.map((r) => r.statusCode)).toEqual([...Array(10).fill(201), 429, 429]);
      expect(Number(asks[10]!.headers["retry-after"])).toBeGreaterThan(0);
      expect(asks[10]!.json().error.code).toBe("rate_limited");
      const issued = await org.t.database.db.auditEvent.count({ where: { action: "token.issued", subjectId: a.id } });
      expect(issued).toBeLessThanOrEqual(11);

      // Five pages of one link may be open; the sixth closes the oldest, which is told why.
      const pages = [];
      for (let i = 0; i < 6; i++) pages.push(await TestSocket.open(`${base}/ws/join/${a.invite}`));
      expect(await pages[0]!.closed).toBe(4008);
      expect(pages[0]!.closeReason).toContain("opened on another screen");
      // From one address, at most PAGES_PER_ADDRESS pages at once (8: five open, three more).
      const other = await readyToAdmit(org, { name: "Gus" });
      for (let i = 0; i < 3; i++) pages.push(await TestSocket.open(`${base}/ws/join/${other.a.invite}`));
      await expect(TestSocket.open(`${base}/ws/join/${other.a.invite}`)).rejects.toThrow(/429/);
      for (const p of pages) p.ws.close();

      // All link routes together, per address: 40 a minute here.
      const statuses = [];
      for (let i = 0; i < 30; i++) statuses.push((await call(org, "GET", `/api/carer/${a.carer}`)).statusCode);
      expect(statuses.at(-1)).toBe(429);
    } finally {
      await org.t.close();
    }
  });
});

describe("shutting down", () => {
  it("closes open pages with 1001 and words the page shows, instead of dropping them", async () => {
    const org = await startOrg("sqlite");
    const base = (await org.app.listen({ port: 0, host: "127.0.0.1" })).replace("http:", "ws:");
    const { a } = await readyToAdmit(org);
    const page = await TestSocket.open(`${base}/ws/join/${a.invite}`);
    await page.next((m) => m.type === "state");
    await org.t.close();
    expect(await page.closed).toBe(1001);
    expect(page.closeReason).toBe("The service is restarting. We will reconnect you.");
  });
});
