// Compiled statements are reused under Prisma's SQLite adapter: the same SQL is compiled once and
// bound afresh at each run, with each run's own values (the whole suite runs through it too).
import Sqlite from "better-sqlite3";
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
