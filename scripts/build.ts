// npm run build: the server and the command line bundled by esbuild into dist/ (server.js, cli.js
// and the chunks they share), for the image and `node dist/server.js`. One bundle instead of ≈ 600
// modules: Node resolves, reads and compiles a module graph at every start, and that was most of
// the start-up (bench/history.md). Type checking is `npm run typecheck`'s job, not this one's.
//
// Left outside the bundle, loaded from node_modules as before: native addons (better-sqlite3,
// sharp), packages that read files beside their own code (the API reference's pages, the iCalendar
// time zones, the schema engine's WebAssembly, pino's transport worker), and Prisma's query
// compilers, of which a server loads only its own provider's (4 MB each). What the server loads
// only when configured (Redis, SMTP, PostgreSQL) lands in chunks of its own, loaded on first use.
import { rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const { values } = parseArgs({ options: { outdir: { type: "string", default: "dist" } } });
const outdir = values.outdir;

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: ["src/server.ts", "src/cli.ts"],
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  // Line breaks and indentation only: names stay as written, so stack traces read without a map.
  minifyWhitespace: true,
  sourcemap: "linked",
  sourcesContent: false,
  external: [
    "better-sqlite3",
    "sharp",
    "pg-native",
    "@fastify/swagger-ui",
    "@touch4it/ical-timezones",
    "@prisma/schema-engine-wasm",
    "@prisma/client/runtime/*.wasm-base64.mjs",
    "pino",
    "pino-pretty",
  ],
  // The CommonJS packages inside the bundle call require() for Node's own modules and may read
  // __dirname; an ES module has neither, so each output file defines them.
  banner: {
    js: [
      'import { createRequire as __createRequire } from "node:module";',
      'import { fileURLToPath as __fileURLToPath } from "node:url";',
      'import { dirname as __pathDirname } from "node:path";',
      "const require = __createRequire(import.meta.url);",
      "const __filename = __fileURLToPath(import.meta.url);",
      "const __dirname = __pathDirname(__filename);",
    ].join(" "),
  },
  logLevel: "warning",
});
