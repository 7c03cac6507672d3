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
// WebAssembly, pino's transport worker), and, for the command line, Prisma's query compilers (4 MB
// of base64 each, of which it loads only its provider's). The server's bundle has each query
// compiler beside it as a .wasm file (queryCompilerAsFile), and bundles the API reference's pages
// (@fastify/swagger-ui), which read their files from node_modules (filesFromNodeModules).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
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
 * Prisma's query compiler (an ES module holding its WebAssembly as 4 MB of base64) is written beside
 * the server's bundle as the WebAssembly itself, which the module the client imports reads when it
 * first connects: Node no longer parses 4 MB of JavaScript at every start.
 */
function queryCompilerAsFile(outdir: string): Plugin {
  return {
    name: "query-compiler-as-file",
    setup(b) {
      const pattern = /^@prisma\/client\/runtime\/(query_compiler_[a-z_]+\.(?:sqlite|postgresql))\.wasm-base64\.mjs$/;
      b.onResolve({ filter: /^@prisma\/client\/runtime\/.*\.wasm-base64\.mjs$/ }, (args) => {
        const name = pattern.exec(args.path)?.[1];
        if (!name) return { errors: [{ text: `no query compiler file is known for ${args.path}` }] };
        return { path: name, namespace: "query-compiler" };
      });
      b.onLoad({ filter: /.*/, namespace: "query-compiler" }, (args) => {
        const source = readFileSync(createRequire(import.meta.url).resolve(`@prisma/client/runtime/${args.path}.wasm-base64.js`), "utf8");
        const base64 = /^const wasm = "([A-Za-z0-9+/]+=*)";/.exec(source)?.[1];
        const bytes = base64 ? Buffer.from(base64, "base64") : undefined;
        // The format Prisma ships today; anything else fails the build rather than the server.
        if (!bytes?.subarray(0, 4).equals(Buffer.from("\0asm")))
          return { errors: [{ text: `${args.path}: not the expected base64 WebAssembly module` }] };
        mkdirSync(outdir, { recursive: true });
        writeFileSync(join(outdir, `${args.path}.wasm`), bytes);
        return {
          contents: `module.exports.wasm = require("node:fs").readFileSync(require("node:path").join(__dirname, ${JSON.stringify(`${args.path}.wasm`)})).toString("base64");`,
          loader: "js",
        };
      });
    },
  };
}

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

/**
 * node-postgres asks at load whether it runs in a Cloudflare Worker by making a `Response`: on
 * Node that loads and compiles Node's whole fetch implementation (undici, web streams), ≈ 15 ms of
 * every start on PostgreSQL, for a question whose answer here is always no. The server's bundle
 * runs on Node only, so the question is left out of it.
 */
const pgOnNode: Plugin = {
  name: "pg-on-node",
  setup(b) {
    b.onLoad({ filter: /node_modules\/pg\/lib\/stream\.js$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      const asked = "if (isCloudflareRuntime()) {";
      // The text as node-postgres ships it today; anything else fails the build rather than the server.
      if (!source.includes(asked)) return { errors: [{ text: `${args.path}: the Cloudflare check is not where it was` }] };
      return { contents: source.replace(asked, "if (false) {"), loader: "js" };
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
    // Dynamic import() does not work from a code cache on Node 20 (the cached code loses the
    // callback import() needs), so the bundle has none: esbuild turns each into require().
    supported: { "dynamic-import": false },
    plugins: [queryCompilerAsFile(outdir), filesFromNodeModules, pgOnNode],
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
