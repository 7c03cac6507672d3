// The console hub on a real database, with consoles that are plain objects: a snapshot on
// opening, a fresh one (bursts batched) when the session changes, alerts for its own session
// only, and a console whose sign-in ended is closed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveLogin } from "../../src/domain/staff.ts";
import { ConsoleHub, signedOutCode } from "../../src/hubs/console.ts";
import { loginTokenOf, signIn } from "../helpers/app.ts";
import { providers } from "../helpers/db.ts";
import { call, type Org, readyToAdmit, startOrg } from "../helpers/scenario.ts";
import { FakeConnection } from "./fake-connection.ts";

describe.each(providers)("the console hub on %s", (provider) => {
  let org: Org;
  let hub: ConsoleHub;
  beforeAll(async () => {
    org = await startOrg(provider);
    hub = new ConsoleHub(org.app.ctx);
  });
  afterAll(async () => {
    hub?.stop();
    await org?.t.close();
  });

  /** A console of `email`'s, signed in afresh, watching the session. */
  const watch = async (sessionId: string, email: string) => {
    const cookie = await signIn(org.app, email);
    const loginToken = loginTokenOf(cookie);
    const staff = (await resolveLogin(org.app.ctx, loginToken))!;
    const connection = new FakeConnection();
    const watcher = hub.open(connection, { sessionId, staff, loginToken });
    await connection.next((m) => m.type === "snapshot");
    return { connection, watcher, cookie };
  };

  it("sends a snapshot, then one fresh snapshot for a burst of changes in its session, and alerts of its session only", async () => {
    const one = await readyToAdmit(org, { name: "Hana" });
    const two = await readyToAdmit(org, { name: "Ivo" });
    const { connection, watcher } = await watch(one.s.id, "lead@example.org");
    expect(connection.sent[0]).toMatchObject({ type: "snapshot", session: { id: one.s.id } });

    const before = connection.sent.length;
    await org.app.ctx.bus.publish({ type: "session.changed", sessionId: one.s.id });
    await org.app.ctx.bus.publish({ type: "session.changed", sessionId: one.s.id });
    await org.app.ctx.bus.publish({ type: "session.changed", sessionId: one.s.id });
    await connection.next((m) => m.type === "snapshot", before);
    await new Promise((r) => setTimeout(r, 200));
    expect(connection.sent.slice(before).filter((m) => m.type === "snapshot")).toHaveLength(1);

    await org.app.ctx.bus.publish({ type: "alert", sessionId: two.s.id, kind: "knock", text: "Ivo is waiting.", attendeeId: two.a.id });
    await org.app.ctx.bus.publish({ type: "alert", sessionId: one.s.id, kind: "knock", text: "Hana is waiting.", attendeeId: one.a.id });
    const alert = await connection.next((m) => m.type === "alert");
    expect(alert.text).toBe("Hana is waiting.");
    expect(connection.sent.filter((m) => m.type === "alert")).toHaveLength(1);
    hub.closed(watcher);
  });

  it("answers a ping, refreshes on request, and says when it does not understand", async () => {
    const { s } = await readyToAdmit(org, { name: "Jo" });
    const { connection, watcher } = await watch(s.id, "second@example.org");
    const before = connection.sent.length;
    hub.received(watcher, JSON.stringify({ type: "ping" }));
    hub.received(watcher, JSON.stringify({ type: "shout" }));
    hub.received(watcher, JSON.stringify({ type: "refresh" }));
    expect(connection.sent.slice(before, before + 2)).toEqual([{ type: "pong" }, { type: "error", message: "Unknown message." }]);
    await connection.next((m) => m.type === "snapshot", before);
    hub.closed(watcher);
  });

  it("closes a console at once when its sign-in ends, and leaves the same person's other sign-ins open", async () => {
    const { s } = await readyToAdmit(org, { name: "Kit" });
    const ending = await watch(s.id, "lead@example.org");
    const staying = await watch(s.id, "lead@example.org");
    expect((await call(org, "POST", "/api/auth/logout", ending.cookie)).statusCode).toBe(200);
    await expect.poll(() => ending.connection.closedWith).toEqual({ code: signedOutCode, reason: "Signed out" });
    expect(staying.connection.open).toBe(true);
    hub.closed(ending.watcher);
    hub.closed(staying.watcher);
  });
});
