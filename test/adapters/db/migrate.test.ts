import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { pendingSql } from "../../../scripts/migrations.ts";
import { openDatabase } from "../../../src/adapters/db/client.ts";
import { applyMigrations, migrationNames } from "../../../src/adapters/db/migrate.ts";
import { readModels, renderSchema, schemaPath } from "../../../src/adapters/db/schemas.ts";
import { createStaff } from "../../../src/domain/staff.ts";
import { storeOf } from "../../../src/domain/unit-of-work.ts";
import { providers, type ScratchDatabase, scratchDatabase } from "../../helpers/db.ts";

describe.each(providers)("migrations on %s", (provider) => {
  let scratch: ScratchDatabase;
  afterEach(async () => scratch?.drop());

  it("apply every checked-in migration to an empty database, then nothing the second time", async () => {
    scratch = await scratchDatabase(provider);
    expect(await applyMigrations(scratch.url)).toEqual(migrationNames(provider));
    expect(migrationNames(provider).length).toBeGreaterThan(0);
    expect(await applyMigrations(scratch.url)).toEqual([]);
    const database = await openDatabase(scratch.url);
    expect(await database.migrationsApplied()).toBe(true);
    await database.close();
  });

  it("agree with prisma/models.prisma (no drift between the model and the migrations)", async () => {
    scratch = await scratchDatabase(provider);
    expect(await pendingSql(scratch.url)).toBe("");
  });

  it("report drift when the model gains a field the migrations lack", async () => {
    scratch = await scratchDatabase(provider);
    const changed = readModels().replace("model Member {", "model Member {\n  nickname String?");
    expect(await pendingSql(scratch.url, changed)).toMatch(/nickname/);
  });

  it("typed_columns converts every stored value in place: enums and JSON read back typed, nothing lost", async () => {
    scratch = await scratchDatabase(provider);
    // A database as the version before it left one, with a row in every converted column.
    await applyMigrations(scratch.url, "20261125154900_append_only");
    const old = await openDatabase(scratch.url, { migrate: false });
    const at = "'2026-03-03 14:00:00'";
    for (const statement of [
      `INSERT INTO "Staff" ("id", "email", "name", "passwordHash", "roles") VALUES ('st', 'a@example.org', 'A', 'x', 'staff')`,
      `INSERT INTO "Settings" ("id", "timeZone", "agreedHours", "emergencyName", "emergencyPhone", "updatedAt") VALUES ('org', 'Europe/London', '{"mon":[{"start":"09:00","end":"17:00"}],"tue":[],"wed":[],"thu":[],"fri":[],"sat":[],"sun":[]}', 'Duty', '0161', ${at})`,
      `INSERT INTO "GuidelinesVersion" ("id", "audience", "version", "body") VALUES ('gv', 'carer', 2, '["Stay close by."]')`,
      `INSERT INTO "Member" ("id", "displayName", "livesWithCarer") VALUES ('m', 'Alex', true)`,
      `INSERT INTO "Consent" ("id", "memberId", "type", "givenBy", "method", "recordedById") VALUES ('c', 'm', 'video', 'member', 'verbal', 'st')`,
      `INSERT INTO "Session" ("id", "title", "startsAt", "endsAt", "delivery", "leadStaffId", "roomName", "status", "createdById", "summary") VALUES ('s', 'Art', ${at}, ${at}, 'home', 'st', 'gk_r', 'ended', 'st', '{"startedAt":null,"endedAt":"2026-03-03T15:00:00.000Z","attendees":[]}')`,
      `INSERT INTO "Attendee" ("id", "sessionId", "kind", "memberId", "displayName", "state") VALUES ('a', 's', 'member', 'm', 'Alex', 'away')`,
      `INSERT INTO "Link" ("id", "attendeeId", "kind", "tokenHash") VALUES ('l', 'a', 'carer', 'h')`,
      `INSERT INTO "AdmissionDecision" ("id", "sessionId", "attendeeId", "action", "checks") VALUES ('d', 's', 'a', 'return', '[{"rule":"R1.waiting-room","outcome":"pass","code":"R1.ok","reason":"r"}]')`,
      `INSERT INTO "Attendance" ("id", "eventId", "sessionId", "identity", "event", "at") VALUES ('e', 'ev', 's', 'a', 'room_finished', ${at})`,
    ])
      await old.db.$executeRawUnsafe(statement);
    await old.close();

    const database = await openDatabase(scratch.url);
    try {
      const { db } = database;
      expect((await db.settings.findUniqueOrThrow({ where: { id: "org" }, select: { agreedHours: true } })).agreedHours).toMatchObject({
        mon: [{ start: "09:00", end: "17:00" }],
      });
      expect(await db.guidelinesVersion.findUniqueOrThrow({ where: { id: "gv" }, select: { audience: true, body: true } })).toEqual({
        audience: "carer",
        body: ["Stay close by."],
      });
      expect(await db.consent.findUniqueOrThrow({ where: { id: "c" }, select: { type: true, givenBy: true, method: true } })).toEqual({
        type: "video",
        givenBy: "member",
        method: "verbal",
      });
      const session = await db.session.findUniqueOrThrow({ where: { id: "s" }, select: { delivery: true, status: true, summary: true } });
      expect(session).toMatchObject({ delivery: "home", status: "ended", summary: { attendees: [] } });
      expect(await db.attendee.findUniqueOrThrow({ where: { id: "a" }, select: { kind: true, state: true } })).toEqual({
        kind: "member",
        state: "away",
      });
      expect((await db.link.findUniqueOrThrow({ where: { id: "l" } })).kind).toBe("carer");
      const decision = await db.admissionDecision.findUniqueOrThrow({ where: { id: "d" }, select: { action: true, checks: true } });
      expect(decision).toEqual({ action: "return", checks: [{ rule: "R1.waiting-room", outcome: "pass", code: "R1.ok", reason: "r" }] });
      expect((await db.attendance.findUniqueOrThrow({ where: { id: "e" } })).event).toBe("room_finished");
      // The new defaults are enum values, and the append-only tables are still append-only.
      expect((await db.attendee.create({ data: { sessionId: "s", kind: "volunteer", displayName: "Vic" } })).state).toBe("invited");
      await expect(db.$executeRawUnsafe(`UPDATE "AdmissionDecision" SET "message" = 'x'`)).rejects.toThrow(/append-only/);
      await expect(db.$executeRawUnsafe(`DELETE FROM "GuidelinesVersion"`)).rejects.toThrow(/append-only/);
    } finally {
      await database.close();
    }
  });

  it("keep data across a restart", async () => {
    scratch = await scratchDatabase(provider);
    const first = await openDatabase(scratch.url);
    const staff = await createStaff(
      storeOf(first),
      { email: "kept@example.org", name: "Kept", password: "a long password", roles: ["staff"] },
      null,
    );
    await first.close();
    const second = await openDatabase(scratch.url);
    expect((await second.db.staff.findUnique({ where: { id: staff.id } }))?.email).toBe("kept@example.org");
    await second.close();
  });
});

describe("provider schemas", () => {
  it("are exactly the one model source plus a provider header (npm run db:generate rewrites them)", () => {
    for (const provider of ["sqlite", "postgresql"] as const) {
      expect(readFileSync(schemaPath(provider), "utf8")).toBe(renderSchema(provider));
    }
  });
});
