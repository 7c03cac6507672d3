// Runs a CommonJS bundle from V8's code cache. Compiling the server's bundle (≈ 4 MB) and then
// each function it calls while starting took ≈ 0.2–0.3 s of a ≈ 1 s start (bench/history.md).
// Node 22.1+ keeps such a cache itself (NODE_COMPILE_CACHE), but not on the Node 20 this project
// supports, and not for code it did not load from a file; so the bundle is compiled here with
// vm.Script, and once the service has started, V8 serialises the code it compiled
// (createCachedData: the top level and every function run so far) for the next start.
//
// The cache file is named by a hash of the bundle's path and text, Node's flags, its version and
// the architecture: V8 itself checks only the text's length, its own version and flags, so a
// rebuilt bundle of the same length would otherwise run on another bundle's code. A file V8
// rejects anyway is replaced. The folder must be this user's and writable by no one else (code is
// loaded from it); otherwise, or when anything about the cache fails, the bundle is compiled as
// usual.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { Script } from "node:vm";

export type CodeCacheState = "off" | "none" | "accepted" | "rejected";

export interface CachedModule {
  exports: Record<string, unknown>;
  /** Whether the code came from the cache: off (no usable folder), none (no file yet), accepted, rejected. */
  state: CodeCacheState;
  /** Writes what V8 has compiled so far, unless the cache was used as it is. Never throws. */
  save(): void;
}

/** A folder only this user can write to, created if missing; null when it cannot be had. */
function privateFolder(dir: string): string | null {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = statSync(dir);
    const ours = process.getuid === undefined || st.uid === process.getuid();
    return st.isDirectory() && ours && (st.mode & 0o022) === 0 ? dir : null;
  } catch {
    return null;
  }
}

function readOrNothing(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Compiles and runs the CommonJS file `file` as Node would (module, exports, require, __filename,
 * __dirname), with its code cache kept in `cacheDir` (null: no cache).
 */
export function runWithCodeCache(file: string, cacheDir: string | null): CachedModule {
  const bytes = readFileSync(file);
  const source = bytes.toString("utf8");
  const dir = cacheDir === null ? null : privateFolder(cacheDir);
  // Of the bytes: hashing the decoded text costs twice as much (≈ 10 ms for the server's bundle).
  // Node's flags too: V8 rejects a cache made under other flags, and two ways of starting the same
  // bundle (a debugging session, say) would otherwise replace each other's cache at every start.
  const flags = `${process.execArgv.join(" ")}\0${process.env.NODE_OPTIONS ?? ""}`;
  const key = createHash("sha256").update(`${file}\0${flags}\0`).update(bytes).digest("hex").slice(0, 32);
  const cacheFile = dir && join(dir, `${basename(file)}-${key}-${process.version}-${process.arch}.v8cache`);
  const cachedData = cacheFile ? readOrNothing(cacheFile) : undefined;
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const state: CodeCacheState = !cacheFile ? "off" : !cachedData ? "none" : script.cachedDataRejected ? "rejected" : "accepted";
  const module = { exports: {} as Record<string, unknown> };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return {
    get exports() {
      return module.exports;
    },
    state,
    save() {
      if (!cacheFile || state === "accepted") return;
      try {
        const partial = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
        renameSync(partial, cacheFile);
      } catch {
        // Only start-up time is lost; the next start compiles again.
      }
    },
  };
}
