// The audit chain's appends (R8). On PostgreSQL the database hashes each event of a batch of up to
// 64 onto the one before it, in the statement that locks the head (chainSql); everywhere the
// chain is checked by hashing it again here (verifyChain). Random events, with any text in any field, must give a chain that
// verifies, whatever the batch sizes and from an empty trail; a mutated statement must not.
import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/adapters/db/client.ts";
import { queryableOf } from "../../src/adapters/db/driver.ts";
import {
  type AuditInput,
  chainOnPostgres,
  chainSql,
  hashEvent,
  hashedPieces,
  type Unchained,
  verifyChain,
} from "../../src/domain/audit.ts";
import { storeOf } from "../../src/domain/unit-of-work.ts";
import { providers, scratchDatabase } from "../helpers/db.ts";
import { openedScratch } from "../helpers/scratch.ts";

/** Any text PostgreSQL's text can hold (no NUL), from every Unicode plane. */
const text = fc.string({ unit: "grapheme", maxLength: 12 }).map((s) => s.replaceAll("\u0000", ""));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const time = fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true });

const unchained: fc.Arbitrary<Unchained> = fc.record({
  at: time,
  actorType: text,
  actorId: maybe(text),
  action: text,
  sessionId: maybe(text),
  subjectId: maybe(text),
  data: fc.json(),
});

const event: fc.Arbitrary<AuditInput> = fc.record(
  {
    actorType: fc.constantFrom("staff", "carer", "attendee", "livekit", "system"),
    actorId: maybe(text),
    action: text,
    sessionId: maybe(text),
    subjectId: maybe(text),
    data: fc.dictionary(text, fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 4 }),
  },
  { requiredKeys: ["actorType", "action"] },
);

describe("an event's hashed text in two pieces", () => {
  it("the pieces around the previous hash and the number hash to the event's hash, for any event", () => {
    fc.assert(
      fc.property(
        unchained,
        fc.nat(),
        fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 64, maxLength: 64 }),
        (e, seq, prevHash) => {
          const { prefix, suffix } = hashedPieces(e);
          const joined = createHash("sha256").update(`${prefix}${prevHash}","seq":${seq}${suffix}`).digest("hex");
          expect(joined).toBe(hashEvent({ ...e, seq, prevHash }));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe.each(providers)("appending to the chain on %s", (provider) => {
  const opened = openedScratch(provider);

  it("random batches of random events, from an empty trail, make one chain that verifies", async () => {
    let count = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(event, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 }), async (batches) => {
        for (const batch of batches) await storeOf(opened.database).transaction(({ audit }) => audit.append(...batch));
        count += batches.flat().length;
        expect(await verifyChain(opened.database.db)).toMatchObject({ ok: true, count });
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  // On PostgreSQL a batch of up to 64 is hashed by the opened.database, a longer one here; past a thousand
  // the insert takes more than one statement.
  it.each([64, 65, 1005])(
    "a batch of %i events continues the chain",
    async (size) => {
      const before = await verifyChain(opened.database.db);
      const events = Array.from({ length: size }, (_, i) => ({
        actorType: "system" as const,
        action: "test.many",
        data: { i, text: "Zoë 東京" },
      }));
      await storeOf(opened.database).transaction(({ audit }) => audit.append(...events));
      expect(await verifyChain(opened.database.db)).toMatchObject({ ok: true, count: before.count + size });
    },
    60_000,
  );

  // The statement that hashes on PostgreSQL: each mistake it could make must break the chain.
  if (provider === "postgresql")
    it.each([
      ["the number's separator changed", (sql: string) => sql.replace(`'","seq":'`, `'","seq": '`), "broken"],
      // LATIN1 cannot hold every character: PostgreSQL refuses the text, and the change with it.
      ["the text hashed in another encoding", (sql: string) => sql.replace(`'UTF8'`, `'LATIN1'`), "refused"],
      [
        "the pieces swapped",
        (sql: string) => sql.replace(`(CAST($2 AS text[]))[c."n" + 1] ||`, `(CAST($3 AS text[]))[c."n" + 1] ||`),
        "broken",
      ],
    ])("a mutated statement is caught: %s", async (_name, mutate, outcome) => {
      const mutated = mutate(chainSql);
      expect(mutated).not.toBe(chainSql);
      const mistaken = await scratchDatabase(provider);
      const other = await openDatabase(mistaken.url);
      try {
        await storeOf(other).transaction(({ audit }) => audit.append({ actorType: "system", action: "test.first" }));
        const events = fc.sample(unchained, { numRuns: 5, seed: 3 }).map((e) => ({ ...e, actorId: "Zoë — 東京 🌍" }));
        // The same events through the statement as it is: they verify.
        await other.transaction(async (tx) => chainOnPostgres(queryableOf(tx), events));
        expect(await verifyChain(other.db)).toMatchObject({ ok: true, count: 6 });
        const wrote = await other
          .transaction(async (tx) => chainOnPostgres(queryableOf(tx), events, mutated))
          .then(
            () => "broken",
            () => "refused",
          );
        expect(wrote).toBe(outcome);
        expect(await verifyChain(other.db)).toMatchObject({ ok: outcome === "refused" });
      } finally {
        await other.close();
        await mistaken.drop();
      }
    });
});
