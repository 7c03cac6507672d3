// The bundled server starts from V8's code cache (src/code-cache.ts). What must hold: the code run
// is always the file's code (a rebuilt bundle never runs on the last one's cache, even at the same
// length, which is all V8 itself checks), each set of Node flags has its own cache, a cache V8
// rejects or a folder others could write to is not used, and the module runs as Node would run it.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runWithCodeCache } from "../src/code-cache.ts";

const root = mkdtempSync(join(tmpdir(), "gk-code-cache-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let count = 0;
/** A folder with a CommonJS bundle answering `word` and its cache folder beside it. */
function bundle(word: string): { file: string; cache: string } {
  const dir = join(root, String(++count));
  mkdirSync(dir);
  const file = join(dir, "bundle.cjs");
  writeBundle(file, word);
  return { file, cache: join(dir, "cache") };
}

function writeBundle(file: string, word: string): void {
  // Enough functions for V8 to cache something worth having; require, __filename and __dirname
  // are Node's own.
  const helpers = Array.from({ length: 50 }, (_, i) => `function helper${i}(x) { return x + ${i}; }`).join("\n");
  writeFileSync(
    file,
    `"use strict";\n${helpers}\nconst path = require("node:path");\nexports.word = () => ${JSON.stringify(word)};\nexports.where = () => [__filename, __dirname, path.basename(__filename)];\nexports.sum = () => helper49(helper1(0));\n`,
  );
}

/**
 * Runs the bundle in a fresh Node process and saves its cache: within one process V8 keeps what
 * it compiled in memory and never reads a cache for the same text again.
 */
function inAnotherProcess(file: string, cache: string): { state: string; word: string } {
  const script = `import { runWithCodeCache } from ${JSON.stringify(join(import.meta.dirname, "../src/code-cache.ts"))};
    const m = runWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cache)});
    m.save();
    console.log(JSON.stringify({ state: m.state, word: m.exports.word() }));`;
  return JSON.parse(execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" }));
}

describe("runWithCodeCache", () => {
  it("compiles the first time, uses the cache the next, and the code runs as Node runs a module", () => {
    const { file, cache } = bundle("first");
    const cold = runWithCodeCache(file, cache);
    expect(cold.state).toBe("none");
    expect((cold.exports.word as () => string)()).toBe("first");
    expect((cold.exports.sum as () => number)()).toBe(50);
    expect((cold.exports.where as () => string[])()).toEqual([file, join(file, ".."), "bundle.cjs"]);
    cold.save();
    expect(readdirSync(cache)).toHaveLength(1);
    // Node started with other flags (this test's worker has its own) keeps a cache of its own.
    expect(inAnotherProcess(file, cache)).toEqual({ state: "none", word: "first" });
    expect(readdirSync(cache)).toHaveLength(2);
    expect(inAnotherProcess(file, cache)).toEqual({ state: "accepted", word: "first" });
  });

  it("never runs a rebuilt bundle on the last one's cache, even when the two are the same length", () => {
    const { file, cache } = bundle("apple");
    runWithCodeCache(file, cache).save();
    writeBundle(file, "lemon");
    const rebuilt = runWithCodeCache(file, cache);
    expect(rebuilt.state).toBe("none");
    expect((rebuilt.exports.word as () => string)()).toBe("lemon");
    rebuilt.save();
    expect(runWithCodeCache(file, cache).state).toBe("accepted");
  });

  it("compiles afresh when V8 rejects the cache file, and replaces it", () => {
    const { file, cache } = bundle("garbled");
    expect(inAnotherProcess(file, cache)).toEqual({ state: "none", word: "garbled" });
    const [name] = readdirSync(cache);
    writeFileSync(join(cache, name!), Buffer.alloc(4096, 7));
    expect(inAnotherProcess(file, cache)).toEqual({ state: "rejected", word: "garbled" });
    expect(inAnotherProcess(file, cache)).toEqual({ state: "accepted", word: "garbled" });
  });

  it("keeps no cache in a folder others can write to, nor without a folder", () => {
    const { file, cache } = bundle("shared");
    mkdirSync(cache);
    chmodSync(cache, 0o777);
    const open = runWithCodeCache(file, cache);
    expect(open.state).toBe("off");
    open.save();
    expect(readdirSync(cache)).toEqual([]);
    expect((open.exports.word as () => string)()).toBe("shared");
    expect(runWithCodeCache(file, null).state).toBe("off");
  });
});
