// The waiting-room hub on a real database, with pages that are plain objects: who is told what,
// and when a page that went away counts as gone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pageOwner } from "../../src/domain/live.ts";
import { tooManyPagesCode, WaitingRoomHub } from "../../src/hubs/waiting-room.ts";
import { providers } from "../helpers/db.ts";
import { addMember, call, confirmCarer, enterWaiting, type Org, readyToAdmit, schedule, startOrg } from "../helpers/scenario.ts";
import { FakeConnection } from "./fake-connection.ts";

describe.each(providers)("the waiting-room hub on %s", (provider) => {
  let org: Org;
  let hub: WaitingRoomHub;
  beforeAll(async () => {
    org = await startOrg(provider, { WAITING_GRACE_SECONDS: "0.3", PAGES_PER_LINK: "2", PAGES_PER_ADDRESS: "3" });
    hub = new WaitingRoomHub(org.app.ctx);
  });
  afterAll(async () => {
    hub?.stop();
    await org?.t.close();
  });

  const openPage = async (token: string, address = "192.0.2.1") => {
    const connection = new FakeConnection();
    const page = hub.open(connection, { token, address, ...(await pageOwner(org.app.ctx, token)) });
    await connection.next((m) => m.type === "state");
    return { connection, page };
  };

  it("sends a token only to the admitted person's own pages", async () => {
    const { s, a } = await readyToAdmit(org, { name: "Ann" });
    const other = await addMember(org, { name: "Bo" });
    const second = await schedule(org, [other.id]);
    const b = second.attendees[0]!;
    await confirmCarer(org, b.carer!);
    await enterWaiting(org, b.invite);
    const ann = await openPage(a.invite);
    const bo = await openPage(b.invite);
    expect(ann.connection.sent[0]).toMatchObject({ type: "state", state: "waiting" });

    const admitted = await call(org, "POST", `/api/sessions/${s.id}/attendees/${a.id}/admit`, org.lead);
    expect(admitted.statusCode, admitted.body).toBe(200);
    const state = await ann.connection.next((m) => m.type === "state" && m.state === "admitted");
    expect(state.token).toEqual(expect.any(String));
    expect(bo.connection.sent.some((m) => "token" in m)).toBe(false);
    hub.closed(ann.page);
    hub.closed(bo.page);
  });

  it("answers a ping and says when it does not understand", async () => {
    const { a } = await readyToAdmit(org, { name: "Cy" });
    const { connection, page } = await openPage(a.invite);
    hub.received(page, JSON.stringify({ type: "ping" }));
    hub.received(page, "not json");
    expect(connection.sent.slice(-2)).toEqual([{ type: "pong" }, { type: "error", message: "Unknown message." }]);
    hub.closed(page);
  });

  it("closes the oldest page when a link is open in too many places, saying why", async () => {
    const { a } = await readyToAdmit(org, { name: "Di" });
    const first = await openPage(a.invite, "192.0.2.10");
    const second = await openPage(a.invite, "192.0.2.11");
    const third = await openPage(a.invite, "192.0.2.12");
    expect(first.connection.closedWith).toEqual({
      code: tooManyPagesCode,
      reason: "This link was opened on another screen, so this page was closed.",
    });
    expect(second.connection.open && third.connection.open).toBe(true);
    for (const p of [first, second, third]) hub.closed(p.page);
  });

  it("refuses one more page from an address that has too many open", async () => {
    const { a } = await readyToAdmit(org, { name: "Ed" });
    const pages = [await openPage(a.invite, "192.0.2.20"), await openPage(a.invite, "192.0.2.20")];
    const other = await readyToAdmit(org, { name: "Flo" });
    pages.push(await openPage(other.a.invite, "192.0.2.20"));
    expect(() => hub.assertRoomFor("192.0.2.20")).toThrow(/Too many pages/);
    hub.closed(pages.pop()!.page);
    expect(() => hub.assertRoomFor("192.0.2.20")).not.toThrow();
    for (const p of pages) hub.closed(p.page);
  });

  it("takes a person off the waiting list once their last page has been gone for the grace period, not before", async () => {
    const { s, a } = await readyToAdmit(org, { name: "Gil" });
    const state = async () => (await call(org, "GET", `/api/sessions/${s.id}`, org.lead)).json().session.attendees[0].state;
    const brief = await openPage(a.invite);
    hub.closed(brief.page);
    const back = await openPage(a.invite); // back within the grace period
    await new Promise((r) => setTimeout(r, 600));
    expect(await state()).toBe("waiting");
    hub.closed(back.page);
    await expect.poll(state, { timeout: 5000 }).toBe("away");
  });
});
