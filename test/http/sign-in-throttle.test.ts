// Sign-in guessing is held back per client address (which X-Forwarded-For cannot fake unless
// TRUST_PROXY says which proxies to believe) and per account (however many addresses guess),
// for a time that grows but is capped, which an admin can clear. The account store is the same
// in memory and in Redis.
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { type AccountThrottle, holdSeconds, memoryThrottle, redisThrottle, type ThrottlePolicy } from "../../src/adapters/throttle.ts";
import { addStaff, password, signIn, startTestApp } from "../helpers/app.ts";
import { redisAvailable, redisUrl } from "../helpers/db.ts";

const policy: ThrottlePolicy = { limit: 3, windowSeconds: 60, firstHoldSeconds: 2, maxHoldSeconds: 8 };

it("the hold starts at the limit, doubles with each failure after it, and is capped", () => {
  expect([1, 2, 3, 4, 5, 6, 40].map((n) => holdSeconds(n, policy))).toEqual([0, 0, 2, 4, 8, 8, 8]);
});

const stores: { name: string; available: boolean; make: () => Promise<AccountThrottle> }[] = [
  { name: "in memory", available: true, make: async () => memoryThrottle(policy) },
  {
    name: "in Redis",
    available: redisAvailable,
    make: async () => {
      const client = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
      const throttle = redisThrottle(client, policy);
      return { ...throttle, close: async () => client.disconnect() };
    },
  },
];

describe.each(stores)("the account throttle $name", ({ available, make }) => {
  it.skipIf(!available)("holds an account after the limit, only that account, until cleared", async () => {
    const throttle = await make();
    const key = `someone-${Math.random()}@example.org`;
    try {
      for (let i = 0; i < 2; i++) await throttle.failed(key);
      expect(await throttle.heldFor(key)).toBe(0);
      await throttle.failed(key);
      expect(await throttle.heldFor(key)).toBeGreaterThan(0);
      expect(await throttle.heldFor(key)).toBeLessThanOrEqual(2);
      await throttle.failed(key);
      expect(await throttle.heldFor(key)).toBeGreaterThan(2);
      expect(await throttle.heldFor(`other-${key}`)).toBe(0);
      await throttle.clear(key);
      expect(await throttle.heldFor(key)).toBe(0);
    } finally {
      await throttle.clear(key);
      await throttle.close();
    }
  });
});

describe("signing in", () => {
  const apps: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const a of apps) await a.close();
  });
  const login = (t: Awaited<ReturnType<typeof startTestApp>>, email: string, pass: string, forwardedFor: string) =>
    t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email, password: pass },
      headers: { "x-forwarded-for": forwardedFor },
    });

  it("an account is held after 10 failures from any number of addresses, with Retry-After; an admin clears it", async () => {
    const t = await startTestApp("sqlite", { LOGIN_RATE_LIMIT: "1000", TRUST_PROXY: "1" });
    apps.push(t);
    await addStaff(t.database, "sam@example.org");
    const admin = await addStaff(t.database, "admin@example.org", ["admin", "staff"]);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await login(t, "Sam@Example.org", "wrong password!", `203.0.113.${i}`)).statusCode);
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
    const held = await login(t, "sam@example.org", password, "198.51.100.7");
    expect(held.statusCode).toBe(429);
    expect(Number(held.headers["retry-after"])).toBeGreaterThan(0);
    expect(held.json().error.code).toBe("account_held");
    // Other accounts are not held.
    await signIn(t.app, "admin@example.org");
    const sam = await t.database.db.staff.findUniqueOrThrow({ where: { email: "sam@example.org" } });
    const cleared = await t.app.inject({
      method: "POST",
      url: `/api/staff/${sam.id}/sign-in-hold/clear`,
      headers: { cookie: await signIn(t.app, "admin@example.org") },
    });
    expect(cleared.statusCode).toBe(200);
    expect((await login(t, "sam@example.org", password, "198.51.100.7")).statusCode).toBe(200);
    const audit = await t.database.db.auditEvent.findMany({ where: { action: "staff.sign_in_hold_cleared" } });
    expect(audit).toMatchObject([{ actorId: admin.id, subjectId: sam.id }]);
  });

  it("without TRUST_PROXY, X-Forwarded-For does not make each guess a new client, in production too", async () => {
    const t = await startTestApp("sqlite", {
      LOGIN_RATE_LIMIT: "5",
      NODE_ENV: "production",
      PUBLIC_URL: "https://gatekeeper.example.org",
      LIVEKIT_URL: "wss://video.example.org",
      LIVEKIT_API_KEY: "key",
      LIVEKIT_API_SECRET: "a-secret-that-is-long-enough-for-production",
      SESSION_SECRET: "another-secret-that-is-long-enough-for-production",
    });
    apps.push(t);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await login(t, `nobody${i}@example.org`, "wrong password!", `203.0.113.${i}`)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it("with TRUST_PROXY naming the proxy, each client behind it is limited on its own", async () => {
    const t = await startTestApp("sqlite", { LOGIN_RATE_LIMIT: "5", TRUST_PROXY: "127.0.0.1" });
    apps.push(t);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await login(t, `nobody${i}@example.org`, "wrong password!", `203.0.113.${i}`)).statusCode);
    expect(statuses).toEqual(Array(7).fill(401));
    const same: number[] = [];
    for (let i = 0; i < 7; i++) same.push((await login(t, `someone${i}@example.org`, "wrong password!", "203.0.113.200")).statusCode);
    expect(same.slice(-2)).toEqual([429, 429]);
  });

  it("TRUST_PROXY is checked: nonsense is refused at start-up", async () => {
    const { loadConfig } = await import("../../src/config.ts");
    expect(() => loadConfig({ TRUST_PROXY: "everyone" })).toThrow(/TRUST_PROXY/);
    expect(loadConfig({ TRUST_PROXY: "2" }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: "10.0.0.0/8, 127.0.0.1" }).TRUST_PROXY).toEqual(["10.0.0.0/8", "127.0.0.1"]);
    expect(loadConfig({}).TRUST_PROXY).toBeUndefined();
  });
});
