// dist/server.js, what the image and `node dist/server.js` run: starts the bundled server
// (dist/server.cjs, built from src/server.ts by npm run build) from V8's code cache (code-cache.ts).
// The cache lives in NODE_COMPILE_CACHE when it is set (the image sets it; Node ≥ 22.1 keeps its
// own cache there too), otherwise in dist/.cache beside the bundle.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runWithCodeCache } from "./code-cache.ts";

// Prisma's query compiler is WebAssembly. V8 compiles it at once with its baseline compiler
// (Liftoff), then again with its optimising one, in the background, function by function as they
// get hot: ≈ 0.3–0.4 s of CPU on V8's worker threads while the server starts, competing with the
// start itself on a small machine. Prisma keeps each query's plan, so the compiler runs rarely
// once a query has been seen, and the optimised code bought nothing measurable (bench/history.md).
// Set before anything is compiled, so that the code cache below is made and checked under it.
setFlagsFromString("--liftoff-only");

const here = dirname(fileURLToPath(import.meta.url));
const server = runWithCodeCache(join(here, "server.cjs"), process.env.NODE_COMPILE_CACHE ?? join(here, ".cache"));
const app = (await server.exports.started) as { inject(request: { url: string }): Promise<unknown> };
// Once listening, and after one readiness check has run (the first request's path: routing, hooks,
// the database, LiveKit, the reply), V8 has compiled what a start and its first request need.
if (server.state !== "accepted") {
  await app.inject({ url: "/readyz" }).catch(() => undefined);
  server.save();
}
