// The one way into the database for a change: `ctx.transaction(async (uow) => …)`. A unit of work
// carries the open transaction, one reading of the clock for everything it records, the audit
// trail to append to (committed with the change it records) and the session lock, so domain
// code never asks which database it is on. A connection lost before the work finishes is
// retried once on a fresh one (the adapter's `transaction`).
import type { AnyTx, Database, Tx } from "../adapters/db/client.ts";
import { queryableOf } from "../adapters/db/driver.ts";
import { execute } from "../adapters/db/reads/sql.ts";
import { type AuditInput, appendAuditBatch } from "./audit.ts";

/** A unit of work in a Prisma transaction (`Store.transaction`). */
export type Uow = UnitOfWork<Tx>;

/**
 * A unit of work whose statements are all written by hand (`Store.bareTransaction`): its `tx`
 * has no Prisma methods. Functions that take one also take a `Uow`.
 */
export type BareUow = UnitOfWork<AnyTx>;

export interface UnitOfWork<T extends AnyTx> {
  readonly tx: T;
  /** When this unit happened: every row and event it writes carries this time. */
  readonly now: Date;
  /**
   * Events are kept until the work is done and then appended together, in the order given: one
   * read and two writes (one statement on PostgreSQL) per transaction however many events it
   * records, and on PostgreSQL the lock that orders the chain is held only from then until
   * commit. A transaction does not read its own events back.
   */
  readonly audit: { append(...events: AuditInput[]): Promise<void> };
  /**
   * Locks the session row for the rest of the transaction. "update" (the default) serialises
   * decisions that change the session or its people with each other and with ending it. "share"
   * is for minting a token: an end still waits for it (so no token is minted for an ended
   * session), but pages fetching their tokens do not queue behind each other. SQLite
   * transactions already hold the single write lock (the adapter serialises them).
   */
  lockSession(sessionId: string, mode?: "update" | "share"): Promise<void>;
  /**
   * Locks one outbox message for this transaction, or answers false at once when another
   * transaction holds it (PostgreSQL's SKIP LOCKED: two instances never send the same message).
   * SQLite runs one writing transaction at a time, so there it is always true.
   */
  claimMessage(messageId: string): Promise<boolean>;
}

/** What the domain needs of storage: reads through `database.db`, changes through `transaction`. */
export interface Store {
  database: Database;
  /** The time; tests pass a fixed clock. */
  now(): Date;
  transaction<T>(work: (uow: Uow) => Promise<T>, options?: { timeout?: number }): Promise<T>;
  /** The same for work written by hand throughout: on PostgreSQL without Prisma's transaction (client.ts). */
  bareTransaction<T>(work: (uow: BareUow) => Promise<T>, options?: { timeout?: number }): Promise<T>;
}

export function storeOf(database: Database, now: () => Date = () => new Date()): Store {
  const { provider } = database;
  /** Runs `work` as a unit of work in `tx`, then appends the events it recorded. */
  const inUnit = async <T extends AnyTx, R>(tx: T, work: (uow: UnitOfWork<T>) => Promise<R>): Promise<R> => {
    const at = now();
    const events: AuditInput[] = [];
    const result = await work({
      tx,
      now: at,
      audit: {
        async append(...more) {
          events.push(...more);
        },
      },
      async lockSession(sessionId, mode = "update") {
        if (provider !== "postgresql") return;
        // On the adapter under the client, as the audit chain's appends are: every decision locks.
        await execute(queryableOf(tx), `SELECT id FROM "Session" WHERE id = $1 FOR ${mode === "share" ? "SHARE" : "UPDATE"}`, [
          [sessionId, "string"],
        ]);
      },
      async claimMessage(messageId) {
        if (provider !== "postgresql") return true;
        const claimed = await execute(queryableOf(tx), `SELECT id FROM "OutboxMessage" WHERE id = $1 FOR UPDATE SKIP LOCKED`, [
          [messageId, "string"],
        ]);
        return claimed === 1;
      },
    });
    await appendAuditBatch(tx, events, at);
    return result;
  };
  return {
    database,
    now,
    transaction: (work, options) => database.transaction((tx) => inUnit(tx, work), options),
    bareTransaction: (work, options) => database.bareTransaction((tx) => inUnit(tx, work), options),
  };
}
