import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addStaff, signIn, startTestApp, type TestApp } from "../helpers/app.ts";
import { providers } from "../helpers/db.ts";

describe.each(providers)("staff accounts on %s", (provider) => {
  let t: TestApp;
  let admin: string;
  let staff: string;
  beforeAll(async () => {
    t = await startTestApp(provider);
    await addStaff(t.database, "admin@example.org", ["admin"]);
    await addStaff(t.database, "staff@example.org", ["staff"]);
    admin = await signIn(t.app, "admin@example.org");
    staff = await signIn(t.app, "staff@example.org");
  });
  afterAll(async () => t.close());

  const newStaff = { email: "dsl@example.org", name: "Dee Lead", password: "a long enough password", roles: ["staff", "dsl"] };

  it("an admin adds a staff account, who can then sign in", async () => {
    const res = await t.app.inject({ method: "POST", url: "/api/staff", headers: { cookie: admin }, payload: newStaff });
    expect(res.statusCode).toBe(201);
    expect(res.json().staff).toMatchObject({ email: "dsl@example.org", roles: ["dsl", "staff"] });
    await signIn(t.app, "dsl@example.org", newStaff.password);
    const list = await t.app.inject({ method: "GET", url: "/api/staff", headers: { cookie: admin } });
    expect(list.json().staff.map((s: { email: string }) => s.email)).toContain("dsl@example.org");
  });

  it("refuses a second account with the same e-mail", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/staff",
      headers: { cookie: admin },
      payload: { ...newStaff, email: "STAFF@example.org" },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe("email_taken");
  });

  it("only admins manage staff accounts", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/staff",
      headers: { cookie: staff },
      payload: { ...newStaff, email: "x@example.org" },
    });
    expect(res.statusCode).toBe(403);
    expect((await t.app.inject({ method: "GET", url: "/api/staff", headers: { cookie: staff } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: "GET", url: "/api/staff" })).statusCode).toBe(401);
  });

  it("answers bad input with 400 naming the field, and changes nothing", async () => {
    const before = await t.database.db.staff.count();
    const cases = [
      { payload: { ...newStaff, email: "not-an-email" }, field: "body.email" },
      { payload: { ...newStaff, email: "y@example.org", roles: ["superuser"] }, field: "body.roles.0" },
      { payload: { ...newStaff, email: "y@example.org", password: "short" }, field: "body.password" },
      { payload: { ...newStaff, email: "y@example.org", name: 42 }, field: "body.name" },
    ];
    for (const { payload, field } of cases) {
      const res = await t.app.inject({ method: "POST", url: "/api/staff", headers: { cookie: admin }, payload });
      expect(res.statusCode, field).toBe(400);
      expect(res.json().error.code).toBe("invalid_request");
      expect(res.json().error.message).toContain(field);
    }
    expect(await t.database.db.staff.count()).toBe(before);
  });

  it("answers malformed JSON with 400, never 500", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/staff",
      headers: { cookie: admin, "content-type": "application/json" },
      payload: '{"email": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe("invalid_json");
  });

  it("answers an unknown staff id with 404", async () => {
    const res = await t.app.inject({ method: "PATCH", url: "/api/staff/nope", headers: { cookie: admin }, payload: { active: false } });
    expect(res.statusCode).toBe(404);
  });

  it("an admin can neither deactivate themselves nor leave no active admin; reactivating and resetting a password work", async () => {
    const patch = (id: string, payload: object, cookie = admin) =>
      t.app.inject({ method: "PATCH", url: `/api/staff/${id}`, headers: { cookie }, payload });
    const adminRow = await t.database.db.staff.findUniqueOrThrow({ where: { email: "admin@example.org" } });
    const self = await patch(adminRow.id, { active: false });
    expect(self.statusCode).toBe(409);
    expect(self.json().error.code).toBe("cannot_deactivate_self");
    const demote = await patch(adminRow.id, { roles: ["staff"] });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.code).toBe("last_admin");
    expect((await t.database.db.staff.findUniqueOrThrow({ where: { id: adminRow.id } })).active).toBe(true);

    // With a second admin, the first may step down, and be deactivated by the other.
    const second = await t.app.inject({
      method: "POST",
      url: "/api/staff",
      headers: { cookie: admin },
      payload: { ...newStaff, email: "second-admin@example.org", roles: ["staff", "admin"] },
    });
    const secondId = second.json().staff.id;
    const secondCookie = await signIn(t.app, "second-admin@example.org", newStaff.password);
    expect((await patch(adminRow.id, { active: false }, secondCookie)).statusCode).toBe(200);
    expect((await t.app.inject({ method: "GET", url: "/api/staff", headers: { cookie: admin } })).statusCode).toBe(401);
    const last = await patch(secondId, { roles: ["staff"] }, secondCookie);
    expect(last.json().error.code).toBe("last_admin");
    expect((await patch(adminRow.id, { active: true }, secondCookie)).json().staff.active).toBe(true);

    const resetBy = (cookie: string, password: string) =>
      t.app.inject({ method: "POST", url: `/api/staff/${adminRow.id}/password`, headers: { cookie }, payload: { password } });
    expect((await resetBy(secondCookie, "a brand new long password")).statusCode).toBe(200);
    await signIn(t.app, "admin@example.org", "a brand new long password");
    expect((await resetBy(secondCookie, "short")).statusCode).toBe(400);
    expect((await resetBy(staff, "another long password")).statusCode).toBe(403);
    const audit = await t.database.db.auditEvent.findMany({ where: { action: "staff.password_reset", subjectId: adminRow.id } });
    expect(audit).toHaveLength(1);
  });
});
