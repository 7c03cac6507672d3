// The writes made by hand (src/adapters/db/writes/) against the Prisma writes they replace, which
// are written out here as the reference: two twin sessions start alike, one batch of entries is
// written through Prisma into one and by hand into the other, and the rows they leave must be the
// same, on both providers, over random batches. Mutating the hand-written SQL must fail the property.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Database } from "../../../src/adapters/db/client.ts";
import { queryableOf } from "../../../src/adapters/db/driver.ts";
import { type AdmissionWrites, admissionSql, writeAdmissions } from "../../../src/adapters/db/writes/admissions.ts";
import { type EntryWrites, entrySql, writeEntries } from "../../../src/adapters/db/writes/entries.ts";
import { inWaitingRoom } from "../../../src/contract/vocabulary.ts";
import { storedChecks } from "../../../src/domain/decisions.ts";
import { createStaff } from "../../../src/domain/staff.ts";
import { storeOf } from "../../../src/domain/unit-of-work.ts";
import { liveSession } from "../../helpers/crowd.ts";
import { providers } from "../../helpers/db.ts";
import { openedScratch } from "../../helpers/scratch.ts";

const people = 6;
const states = ["invited", "waiting", "away", "admitted", "refused", "returned", "removed", "ended"] as const;

/** A batch: each person's state before it, who agrees (to which version) and who arrives (by index). */
const batch = fc.record({
  before: fc.array(fc.constantFrom(...states), { minLength: people, maxLength: people }),
  agreeing: fc.uniqueArray(fc.record({ index: fc.nat(people - 1), version: fc.integer({ min: 1, max: 3 }), asVolunteer: fc.boolean() }), {
    selector: (a) => a.index,
    maxLength: people,
  }),
  arriving: fc.uniqueArray(fc.nat(people - 1), { maxLength: people }),
  at: fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }).map((ms) => new Date(ms)),
});
type Batch = typeof batch extends fc.Arbitrary<infer B> ? B : never;

/** An admission batch: states before, and each decision (by index) with its checks. */
const admissions = fc.record({
  before: fc.array(fc.constantFrom(...states), { minLength: people, maxLength: people }),
  decided: fc.uniqueArray(
    fc.record({
      index: fc.nat(people - 1),
      allowed: fc.boolean(),
      checks: fc.array(fc.record({ rule: fc.constantFrom("R1", "R5", "R9"), passed: fc.boolean(), reason: fc.string({ maxLength: 6 }) }), {
        maxLength: 3,
      }),
    }),
    // A batch decides one person at least (admit and "admit all" are never called with nobody).
    { selector: (d) => d.index, minLength: 1, maxLength: people },
  ),
  at: batch.map((b) => b.at),
});
type Admissions = typeof admissions extends fc.Arbitrary<infer A> ? A : never;

/** What the entry batch wrote through Prisma before it was written by hand. */
async function throughPrisma(database: Database, writes: EntryWrites, now: Date) {
  await database.transaction(async (tx) => {
    if (writes.agreements.length)
      await tx.guidelinesAgreement.createMany({ data: writes.agreements.map((a) => ({ ...a, createdAt: now })) });
    if (writes.arrivals.length)
      await tx.attendee.updateMany({
        where: { id: { in: writes.arrivals }, state: "invited" },
        data: { state: "waiting", stateChangedAt: now },
      });
  });
}

/** A mutated statement's property fails on a difference in the rows, not on an error from the statement. */
async function expectCaught<T extends [unknown]>(property: fc.IAsyncPropertyWithHooks<T>) {
  const result = await fc.check(property, { numRuns: 25 });
  expect(result.failed).toBe(true);
  expect((result.errorInstance as Error).name).toBe("AssertionError");
}

async function byHand(database: Database, writes: EntryWrites, now: Date, sql = entrySql) {
  await database.transaction(async (tx) => writeEntries(queryableOf(tx), writes, now, sql, now));
}

/** What an admission batch wrote through Prisma before it was written by hand; how many moved. */
async function admittedThroughPrisma(database: Database, writes: AdmissionWrites, now: Date) {
  return database.transaction(async (tx) => {
    const { count } = writes.admitted.length
      ? await tx.attendee.updateMany({
          where: { id: { in: writes.admitted }, state: { in: [...inWaitingRoom] } },
          data: { state: "admitted", stateChangedAt: now, admissionSeq: { increment: 1 } },
        })
      : { count: 0 };
    await tx.admissionDecision.createMany({
      data: writes.decisions.map((d) => ({
        ...d,
        action: d.action as "admit" | "denied",
        checks: storedChecks(d.checks as []),
        createdAt: now,
      })),
    });
    return count;
  });
}

describe.each(providers)("hand-written writes on %s", (provider) => {
  let leadId: string;
  const scratch = openedScratch(provider, async (database) => {
    leadId = (
      await createStaff(storeOf(database), { email: "lead@example.org", name: "Lead", password: "a long password", roles: ["staff"] }, null)
    ).id;
  });

  /** One twin session as the batch finds it: its people in the order given, in their states before. */
  async function twin(b: Batch) {
    const before = new Date(b.at.getTime() - 60_000);
    const s = await liveSession(scratch.database, leadId, people, b.at, { arriving: true });
    const ids = s.attendees.map((a) => a.id);
    for (const [i, id] of ids.entries())
      await scratch.database.db.attendee.update({ where: { id }, data: { state: b.before[i]!, stateChangedAt: before } });
    const memberOf = new Map((await scratch.database.db.attendee.findMany({ where: { id: { in: ids } } })).map((a) => [a.id, a.memberId]));
    const writes: EntryWrites = {
      agreements: b.agreeing.map((a) => ({
        attendeeId: ids[a.index]!,
        memberId: a.asVolunteer ? null : memberOf.get(ids[a.index]!)!,
        version: a.version,
      })),
      arrivals: b.arriving.map((i) => ids[i]!),
    };
    return { ids, writes };
  }

  /** What a twin holds afterwards, by each person's place in the session (ids differ between twins). */
  async function rowsOf(ids: string[]) {
    const place = new Map(ids.map((id, i) => [id, i]));
    const attendees = await scratch.database.db.attendee.findMany({
      where: { id: { in: ids } },
      select: { id: true, memberId: true, state: true, stateChangedAt: true },
    });
    const members = new Map(attendees.map((a) => [a.memberId, place.get(a.id)]));
    const agreements = await scratch.database.db.guidelinesAgreement.findMany({ where: { attendeeId: { in: ids } } });
    return {
      attendees: attendees
        .map(({ id, state, stateChangedAt }) => ({ at: place.get(id), state, stateChangedAt }))
        .sort((x, y) => x.at! - y.at!),
      agreements: agreements
        .map((a) => ({
          at: place.get(a.attendeeId),
          member: a.memberId === null ? null : members.get(a.memberId),
          version: a.version,
          createdAt: a.createdAt,
        }))
        .sort((x, y) => x.at! - y.at!),
    };
  }

  const same = (sql = entrySql) =>
    fc.asyncProperty(batch, async (b) => {
      const reference = await twin(b);
      const candidate = await twin(b);
      await throughPrisma(scratch.database, reference.writes, b.at);
      await byHand(scratch.database, candidate.writes, b.at, sql);
      expect(await rowsOf(candidate.ids)).toEqual(await rowsOf(reference.ids));
    });

  test("a batch of entries leaves exactly the rows Prisma's writes left, for any batch", async () => {
    await fc.assert(same(), { numRuns: 25 });
  }, 120_000);

  /** Twin sessions for an admission batch, its writes, and what each twin holds afterwards. */
  async function admissionTwin(b: Admissions) {
    const { ids } = await twin({ before: b.before, agreeing: [], arriving: [], at: b.at });
    const writes: AdmissionWrites = {
      admitted: b.decided.filter((d) => d.allowed).map((d) => ids[d.index]!),
      from: inWaitingRoom,
      decisions: b.decided.map((d) => ({
        sessionId: "",
        attendeeId: ids[d.index]!,
        action: d.allowed ? "admit" : "denied",
        // Plain objects, as the engine makes (fast-check's records have no prototype, which Prisma trips on).
        checks: d.checks.map((c) => ({ ...c })),
        staffId: leadId,
      })),
    };
    const sessionId = (await scratch.database.db.attendee.findUniqueOrThrow({ where: { id: ids[0]! } })).sessionId;
    for (const d of writes.decisions) d.sessionId = sessionId;
    return { ids, writes };
  }

  async function decisionsOf(ids: string[]) {
    const place = new Map(ids.map((id, i) => [id, i]));
    const rows = await scratch.database.db.admissionDecision.findMany({ where: { attendeeId: { in: ids } } });
    const attendees = await scratch.database.db.attendee.findMany({
      where: { id: { in: ids } },
      select: { id: true, state: true, stateChangedAt: true, admissionSeq: true },
    });
    return {
      attendees: attendees.map(({ id, ...rest }) => ({ at: place.get(id), ...rest })).sort((x, y) => x.at! - y.at!),
      decisions: rows
        .map(({ attendeeId, action, checks, staffId, message, createdAt }) => ({
          at: place.get(attendeeId),
          action,
          checks,
          staffId,
          message,
          createdAt,
        }))
        .sort((x, y) => x.at! - y.at!),
    };
  }

  const sameAdmissions = (sql = admissionSql) =>
    fc.asyncProperty(admissions, async (b) => {
      const reference = await admissionTwin(b);
      const candidate = await admissionTwin(b);
      const movedThroughPrisma = await admittedThroughPrisma(scratch.database, reference.writes, b.at);
      const moved = await scratch.database.transaction(async (tx) => writeAdmissions(queryableOf(tx), candidate.writes, b.at, sql, b.at));
      expect(moved).toBe(movedThroughPrisma);
      expect(await decisionsOf(candidate.ids)).toEqual(await decisionsOf(reference.ids));
    });

  test("an admission batch leaves exactly the rows Prisma's writes left, and moves as many, for any batch", async () => {
    await fc.assert(sameAdmissions(), { numRuns: 25 });
  }, 120_000);

  test.each<[string, typeof admissionSql]>([
    [
      "anyone is let in, whatever their state",
      {
        ...admissionSql,
        admitted: (q, p, s) => admissionSql.admitted(q, p, s).replace(/ AND "state" IN \(([^)]*)\)/, ' AND ("state" IN ($1) OR 1 = 1)'),
      },
    ],
    [
      "the admission count is not raised",
      { ...admissionSql, admitted: (q, p, s) => admissionSql.admitted(q, p, s).replace(`"admissionSeq" + 1`, `"admissionSeq"`) },
    ],
    [
      "the session and the member of staff swapped",
      {
        ...admissionSql,
        decisions: (q, n, from) =>
          admissionSql
            .decisions(q, n, from)
            .replace(
              `("id", "sessionId", "attendeeId", "action", "checks", "staffId"`,
              `("id", "staffId", "attendeeId", "action", "checks", "sessionId"`,
            ),
      },
    ],
  ])("the admission property catches a mutation: %s", async (_name, mutated) => expectCaught(sameAdmissions(mutated)), 120_000);

  test("the agreements get ids of their own, in the order they were made (UUIDv7, as Prisma's default)", async () => {
    const { ids, writes } = await twin(fc.sample(batch, { numRuns: 1, seed: 3 })[0]!);
    writes.agreements = ids.map((attendeeId) => ({ attendeeId, memberId: null, version: 1 }));
    await byHand(scratch.database, writes, new Date());
    const made = await scratch.database.db.guidelinesAgreement.findMany({ where: { attendeeId: { in: ids } }, orderBy: { id: "asc" } });
    expect(made.map((a) => a.attendeeId)).toEqual(ids);
    expect(made.every((a) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(a.id))).toBe(true);
  });

  test.each<[string, typeof entrySql]>([
    [
      "anyone arrives, whatever their state",
      { ...entrySql, arrivals: (q, n) => entrySql.arrivals(q, n).replace(` AND "state" = 'invited'`, "") },
    ],
    ["arrivals become away", { ...entrySql, arrivals: (q, n) => entrySql.arrivals(q, n).replace(`'waiting'`, `'away'`) }],
    [
      "every agreement one version ahead",
      {
        ...entrySql,
        agreements: (q, n) => {
          const [columns, values] = entrySql.agreements(q, n).split(" VALUES ");
          return `${columns} VALUES ${values!.replace(/\(([^,()]+), ([^,()]+), ([^,()]+), ([^,()]+), ([^,()]+)\)/g, "($1, $2, $3, $4 + 1, $5)")}`;
        },
      },
    ],
  ])("the property catches a mutation: %s", async (_name, mutated) => expectCaught(same(mutated)), 120_000);
});
