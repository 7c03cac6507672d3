// The project's folder (the one holding package.json), found by walking up from this module. The
// TypeScript sources (src/…), the bundled server (dist/…) and a test build all live inside it, at
// different depths, so files beside the code (web/dist, prisma/, .tools/) are found from here.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the project's folder. */
export function projectPath(...parts: string[]): string {
  return join(projectRoot, ...parts);
}
