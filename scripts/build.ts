// npm run build: the server and the command line bundled by esbuild into dist/, for the image and
// `node dist/server.js`. One bundle instead of ≈ 600 modules: Node resolves, reads and compiles a
// module graph at every start, and that was most of the start-up (bench/history.md). Type checking
// is `npm run typecheck`'s job, not this one's.
//
// - dist/server.cjs: the server (src/server.ts) as one CommonJS script, and dist/server.js, which
//   runs it from V8's code cache (src/start-bundled.ts, src/code-cache.ts). A script, not an ES
//   module: Node 20 can start only scripts from a cache it is given. What the server loads only
//   when configured (Redis, SMTP, PostgreSQL) is inside it, run only on first use.
// - dist/cli.js: the command line, an ES module with chunks of its own.
//
// Left outside the bundles, loaded from node_modules: native addons (better-sqlite3, sharp),
// packages that read files beside their own code (the iCalendar time zones, the schema engine's
// WebAssembly, pino's transport worker), and Prisma's query compilers, of which a server loads
// only its own provider's (4 MB each). The API reference's pages (@fastify/swagger-ui) are bundled
// and read their files from node_modules (filesFromNodeModules).
import { readFileSync, rmSync } from "node:fs";
import { dirname, relative } from "node:path";
import { parseArgs } from "node:util";
import { build, type Plugin } from "esbuild";

const { values } = parseArgs({ options: { outdir: { type: "string", default: "dist" } } });
const outdir = values.outdir;

const external = [
  "better-sqlite3",
  "sharp",
  "pg-native",
  "@touch4it/ical-timezones",
  "@prisma/schema-engine-wasm",
  "@prisma/client/runtime/*.wasm-base64.mjs",
  "pino",
  "pino-pretty",
];
const common = {
  bundle: true,
  platform: "node",
  target: "node20.19",
  // Line breaks and indentation only: names stay as written, so stack traces read without a map.
  minifyWhitespace: true,
  sourcemap: "linked",
  sourcesContent: false,
  logLevel: "warning",
} as const;

/**
 * A script has no dynamic import() that works from a code cache on Node 20 (the cached code loses
 * the callback that import() needs), so the server's bundle has none: esbuild turns each into
 * require(), and Prisma's query compiler, an ES module, is taken as its CommonJS twin.
 */
const commonJsQueryCompiler: Plugin = {
  name: "common-js-query-compiler",
  setup(b) {
    b.onResolve({ filter: /^@prisma\/client\/runtime\/.*\.wasm-base64\.mjs$/ }, (args) => ({
      path: args.path.replace(/\.mjs$/, ".js"),
      external: true,
    }));
  },
};

/**
 * Bundled packages that read files beside their own code: in the bundle, `__dirname` would be
 * dist/, so each of their modules is given the folder it has in node_modules, found at run time.
 */
const filesFromNodeModules: Plugin = {
  name: "files-from-node-modules",
  setup(b) {
    b.onLoad({ filter: /node_modules\/@fastify\/swagger-ui\/.*\.js$/ }, (args) => {
      const root = args.path.slice(0, args.path.indexOf("/@fastify/swagger-ui/") + "/@fastify/swagger-ui".length);
      const folder = JSON.stringify(relative(root, dirname(args.path)));
      const found = `require("node:path").join(require("node:path").dirname(require.resolve("@fastify/swagger-ui/package.json")), ${folder})`;
      return { contents: readFileSync(args.path, "utf8").replaceAll("__dirname", `(${found})`), loader: "js" };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
await Promise.all([
  build({
    ...common,
    entryPoints: { server: "src/server.ts" },
    outExtension: { ".js": ".cjs" },
    outdir,
    format: "cjs",
    supported: { "dynamic-import": false },
    plugins: [commonJsQueryCompiler, filesFromNodeModules],
    external: [...external.filter((name) => !name.endsWith(".mjs")), "@fastify/swagger-ui/package.json"],
    // A script has no import.meta; the modules that find files beside themselves read its url.
    define: { "import.meta.url": "__importMetaUrl" },
    banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  }),
  build({ ...common, entryPoints: { server: "src/start-bundled.ts" }, outdir, format: "esm" }),
  build({
    ...common,
    entryPoints: ["src/cli.ts"],
    outdir,
    splitting: true,
    format: "esm",
    external,
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
  }),
]);
