// Group commit: who shares a batch, and that every caller gets exactly their own answer.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { groupCommit, type Settled, settle } from "../../src/domain/group-commit.ts";

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** The outcome of an answer, caught at once (a rejection is expected, not unhandled). */
const outcome = (answer: Promise<string>) =>
  answer.then(
    (value) => ({ value }),
    (error: Error) => ({ error: error.message }),
  );

/** A group commit whose batches are recorded and finish only when the test says so. */
function recorder(
  options: { max?: number; distinct?: (item: string) => string; parallel?: () => number; fail?: (items: string[]) => boolean } = {},
) {
  const batches: { key: string; items: string[] }[] = [];
  const gates: (() => void)[] = [];
  const submit = groupCommit<object, string, string>({
    ...options,
    async run(_context, key, items): Promise<Settled<string>[]> {
      batches.push({ key, items });
      await new Promise<void>((resolve) => gates.push(resolve));
      if (options.fail?.(items)) throw new Error("the whole batch failed");
      return items.map((item) => (item.startsWith("bad") ? settle.error(new Error(`no ${item}`)) : settle.value(`done ${item}`)));
    },
  });
  const finishNext = async () => {
    while (gates.length === 0) await turn();
    gates.shift()!();
    await turn();
  };
  return { submit, batches, finishNext };
}

describe("group commit", () => {
  it("runs a lone request on the next turn, in a batch of its own", async () => {
    const { submit, batches, finishNext } = recorder();
    const context = {};
    const answer = submit(context, "s1", "a");
    expect(batches).toHaveLength(0);
    await turn();
    expect(batches).toEqual([{ key: "s1", items: ["a"] }]);
    await finishNext();
    await expect(answer).resolves.toBe("done a");
    expect(submit.stats(context)).toEqual({ batches: 1, items: 1, largest: 1 });
  });

  it("groups requests that arrive together, and those that arrive while a batch runs, in order", async () => {
    const { submit, batches, finishNext } = recorder();
    const context = {};
    const first = [submit(context, "s1", "a"), submit(context, "s1", "b")];
    await turn();
    const second = [submit(context, "s1", "c"), submit(context, "s1", "d"), submit(context, "s1", "e")];
    await finishNext();
    await finishNext();
    expect(batches.map((b) => b.items)).toEqual([
      ["a", "b"],
      ["c", "d", "e"],
    ]);
    expect(await Promise.all([...first, ...second])).toEqual(["done a", "done b", "done c", "done d", "done e"]);
    expect(submit.stats(context)).toEqual({ batches: 2, items: 5, largest: 3 });
  });

  it("keeps keys and contexts apart: each has its own queue, running beside the others", async () => {
    const { submit, batches, finishNext } = recorder();
    const one = {};
    const two = {};
    const answers = [submit(one, "s1", "a"), submit(one, "s2", "b"), submit(two, "s1", "c")];
    await turn();
    expect(batches).toHaveLength(3);
    for (let i = 0; i < 3; i++) await finishNext();
    expect(await Promise.all(answers)).toEqual(["done a", "done b", "done c"]);
    expect(submit.stats(two)).toEqual({ batches: 1, items: 1, largest: 1 });
  });

  it("gives each caller their own error; when a batch's run throws, each item runs again alone and only the bad one fails", async () => {
    const { submit, batches, finishNext } = recorder({ fail: (items) => items.includes("boom") });
    const context = {};
    const first = ["a", "bad1"].map((item) => outcome(submit(context, "s1", item)));
    await turn();
    const second = ["boom", "b"].map((item) => outcome(submit(context, "s1", item)));
    await finishNext();
    await finishNext(); // ["boom", "b"] fails as a whole
    await finishNext(); // "boom" alone
    await finishNext(); // "b" alone
    const after = outcome(submit(context, "s1", "c"));
    await finishNext();
    expect(await Promise.all([...first, ...second, after])).toEqual([
      { value: "done a" },
      { error: "no bad1" },
      { error: "the whole batch failed" },
      { value: "done b" },
      { value: "done c" },
    ]);
    expect(batches.map((b) => b.items)).toEqual([["a", "bad1"], ["boom", "b"], ["boom"], ["b"], ["c"]]);
  });

  it("never puts two requests with the same distinct key, or more than max, in one batch", async () => {
    const { submit, batches, finishNext } = recorder({ max: 2, distinct: (item) => item[0]! });
    const context = {};
    const answers = ["a1", "a2", "b1", "a3", "c1"].map((item) => submit(context, "s1", item));
    for (let i = 0; i < 3; i++) await finishNext();
    expect(batches.map((b) => b.items)).toEqual([["a1", "b1"], ["a2", "c1"], ["a3"]]);
    expect(await Promise.all(answers)).toEqual(["done a1", "done a2", "done b1", "done a3", "done c1"]);
  });

  it("runs up to `parallel` batches of one key at once; later requests wait for one of them to finish", async () => {
    const { submit, batches, finishNext } = recorder({ parallel: () => 2 });
    const context = {};
    const answers = [submit(context, "s1", "a")];
    await turn();
    answers.push(submit(context, "s1", "b"));
    await turn();
    expect(batches.map((b) => b.items)).toEqual([["a"], ["b"]]);
    answers.push(submit(context, "s1", "c"), submit(context, "s1", "d"));
    await turn();
    expect(batches).toHaveLength(2);
    await finishNext();
    expect(batches.map((b) => b.items)).toEqual([["a"], ["b"], ["c", "d"]]);
    await finishNext();
    await finishNext();
    expect(await Promise.all(answers)).toEqual(["done a", "done b", "done c", "done d"]);
    expect(() => groupCommit({ distinct: (item: string) => item, parallel: () => 2, run: async () => [] })).toThrow(/distinct/);
  });

  it("with parallel batches, answers every request exactly once and never runs more than `parallel` at once", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ item: fc.constantFrom("a", "b", "bad"), wait: fc.nat(2) }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        async (requests, parallel, max) => {
          let running = 0;
          let most = 0;
          const submit = groupCommit<object, string, string>({
            max,
            parallel: () => parallel,
            async run(_context, _key, items) {
              most = Math.max(most, ++running);
              for (let i = 0; i < items.length % 3; i++) await turn();
              await turn();
              running--;
              return items.map((item) => (item === "bad" ? settle.error(new Error(item)) : settle.value(`done ${item}`)));
            },
          });
          const context = {};
          const answers: Promise<{ value: string } | { error: string }>[] = [];
          for (const r of requests) {
            for (let i = 0; i < r.wait; i++) await turn();
            answers.push(outcome(submit(context, "s1", r.item)));
          }
          expect(await Promise.all(answers)).toEqual(
            requests.map((r) => (r.item === "bad" ? { error: "bad" } : { value: `done ${r.item}` })),
          );
          expect(most).toBeLessThanOrEqual(parallel);
          expect(submit.stats(context).items).toBe(requests.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("answers every request exactly once with its own result, whatever the timing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ key: fc.constantFrom("s1", "s2"), item: fc.constantFrom("a", "b", "c", "bad"), wait: fc.nat(3) }), {
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 5 }),
        async (requests, max) => {
          const batches: { key: string; items: string[] }[] = [];
          const submit = groupCommit<object, string, string>({
            max,
            distinct: (item) => item,
            async run(_context, key, items) {
              batches.push({ key, items });
              await turn();
              return items.map((item) => (item === "bad" ? settle.error(new Error(item)) : settle.value(`${key}:${item}`)));
            },
          });
          const context = {};
          const answers: Promise<{ value: string } | { error: string }>[] = [];
          for (const r of requests) {
            for (let i = 0; i < r.wait; i++) await turn();
            answers.push(outcome(submit(context, r.key, r.item)));
          }
          expect(await Promise.all(answers)).toEqual(
            requests.map((r) => (r.item === "bad" ? { error: "bad" } : { value: `${r.key}:${r.item}` })),
          );
          expect(batches.reduce((n, b) => n + b.items.length, 0)).toBe(requests.length);
          for (const b of batches) {
            expect(b.items.length).toBeLessThanOrEqual(max);
            expect(new Set(b.items).size).toBe(b.items.length);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
