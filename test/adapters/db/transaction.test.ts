// The one way into the database for a change, on a real PostgreSQL: a connection the server
// drops in the middle of the work is retried once on a fresh one and the change commits exactly
// once; anything else (a refusal, a second loss) reaches the caller after one run. A session lock
// taken in a transaction is held by it until it ends; the statements stay prepared on their connection.
import pg from "pg";
import { describe, expect, it } from "vitest";
import { pgConfig } from "../../../src/adapters/db/connection.ts";
import { queryableOf } from "../../../src/adapters/db/driver.ts";
import { conflict } from "../../../src/domain/errors.ts";
import { createStaff } from "../../../src/domain/staff.ts";
import { type Store, storeOf } from "../../../src/domain/unit-of-work.ts";
import { liveSession } from "../../helpers/crowd.ts";
import { postgresAvailable } from "../../helpers/db.ts";
import { openedScratch } from "../../helpers/scratch.ts";

describe.skipIf(!postgresAvailable)("a transaction whose connection is dropped, on postgresql", () => {
  let store: Store;
  const scratch = openedScratch("postgresql", async (database) => {
    store = storeOf(database);
  });

  /** Ends this transaction's own connection from the server side, as a restart or a failover would. */
  const dropConnection = (store: Parameters<Parameters<Store["transaction"]>[0]>[0]) =>
    store.tx.$queryRawUnsafe("SELECT pg_terminate_backend(pg_backend_pid())").catch(() => undefined);

  it("runs the work again on a fresh connection and commits it once", async () => {
    let runs = 0;
    await store.transaction(async (uow) => {
      runs++;
      await uow.audit.append({ actorType: "system", action: "test.before_drop", data: { run: runs } });
      if (runs === 1) await dropConnection(uow);
      await uow.audit.append({ actorType: "system", action: "test.after_drop", data: { run: runs } });
    });
    expect(runs).toBe(2);
    const kept = await scratch.database.db.auditEvent.findMany({ orderBy: { seq: "asc" } });
    expect(kept.map((e) => [e.action, JSON.parse(e.data).run])).toEqual([
      ["test.before_drop", 2],
      ["test.after_drop", 2],
    ]);
  });

  it("retries once only: a second loss reaches the caller, and nothing is committed", async () => {
    const before = await scratch.database.db.auditEvent.count();
    let runs = 0;
    const failed = store.transaction(async (uow) => {
      runs++;
      await uow.audit.append({ actorType: "system", action: "test.lost_twice" });
      await dropConnection(uow);
      await uow.tx.auditEvent.count();
    });
    await expect(failed).rejects.toThrow();
    expect(runs).toBe(2);
    expect(await scratch.database.db.auditEvent.count()).toBe(before);
  });

  it("never runs a refused unit twice", async () => {
    let runs = 0;
    const refused = store.transaction(async () => {
      runs++;
      throw conflict("test", "refused");
    });
    await expect(refused).rejects.toThrow("refused");
    expect(runs).toBe(1);
  });

  it("keeps the statements it runs prepared on its connection, and leaves statements with long lists unprepared", async () => {
    const names = await store.transaction(async ({ tx }) => {
      const connection = queryableOf(tx);
      const run = (sql: string, args: string[]) =>
        connection.queryRaw({ sql, args, argTypes: args.map(() => ({ scalarType: "string", arity: "scalar" })) });
      const short = ["a", "b"];
      const long = Array.from({ length: 40 }, (_, i) => `id-${i}`);
      const marks = (list: string[]) => list.map((_, i) => `$${i + 1}`).join(", ");
      await run(`SELECT id FROM "Session" WHERE id IN (${marks(short)})`, short);
      await run(`SELECT id FROM "Session" WHERE id IN (${marks(long)})`, long);
      const prepared = await run(`SELECT statement FROM pg_prepared_statements WHERE name LIKE 'gk_%'`, []);
      return prepared.rows.map(([statement]) => String(statement));
    });
    expect(names.some((text) => text.includes("IN ($1, $2)"))).toBe(true);
    expect(names.some((text) => text.includes("$40"))).toBe(false);
  });

  // The locks are taken on the driver adapter under the transaction's client, not through Prisma:
  // taken on any other connection, they would be let go at once and guard nothing.
  it.each([
    ["share", { share: "free", update: "held" }],
    ["update", { share: "held", update: "held" }],
  ] as const)("holds a session's %s lock in the transaction that took it, until it ends", async (mode, expected) => {
    const lead = await createStaff(
      store,
      { email: `lead-${mode}@example.org`, name: "Lead", password: "a long password 123", roles: ["staff"] },
      null,
    );
    const { sessionId } = await liveSession(scratch.database, lead.id, 1, new Date());
    const other = new pg.Client(pgConfig(scratch.url));
    await other.connect();
    /** Whether another connection finds the session locked against `wanted`. */
    const tried = (wanted: "share" | "update") =>
      other.query(`SELECT id FROM "Session" WHERE id = $1 FOR ${wanted.toUpperCase()} NOWAIT`, [sessionId]).then(
        () => "free",
        (err: { code?: string }) => (err.code === "55P03" ? "held" : `failed: ${err.code}`),
      );
    try {
      await store.transaction(async ({ lockSession }) => {
        await lockSession(sessionId, mode);
        expect({ share: await tried("share"), update: await tried("update") }).toEqual(expected);
      });
      expect({ share: await tried("share"), update: await tried("update") }).toEqual({ share: "free", update: "free" });
    } finally {
      await other.end();
    }
  });
});
