import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { providers } from "../helpers/db.ts";

describe.each(providers)("health on %s", (provider) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(provider);
  });
  afterAll(async () => t.close());

  it("is live and ready once the database is migrated", async () => {
    expect((await t.app.inject({ method: "GET", url: "/healthz" })).json()).toEqual({ ok: true });
    const ready = await t.app.inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(200);
    // No LiveKit runs here: reported, but the waiting room still works, so the service is ready.
    expect(ready.json()).toEqual({ ready: true, checks: { database: "ok", migrations: "ok", livekit: "unreachable", redis: "not_used" } });
  });

  it("is not ready when a migration is missing from the database", async () => {
    await t.database.db.$executeRawUnsafe(`UPDATE _prisma_migrations SET rolled_back_at = finished_at`);
    const ready = await t.app.inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.migrations).toBe("pending");
  });
});

describe("OpenAPI document", () => {
  it("is published at /docs/json, with a reference page at /docs, and describes the routes from their schemas", async () => {
    const t = await startTestApp("sqlite");
    try {
      const doc = (await t.app.inject({ method: "GET", url: "/docs/json" })).json();
      expect(doc.openapi).toMatch(/^3\./);
      expect(doc.paths["/api/auth/login"].post.requestBody.content["application/json"].schema.required).toEqual(["email", "password"]);
      expect(Object.keys(doc.paths)).toContain("/api/staff/");
      expect(Object.keys(doc.paths)).not.toContain("/docs/json");
      const page = await t.app.inject({ method: "GET", url: "/docs/" });
      expect(page.statusCode).toBe(200);
      expect(page.headers["content-type"]).toMatch(/^text\/html/);
      expect(page.body).toContain("swagger");
      expect((await t.app.inject({ method: "GET", url: "/docs" })).statusCode).toBeLessThan(400);
    } finally {
      await t.close();
    }
  });
});

describe("the pages' icon", () => {
  it("is served, and every page links it", async () => {
    const t = await startTestApp("sqlite");
    try {
      const icon = await t.app.inject({ method: "GET", url: "/favicon.svg" });
      expect(icon.statusCode).toBe(200);
      expect(icon.headers["content-type"]).toMatch(/^image\/svg\+xml/);
      for (const url of ["/", "/check", "/join/x", "/carer/x"]) {
        expect((await t.app.inject({ method: "GET", url })).body, url).toContain('<link rel="icon" href="/favicon.svg"');
      }
    } finally {
      await t.close();
    }
  });
});

describe("security headers", () => {
  it("every response carries them; pages are never stored; connections only to here and the LiveKit server", async () => {
    const t = await startTestApp("sqlite", { LIVEKIT_URL: "wss://video.example.org" });
    try {
      for (const url of ["/", "/join/x", "/carer/x", "/check", "/favicon.svg", "/api/auth/me", "/readyz", "/nowhere"]) {
        const res = await t.app.inject({ method: "GET", url });
        expect(res.headers["x-content-type-options"], url).toBe("nosniff");
        expect(res.headers["referrer-policy"], url).toBe("no-referrer");
        const csp = String(res.headers["content-security-policy"]);
        expect(csp, url).toContain("script-src 'self'");
        expect(csp, url).toContain("frame-ancestors 'none'");
        const connect = csp.split(";").find((d) => d.trim().startsWith("connect-src"))!;
        expect(connect.split(" ")).not.toContain("ws:");
        expect(connect).toContain("wss://video.example.org");
        expect(connect).toContain("ws://localhost:3000");
        expect(res.headers["strict-transport-security"], url).toBeUndefined();
      }
      for (const url of ["/join/x", "/carer/x", "/"]) {
        expect((await t.app.inject({ method: "GET", url })).headers["cache-control"], url).toBe("no-store");
      }
    } finally {
      await t.close();
    }
  });

  it("the server's timeouts are set on purpose", async () => {
    const t = await startTestApp("sqlite");
    try {
      expect(t.app.server.requestTimeout).toBe(30_000);
      expect(t.app.server.headersTimeout).toBe(20_000);
      expect(t.app.server.keepAliveTimeout).toBe(65_000);
    } finally {
      await t.close();
    }
  });

  it("HSTS is sent when the service is on https", async () => {
    const t = await startTestApp("sqlite", { PUBLIC_URL: "https://gatekeeper.example.org" });
    try {
      const res = await t.app.inject({ method: "GET", url: "/readyz" });
      expect(res.headers["strict-transport-security"]).toMatch(/max-age=\d+/);
      expect(String(res.headers["content-security-policy"])).toContain("wss://gatekeeper.example.org");
    } finally {
      await t.close();
    }
  });
});
