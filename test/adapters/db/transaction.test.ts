// The one way into the database for a change, on a real PostgreSQL: a connection the server
// drops in the middle of the work is retried once on a fresh one and the change commits exactly
// once; anything else (a refusal, a second loss) reaches the caller after one run. A session lock
// taken in a transaction is held by it until it ends; the statements stay prepared on their connection.
import type { SqlDriverAdapter, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { describe, expect, it, vi } from "vitest";
import { pgConfig } from "../../../src/adapters/db/connection.ts";
import { queryableOf, runBare } from "../../../src/adapters/db/driver.ts";
import { databaseTrouble } from "../../../src/adapters/db/errors.ts";
import { conflict } from "../../../src/domain/errors.ts";
import { createStaff } from "../../../src/domain/staff.ts";
import { type BareUow, type Store, storeOf } from "../../../src/domain/unit-of-work.ts";
import { liveSession } from "../../helpers/crowd.ts";
import { postgresAvailable } from "../../helpers/db.ts";
import { openedScratch } from "../../helpers/scratch.ts";

/** A statement with no arguments, on the transaction's own connection. */
const run = (uow: BareUow, sql: string) => queryableOf(uow.tx).queryRaw({ sql, args: [], argTypes: [] });

/** Ends this transaction's own connection from the server side, as a restart or a failover would. */
const dropConnection = (uow: BareUow) => run(uow, "SELECT pg_terminate_backend(pg_backend_pid())").catch(() => undefined);

// Both kinds of transaction: Prisma's, and the bare one on the adapter alone (driver.ts), which
// must keep every promise Prisma's keeps.
describe.skipIf(!postgresAvailable).each(["transaction", "bareTransaction"] as const)("a %s on postgresql", (kind) => {
  let store: Store;
  const scratch = openedScratch("postgresql", async (database) => {
    store = storeOf(database);
  });
  const transaction = <T>(work: (uow: BareUow) => Promise<T>, options?: { timeout?: number }) =>
    kind === "transaction" ? store.transaction(work, options) : store.bareTransaction(work, options);

  it("runs the work again on a fresh connection and commits it once", async () => {
    let runs = 0;
    await transaction(async (uow) => {
      runs++;
      await uow.audit.append({ actorType: "system", action: "test.before_drop", data: { run: runs } });
      if (runs === 1) await dropConnection(uow);
      await uow.audit.append({ actorType: "system", action: "test.after_drop", data: { run: runs } });
    });
    expect(runs).toBe(2);
    const kept = await scratch.database.db.auditEvent.findMany({ orderBy: { seq: "asc" } });
    expect(kept.filter((e) => e.action.endsWith("_drop")).map((e) => [e.action, JSON.parse(e.data).run])).toEqual([
      ["test.before_drop", 2],
      ["test.after_drop", 2],
    ]);
  });

  it("retries once only: a second loss reaches the caller, and nothing is committed", async () => {
    const before = await scratch.database.db.auditEvent.count();
    let runs = 0;
    const failed = transaction(async (uow) => {
      runs++;
      await uow.audit.append({ actorType: "system", action: "test.lost_twice" });
      await dropConnection(uow);
      await run(uow, `SELECT count(*) FROM "AuditEvent"`);
    });
    await expect(failed).rejects.toThrow();
    expect(runs).toBe(2);
    expect(await scratch.database.db.auditEvent.count()).toBe(before);
  });

  it("never runs a refused unit twice", async () => {
    let runs = 0;
    const refused = transaction(async () => {
      runs++;
      throw conflict("test", "refused");
    });
    await expect(refused).rejects.toThrow("refused");
    expect(runs).toBe(1);
  });

  it("keeps the statements it runs prepared on its connection, and leaves statements with long lists unprepared", async () => {
    const names = await transaction(async ({ tx }) => {
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
      await transaction(async ({ lockSession }) => {
        await lockSession(sessionId, mode);
        expect({ share: await tried("share"), update: await tried("update") }).toEqual(expected);
      });
      expect({ share: await tried("share"), update: await tried("update") }).toEqual({ share: "free", update: "free" });
      // Open longer than its time allows: rolled back (its lock let go), and what it asks after is refused.
      const before = await scratch.database.db.auditEvent.count();
      const overran = transaction(
        async (uow) => {
          await uow.lockSession(sessionId, mode);
          await uow.audit.append({ actorType: "system", action: "test.overran" });
          await new Promise((resolve) => setTimeout(resolve, 600));
          expect({ share: await tried("share"), update: await tried("update") }).toEqual({ share: "free", update: "free" });
          await run(uow, "SELECT 1");
        },
        { timeout: 300 },
      );
      await expect(overran).rejects.toThrow();
      expect(await scratch.database.db.auditEvent.count()).toBe(before);
    } finally {
      await other.end();
    }
  });

  it("opens a Prisma transaction only if it is Prisma's, and commits what it wrote", async () => {
    const opened = vi.spyOn(scratch.database.db, "$transaction");
    try {
      const before = await scratch.database.db.auditEvent.count();
      await transaction(async (uow) => uow.audit.append({ actorType: "system", action: "test.written" }));
      expect(opened).toHaveBeenCalledTimes(kind === "transaction" ? 1 : 0);
      expect(await scratch.database.db.auditEvent.count()).toBe(before + 1);
    } finally {
      opened.mockRestore();
    }
  });
});

// The wait for a connection, without a database: an adapter whose transactions begin when told.
describe("a bare transaction waiting for a connection", () => {
  function slowAdapter() {
    const statements: string[] = [];
    let begin: (() => void) | undefined;
    const transaction = {
      provider: "postgres",
      adapterName: "test",
      options: { usePhantomQuery: false },
      queryRaw: async () => ({ columnNames: [], columnTypes: [], rows: [] }),
      executeRaw: async (query: SqlQuery) => {
        statements.push(query.sql);
        return 0;
      },
      commit: async () => void statements.push("(released)"),
      rollback: async () => void statements.push("(released)"),
    } as unknown as Transaction;
    const adapter = {
      startTransaction: () => new Promise<Transaction>((resolve) => (begin = () => resolve(transaction))),
    } as unknown as SqlDriverAdapter;
    return { adapter, statements, begin: () => begin?.() };
  }

  it("gives up after its wait with Prisma's error for it, runs nothing, and rolls back the transaction begun too late", async () => {
    const { adapter, statements, begin } = slowAdapter();
    let ran = false;
    const waited = runBare(
      adapter,
      async () => {
        ran = true;
      },
      { maxWaitMs: 50, timeoutMs: 1000 },
    );
    await expect(waited).rejects.toMatchObject({ code: "P2024" });
    expect(databaseTrouble(await waited.catch((e: unknown) => e))).toBe("unavailable");
    begin();
    await vi.waitFor(() => expect(statements).toEqual(["ROLLBACK", "(released)"]));
    expect(ran).toBe(false);
  });

  it("runs and commits once a connection comes within its wait", async () => {
    const { adapter, statements, begin } = slowAdapter();
    const done = runBare(adapter, async () => "done", { maxWaitMs: 1000, timeoutMs: 1000 });
    setTimeout(begin, 20);
    await expect(done).resolves.toBe("done");
    expect(statements).toEqual(["COMMIT", "(released)"]);
  });
});
