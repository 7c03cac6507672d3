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
