// dist/server.js, what the image and `node dist/server.js` run: starts the bundled server
// (dist/server.cjs, built from src/server.ts by npm run build) from V8's code cache (code-cache.ts).
// The cache lives in NODE_COMPILE_CACHE when it is set (the image sets it; Node ≥ 22.1 keeps its
// own cache there too), otherwise in dist/.cache beside the bundle.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runWithCodeCache } from "./code-cache.ts";

const here = dirname(fileURLToPath(import.meta.url));
const server = runWithCodeCache(join(here, "server.cjs"), process.env.NODE_COMPILE_CACHE ?? join(here, ".cache"));
await server.exports.started;
// Once listening: by now V8 has compiled everything a start needs.
server.save();
