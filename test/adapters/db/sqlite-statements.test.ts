// Compiled statements are reused under Prisma's SQLite adapter: the same SQL is compiled once and
// bound afresh at each run, with each run's own values (the whole suite runs through it too).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type { SqlQuery } from "@prisma/driver-adapter-utils";
import Sqlite from "better-sqlite3";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { reuseStatements } from "../../../src/adapters/db/sqlite-statements.ts";

describe("reused SQLite statements", () => {
  it("compile each SQL text once and bind each run's own values, as the adapter uses them", () => {
    const db = new Sqlite(":memory:");
    db.defaultSafeIntegers(true);
    const stats = reuseStatements(db);
    db.prepare("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)").run();
    const insert = "INSERT INTO t (id, name) VALUES (?, ?)";
    for (const [id, name] of [
      [1, "one"],
      [2, "two"],
      [3, "three"],
    ] as const) {
      const stmt = db.prepare(insert).bind([id, name]);
      expect(stmt.reader).toBe(false);
      stmt.run();
    }
    const select = "SELECT id, name FROM t WHERE id = ?";
    const read = (id: number) => {
      const stmt = db.prepare(select).bind([id]);
      expect(stmt.reader).toBe(true);
      return { columns: stmt.columns().map((c) => c.name), rows: stmt.raw().all() };
    };
    expect(read(2)).toEqual({ columns: ["id", "name"], rows: [[2n, "two"]] });
    expect(read(3)).toEqual({ columns: ["id", "name"], rows: [[3n, "three"]] });
    expect(read(9).rows).toEqual([]);
    db.prepare("BEGIN").run();
    db.prepare("DELETE FROM t WHERE id = ?").bind([1]).run();
    db.prepare("COMMIT").run();
    expect(db.prepare("SELECT count(*) FROM t").bind([]).raw().all()).toEqual([[2n]]);
    // create, insert, select, BEGIN, DELETE, COMMIT, count: seven texts, however often they ran.
    expect(stats.compiled()).toBe(7);
  });

  it("a failing statement throws as before and the next run of it works", () => {
    const db = new Sqlite(":memory:");
    reuseStatements(db);
    db.prepare("CREATE TABLE u (id INTEGER PRIMARY KEY)").run();
    const insert = "INSERT INTO u (id) VALUES (?)";
    db.prepare(insert).bind([1]).run();
    expect(() => db.prepare(insert).bind([1]).run()).toThrow(/UNIQUE/);
    db.prepare(insert).bind([2]).run();
    expect(db.prepare("SELECT id FROM u ORDER BY id").bind([]).raw().all()).toEqual([[1], [2]]);
  });
});

describe("hand-written reads run straight on the driver", () => {
  const stringArgs = (sql: string, args: unknown[]): SqlQuery => ({
    sql,
    args,
    argTypes: args.map(() => ({ scalarType: "string" as const, arity: "scalar" as const })),
  });

  it("return exactly what the adapter's queryRaw returns, for every column type the reads use", async () => {
    const adapter = await new PrismaBetterSqlite3({ url: `file:${join(mkdtempSync(join(tmpdir(), "gk-direct-")), "t.db")}` }).connect();
    const { read } = reuseStatements((adapter as unknown as { client: Sqlite.Database }).client);
    await adapter.executeScript(
      'CREATE TABLE "T" ("id" TEXT NOT NULL PRIMARY KEY, "at" DATETIME, "flag" BOOLEAN, "n" INTEGER, "big" BIGINT, "doc" JSONB, "x" REAL, "name" TEXT)',
    );
    // As Prisma stores them (ISO text), and as older rows or other writers may (milliseconds).
    const when = fc.oneof(
      fc.date({ min: new Date(0), max: new Date(Date.UTC(2100, 0)), noInvalidDate: true }).map((d) => d.toISOString()),
      fc.integer({ min: 0, max: 4_102_444_800_000 }),
      fc.double({ min: 0, max: 4_102_444_800_000, noNaN: true }),
    );
    const row = fc.tuple(
      fc.option(when, { nil: null }),
      fc.option(fc.constantFrom(0, 1), { nil: null }),
      fc.option(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), { nil: null }),
      fc.option(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { nil: null }),
      fc.option(fc.json(), { nil: null }),
      fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }),
      fc.option(fc.string(), { nil: null }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 6 }), async (rows) => {
        await adapter.executeRaw(stringArgs('DELETE FROM "T"', []));
        const insert = (adapter as unknown as { client: Sqlite.Database }).client.prepare(
          'INSERT INTO "T" ("id", "at", "flag", "n", "big", "doc", "x", "name") VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        );
        for (const [i, values] of rows.entries()) insert.bind([`r${i}`, ...values]).run();
        const query = stringArgs(
          'SELECT t."id" AS "t.id", t."at", t."flag", t."n", t."big", t."doc", t."x", t."name" FROM "T" t WHERE t."id" <> ? ORDER BY t."id"',
          ["none"],
        );
        const direct = read(query);
        expect(direct).not.toBeNull();
        expect(direct).toStrictEqual(await adapter.queryRaw(query));
      }),
      { numRuns: 150 },
    );
    await adapter.dispose();
  });

  it("leave to the adapter what they cannot match: untyped columns, values not strings, writes", () => {
    const db = new Sqlite(":memory:");
    db.defaultSafeIntegers(true);
    const { read } = reuseStatements(db);
    db.prepare('CREATE TABLE "U" ("id" TEXT, "v" NUMERIC)').run();
    expect(read(stringArgs('SELECT "id" FROM "U" WHERE "id" = ?', ["a"]))).toStrictEqual({
      columnNames: ["id"],
      columnTypes: [7],
      rows: [],
    });
    expect(read(stringArgs('SELECT count(*) AS "n" FROM "U" WHERE "id" = ?', ["a"]))).toBeNull();
    expect(read(stringArgs('SELECT "v" FROM "U" WHERE "id" = ?', ["a"]))).toBeNull();
    expect(read({ sql: 'SELECT "id" FROM "U" WHERE "id" = ?', args: [1], argTypes: [{ scalarType: "int", arity: "scalar" }] })).toBeNull();
    expect(read(stringArgs('INSERT INTO "U" ("id") VALUES (?)', ["a"]))).toBeNull();
  });
});
