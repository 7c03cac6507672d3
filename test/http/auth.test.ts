import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addStaff, cookieHeader, origin, password, signIn, startTestApp, type TestApp } from "../helpers/app.ts";
import { providers } from "../helpers/db.ts";

describe.each(providers)("staff sign-in on %s", (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(provider, { LOGIN_RATE_LIMIT: "100" });
    await addStaff(t.database, "lead@example.org", ["staff"]);
    await addStaff(t.database, "admin@example.org", ["admin"]);
  });
  afterAll(async () => t.close());

  it("signs in with the right password and sets a strict, httpOnly session cookie", async () => {
    const res = await t.app.inject({ method: "POST", url: "/api/auth/login", payload: { email: "Lead@Example.org", password } });
    expect(res.statusCode).toBe(200);
    expect(res.json().staff).toMatchObject({ email: "lead@example.org", roles: ["staff"], active: true });
    expect(res.json().staff.passwordHash).toBeUndefined();
    const [cookie] = res.cookies;
    expect(cookie).toMatchObject({ name: "gk_session", httpOnly: true, sameSite: "Strict", path: "/" });
    expect(cookie?.secure).toBeFalsy();
    const me = await t.app.inject({ method: "GET", url: "/api/auth/me", headers: { cookie: cookieHeader(res) } });
    expect(me.json().staff.email).toBe("lead@example.org");
  });

  it("gives one message for an unknown e-mail and for a wrong password", async () => {
    const unknown = await t.app.inject({ method: "POST", url: "/api/auth/login", payload: { email: "nobody@example.org", password } });
    const wrong = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: "lead@example.org", password: "not it at all" },
    });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    expect(unknown.cookies).toEqual([]);
  });

  it("refuses the console API without a session", async () => {
    const res = await t.app.inject({ method: "GET", url: "/api/auth/me" });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe("unauthenticated");
  });

  it("signing out ends the session on the server, not only in the browser", async () => {
    const cookie = await signIn(t.app, "lead@example.org");
    const out = await t.app.inject({ method: "POST", url: "/api/auth/logout", headers: { cookie } });
    expect(out.statusCode).toBe(200);
    const me = await t.app.inject({ method: "GET", url: "/api/auth/me", headers: { cookie } });
    expect(me.statusCode).toBe(401);
  });

  it("deactivating an account ends its sessions at once and stops it signing in", async () => {
    const victim = await addStaff(t.database, "leaver@example.org");
    const cookie = await signIn(t.app, "leaver@example.org");
    const admin = await signIn(t.app, "admin@example.org");
    const res = await t.app.inject({
      method: "PATCH",
      url: `/api/staff/${victim.id}`,
      headers: { cookie: admin },
      payload: { active: false },
    });
    expect(res.statusCode).toBe(200);
    expect((await t.app.inject({ method: "GET", url: "/api/auth/me", headers: { cookie } })).statusCode).toBe(401);
    const again = await t.app.inject({ method: "POST", url: "/api/auth/login", payload: { email: "leaver@example.org", password } });
    expect(again.statusCode).toBe(401);
  });

  it("rejects a forged cookie", async () => {
    const res = await t.app.inject({ method: "GET", url: "/api/auth/me", headers: { cookie: "gk_session=forged.value" } });
    expect(res.statusCode).toBe(401);
  });

  it("refuses a state-changing request from another origin, before doing anything", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      headers: { origin: "https://evil.example" },
      payload: { email: "lead@example.org", password },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe("origin_refused");
    expect(res.cookies).toEqual([]);
    const ours = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      headers: { origin },
      payload: { email: "lead@example.org", password },
    });
    expect(ours.statusCode).toBe(200);
  });

  it("keeps passwords, cookies and hashes out of the log", async () => {
    await signIn(t.app, "lead@example.org");
    const text = t.rawLogs.join("");
    expect(text).not.toContain(password);
    expect(text).not.toContain("gk_session=");
    expect(text).not.toMatch(/scrypt\$/);
  });
});

describe("staff sign-in rate limit", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp("sqlite", { LOGIN_RATE_LIMIT: "3" });
    await addStaff(t.database, "lead@example.org");
  });
  afterAll(async () => t.close());

  it("answers 429 once an address has used up its attempts, even with the right password", async () => {
    const attempt = (pass: string) =>
      t.app.inject({ method: "POST", url: "/api/auth/login", payload: { email: "lead@example.org", password: pass } });
    for (let i = 0; i < 3; i++) expect((await attempt("wrong password")).statusCode).toBe(401);
    const blocked = await attempt(password);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe("rate_limited");
    expect(blocked.cookies).toEqual([]);
  });
});

describe("first admin", () => {
  it("is created from GATEKEEPER_ADMIN_EMAIL / PASSWORD when no staff exist, and only then", async () => {
    const env = { GATEKEEPER_ADMIN_EMAIL: "first@example.org", GATEKEEPER_ADMIN_PASSWORD: "first admin password" };
    const t = await startTestApp("sqlite", env);
    try {
      const cookie = await signIn(t.app, "first@example.org", "first admin password");
      const me = await t.app.inject({ method: "GET", url: "/api/auth/me", headers: { cookie } });
      expect(me.json().staff.roles).toContain("admin");
      expect(await t.database.db.staff.count()).toBe(1);
    } finally {
      await t.close();
    }
  });
});
