// Rotating SESSION_SECRET without signing anyone out: a service restarted with a new secret and
// the old one in SESSION_SECRET_PREVIOUS still accepts the console sign-ins and opens the links of
// messages queued under the old one; without it, both stop (signed out; links unreadable).
import { afterAll, describe, expect, it } from "vitest";
import { scratchDatabase } from "../helpers/db.ts";
import { addMember, call, schedule, startOrg } from "../helpers/scenario.ts";

const oldSecret = "the-old-session-secret-0123456789abcdef";
const newSecret = "the-new-session-secret-0123456789abcdef";

describe("rotating SESSION_SECRET", () => {
  const scratch = scratchDatabase("sqlite");
  afterAll(async () => (await scratch).drop());

  it("keeps sign-ins and queued links working while the old secret is listed as previous, and only then", async () => {
    const first = await startOrg("sqlite", { SESSION_SECRET: oldSecret }, await scratch);
    const member = await addMember(first, { name: "Alex" });
    const s = await schedule(first, [member.id]);
    const cookie = first.lead;
    const links = async (org: typeof first) =>
      (await call(org, "GET", `/api/sessions/${s.id}/messages`, org.lead))
        .json()
        .messages.flatMap((m: { links: { url: string | null }[] }) => m.links.map((l) => l.url));
    expect((await links(first)).every((url: string | null) => url?.startsWith("http"))).toBe(true);
    await first.t.close();

    const rotated = await startOrg("sqlite", { SESSION_SECRET: newSecret, SESSION_SECRET_PREVIOUS: oldSecret }, await scratch, {
      reuseStaff: true,
    });
    expect((await call(rotated, "GET", "/api/auth/me", cookie)).statusCode).toBe(200);
    const opened = await links({ ...rotated, lead: cookie });
    expect(opened.length).toBeGreaterThan(0);
    expect(opened.every((url: string | null) => url?.startsWith("http"))).toBe(true);
    await rotated.t.close();

    const forgotten = await startOrg("sqlite", { SESSION_SECRET: newSecret }, await scratch, { reuseStaff: true });
    expect((await call(forgotten, "GET", "/api/auth/me", cookie)).statusCode).toBe(401);
    expect((await links(forgotten)).every((url: string | null) => url === null)).toBe(true);
    await forgotten.t.close();
  });
});
