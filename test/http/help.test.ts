// "I need help" and "Something is wrong" over real sockets on a real database: every console of
// the session hears it at once and keeps it on screen until someone answers; the person's pages
// say staff were told, then who is coming; one alert a minute per person; all of it kept.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { providers } from "../helpers/db.ts";
import { call, clock, type Org, readyToAdmit, startOrg } from "../helpers/scenario.ts";
import { state, TestSocket } from "../helpers/socket.ts";

describe.each(providers)("calls for help on %s", (provider) => {
  let org: Org;
  let base: string;
  beforeAll(async () => {
    org = await startOrg(provider);
    base = (await org.app.listen({ port: 0, host: "127.0.0.1" })).replace("http:", "ws:");
  });
  afterAll(async () => org.t.close());
  beforeEach(() => {
    clock.now = new Date("2026-03-03T13:50:00Z");
  });

  const calls = (attendeeId: string) => org.t.database.db.helpRequest.findMany({ where: { attendeeId } });
  type Call = { attendeeId: string; name: string; via: string };
  /** The next snapshot whose banner matches (snapshots sent before the change may still be queued). */
  const snapshotHelp = async (consoleSocket: TestSocket, until: (help: Call[]) => boolean) =>
    (
      (await consoleSocket.next((m) => m.type === "snapshot" && until((m as unknown as { help: Call[] }).help))) as unknown as {
        help: Call[];
      }
    ).help;

  it("the page's call reaches the console at once and stays until answered; the page hears who is coming", async () => {
    const { s, a } = await readyToAdmit(org, { name: "Alex" });
    const consoleSocket = await TestSocket.open(`${base}/ws/console/sessions/${s.id}`, { cookie: org.lead });
    expect(await snapshotHelp(consoleSocket, () => true)).toEqual([]);
    const page = await TestSocket.open(`${base}/ws/join/${a.invite}`);
    await page.next(state("waiting"));

    page.ws.send(JSON.stringify({ type: "help" }));
    expect(await consoleSocket.next((m) => m.type === "help")).toMatchObject({ attendeeId: a.id, at: expect.any(String) });
    expect(await snapshotHelp(consoleSocket, (h) => h.length > 0)).toEqual([
      expect.objectContaining({ attendeeId: a.id, name: "Alex", via: "page" }),
    ]);
    await page.next((m) => m.type === "help" && m.state === "sent");

    // Pressed again within the minute: the same call.
    expect((await call(org, "POST", `/api/join/${a.invite}/help`)).statusCode).toBe(202);
    expect(await calls(a.id)).toHaveLength(1);

    // Staff who are not assigned cannot answer; the lead can, once.
    expect((await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/help/answer`, org.other)).statusCode).toBe(403);
    expect((await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/help/answer`, org.lead)).statusCode).toBe(204);
    expect(await page.next((m) => m.type === "help" && m.state === "answered")).toMatchObject({ by: "Lee" });
    expect(await snapshotHelp(consoleSocket, (h) => h.length === 0)).toEqual([]);
    expect((await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/help/answer`, org.lead)).statusCode).toBe(409);

    // A reopened page knows where its call stands.
    const again = await TestSocket.open(`${base}/ws/join/${a.invite}`);
    expect(await again.next(state("waiting"))).toMatchObject({ help: { state: "answered", by: "Lee" } });

    // Answered, a new call is a new alert, even within the minute.
    expect((await call(org, "POST", `/api/join/${a.invite}/help`)).statusCode).toBe(202);
    await consoleSocket.next((m) => m.type === "help");
    expect(await calls(a.id)).toHaveLength(2);

    const actions = (await org.t.database.db.auditEvent.findMany({ where: { sessionId: s.id, action: { startsWith: "help." } } })).map(
      (e) => e.action,
    );
    expect(actions).toEqual(["help.asked", "help.answered", "help.asked"]);
    await Promise.all([page.close(), again.close(), consoleSocket.close()]);
  });

  it("a carer's call (Something is wrong) alerts the console; a minute later a new press is a new alert", async () => {
    const { s, a } = await readyToAdmit(org, { name: "Bo" });
    const consoleSocket = await TestSocket.open(`${base}/ws/console/sessions/${s.id}`, { cookie: org.lead });
    await consoleSocket.next((m) => m.type === "snapshot");
    expect((await call(org, "POST", `/api/carer/${a.carer}/help`)).statusCode).toBe(202);
    await consoleSocket.next((m) => m.type === "help");
    expect(await snapshotHelp(consoleSocket, (h) => h.length > 0)).toEqual([expect.objectContaining({ attendeeId: a.id, via: "carer" })]);
    clock.now = new Date("2026-03-03T13:51:01Z");
    expect((await call(org, "POST", `/api/carer/${a.carer}/help`)).statusCode).toBe(202);
    expect(await calls(a.id)).toHaveLength(2);
    await consoleSocket.close();
  });

  it("unknown links are a 404, and the end of the session a 409 that points to the phone number", async () => {
    expect((await call(org, "POST", `/api/join/${"A".repeat(43)}/help`)).statusCode).toBe(404);
    const { s, a } = await readyToAdmit(org, { name: "Cy" });
    await call(org, "POST", `/api/sessions/${s.id}/end`, org.lead);
    const ended = await call(org, "POST", `/api/join/${a.invite}/help`);
    expect(ended.statusCode).toBe(409);
    expect(await calls(a.id)).toHaveLength(0);
  });
});
