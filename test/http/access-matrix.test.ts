// The standing authorization matrix: every declared route (REST and WebSocket, read from the app's
// own table, so a new route is covered without anyone remembering) as eight kinds of caller,
// against what its declaration says. The expectation below is written out by hand, independently
// of the code that enforces it; an unexpected allow fails, and so does an unexpected refusal.
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Access, accessLevels } from "../../src/http/access.ts";
import { addStaff, routeTable, signIn } from "../helpers/app.ts";
import { providers } from "../helpers/db.ts";
import { addMember, call, type Org, schedule, startOrg } from "../helpers/scenario.ts";
import { TestSocket } from "../helpers/socket.ts";

const callers = ["anonymous", "invitee", "carer", "unassigned staff", "assigned staff", "lead", "dsl", "admin only"] as const;
type Caller = (typeof callers)[number];

const everyone = [...callers];
const signedIn: Caller[] = ["unassigned staff", "assigned staff", "lead", "dsl", "admin only"];

/** Who each level lets through, for a session led by `lead` with `assigned staff` as its second. */
const allowed: Record<Access, Caller[]> = {
  anyone: everyone,
  "invitee link": ["invitee"],
  "carer link": ["carer"],
  livekit: [],
  "signed in": signedIn,
  "session watchers": ["assigned staff", "lead", "dsl", "admin only"],
  "session staff": ["assigned staff", "lead"],
  "session lead": ["lead"],
  "group watchers": ["assigned staff", "lead", "dsl", "admin only"],
  // The concern in this world was raised by the lead.
  "concern readers": ["lead", "dsl"],
  dsl: ["dsl"],
  "dsl and admins": ["dsl", "admin only"],
  admins: ["admin only"],
};

const refused = [401, 403, 404];
const strangerToken = "A".repeat(43);

describe.each(providers)("authorization matrix on %s", (provider) => {
  let org: Org & { base: string };
  let base: string;
  const cookies = new Map<Caller, string>();
  const emails = new Map<Caller, string>();
  const ids: Record<string, string> = {};
  const links: Partial<Record<Caller, string>> = {};

  beforeAll(async () => {
    org = await startOrg(provider);
    base = (await org.app.listen({ port: 0, host: "127.0.0.1" })).replace("http:", "ws:");
    await addStaff(org.t.database, "dsl@example.org", ["dsl", "staff"], "Dee Lead");
    await addStaff(org.t.database, "manager@example.org", ["admin"], "Mo Manager");
    const target = await addStaff(org.t.database, "target@example.org", ["staff"], "Tia Target");
    for (const [caller, email] of [
      ["unassigned staff", "other@example.org"],
      ["assigned staff", "second@example.org"],
      ["lead", "lead@example.org"],
      ["dsl", "dsl@example.org"],
      ["admin only", "manager@example.org"],
    ] as const) {
      emails.set(caller, email);
      cookies.set(caller, await signIn(org.app, email));
    }
    // Photos for the staff member the :id routes name and for the lead, so that reading them is allowed, not "none yet".
    const photo = await sharp({ create: { width: 8, height: 8, channels: 3, background: "teal" } })
      .png()
      .toBuffer();
    for (const cookie of [await signIn(org.app, "target@example.org"), cookies.get("lead")!])
      await org.app.inject({ method: "PUT", url: "/api/staff/me/photo", headers: { cookie, "content-type": "image/png" }, payload: photo });
    const member = await addMember(org);
    const s = await schedule(org, [member.id]);
    const consents = (await call(org, "GET", `/api/members/${member.id}`, org.lead)).json().member.consents;
    const concern = (await call(org, "POST", "/api/concerns", org.lead, { text: "For the matrix" })).json().concern;
    const group = await call(org, "POST", "/api/groups", org.lead, {
      title: "Matrix club",
      delivery: "venue",
      leadStaffId: org.leadId,
      secondStaffId: org.secondId,
      memberIds: [member.id],
      schedule: { weekday: "thu", start: "10:00", end: "11:00", from: "2026-03-05", until: "2026-03-05" },
    });
    expect(group.statusCode, group.body).toBe(201);
    // A member in nothing upcoming, whose erasure an admin has asked for.
    const leaving = await addMember(org, { name: "Lee Leaving" });
    const erasure = await call(org, "POST", "/api/erasures", org.admin, { subjectType: "member", subjectId: leaving.id, reason: "Asked." });
    expect(erasure.statusCode, erasure.body).toBe(201);
    Object.assign(ids, {
      erasures: erasure.json().erasure.id,
      sessions: s.id,
      members: member.id,
      concerns: concern.id,
      groups: group.json().group.id,
      staff: target.id,
      carers: member.carers[0]!.id,
      attendeeId: s.attendees[0]!.id,
      consentId: consents[0].id,
    });
    links.invitee = s.attendees[0]!.invite;
    links.carer = s.attendees[0]!.carer;
  });
  afterAll(async () => org?.t.close());

  /** The route's path with this world's ids, and the link of the caller (or a stranger's) for :token. */
  function fill(url: string, caller: Caller): string {
    return url.replace(/:(\w+)/g, (_, name: string) => {
      if (name === "token") return links[caller] ?? strangerToken;
      if (name === "audience") return "member";
      // An :id names what the segment before it names ("/api/sessions/:id", "/ws/console/sessions/:id").
      if (name === "id") return ids[url.split("/").at(url.split("/").indexOf(":id") - 1)!] ?? "unknown";
      return ids[name] ?? "unknown";
    });
  }

  it("every route says who may call it, and the API reference says the same", async () => {
    const table = org.app.accessTable;
    expect(table.filter((r) => !r.websocket).length).toBeGreaterThan(40);
    expect(table.filter((r) => r.websocket).map((r) => r.url)).toEqual(["/ws/join/:token", "/ws/console/sessions/:id"]);
    const doc = (await org.app.inject({ method: "GET", url: "/docs/json" })).json() as {
      paths: Record<string, Record<string, { "x-access"?: string }>>;
    };
    for (const { method, path } of await routeTable(org.app)) {
      // Fastify lists "/api/staff/" (prefix and "/") as "/api/staff" too; the document keeps the slash.
      const url = path.replace(/\{(\w+)\}/g, ":$1");
      const declared = table.find((r) => r.method === method && (r.url === url || `${r.url}/` === url));
      expect(declared, `${method} ${path} is documented but not declared`).toBeDefined();
      expect(doc.paths[path]?.[method.toLowerCase()]?.["x-access"]).toBe(declared?.access);
    }
    expect(Object.keys(allowed).sort()).toEqual(Object.keys(accessLevels).sort());
  });

  it("every route × every kind of caller: allowed exactly when its declaration says so", async () => {
    const wrong: string[] = [];
    let tried = 0;
    for (const route of org.app.accessTable) {
      for (const caller of callers) {
        const url = fill(route.url, caller);
        const cookie = cookies.get(caller);
        const status = route.websocket ? await upgrade(url, cookie) : await request(route.method, url, cookie);
        tried++;
        const expectAllowed = allowed[route.access].includes(caller);
        const ok = expectAllowed ? !refused.includes(status) && status < 500 : refused.includes(status);
        if (!ok) wrong.push(`${route.method} ${route.url} (${route.access}) as ${caller}: ${status}`);
        // Signing out ends the caller's sign-in; sign them in again for the routes that follow.
        if (route.url === "/api/auth/logout" && cookie) cookies.set(caller, await signIn(org.app, emails.get(caller)!));
      }
    }
    expect(wrong).toEqual([]);
    expect(tried).toBeGreaterThan(350);
  });

  async function request(method: string, url: string, cookie: string | undefined): Promise<number> {
    const res = await org.app.inject({
      method: method as "GET",
      url,
      headers: cookie ? { cookie } : {},
      ...(method === "GET" ? {} : { payload: {} }),
    });
    return res.statusCode;
  }

  async function upgrade(url: string, cookie: string | undefined): Promise<number> {
    try {
      const socket = await TestSocket.open(`${base}${url}`, cookie ? { cookie } : {});
      socket.ws.close();
      return 101;
    } catch (error) {
      return Number(/upgrade refused: (\d+)/.exec(String(error))?.[1] ?? 0);
    }
  }
});
