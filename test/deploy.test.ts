// The deployment, as far as these machines can check it without Docker: deploy/compose.yaml,
// deploy/livekit.yaml and the Caddyfile agree with src/config.ts and with each other (variable
// names and values, ports, the webhook's path and key, the key pair LiveKit, Egress and Gatekeeper
// share), the image runs compiled JavaScript as a non-root user, and `npm run build` really
// produces a server that starts, migrates a fresh database and serves its pages with plain node.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { envSchema, loadConfig } from "../src/config.ts";
import { postgresAvailable, scratchDatabase } from "./helpers/db.ts";
import { freePort } from "./helpers/livekit.ts";
import { startOrg } from "./helpers/scenario.ts";

type Service = { environment?: Record<string, string>; ports?: string[]; expose?: string[]; command?: string[]; volumes?: string[] };
const compose = parse(readFileSync("deploy/compose.yaml", "utf8")) as { services: Record<string, Service> };
const livekit = parse(readFileSync("deploy/livekit.yaml", "utf8")) as {
  port: number;
  rtc: { tcp_port: number; port_range_start: number; port_range_end: number };
  redis: { address: string };
  webhook: { api_key: string; urls: string[] };
};
const caddyfile = readFileSync("deploy/Caddyfile", "utf8");
const example = Object.fromEntries(
  readFileSync("deploy/.env.example", "utf8")
    .split("\n")
    .filter((l) => /^[A-Z_]+=/.test(l))
    .map((l) => l.split("=", 2) as [string, string]),
);

/** What compose makes of `${NAME}` and `${NAME:-default}`, with these values for the .env. */
function interpolate(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{(\w+)(?::-([^}]*))?\}/g, (_, name: string, fallback?: string) => values[name] || fallback || "");
}
const filled: Record<string, string> = {
  ...example,
  POSTGRES_PASSWORD: "a-postgres-password",
  LIVEKIT_API_SECRET: "a-livekit-secret-of-some-length-0123456789",
  SESSION_SECRET: "a-session-secret-of-some-length-0123456789",
  GATEKEEPER_ADMIN_PASSWORD: "a long first admin password",
};

describe("deploy/compose.yaml, livekit.yaml and the Caddyfile", () => {
  const gatekeeper = compose.services.gatekeeper!;
  const env = gatekeeper.environment!;

  it("gives Gatekeeper only variables src/config.ts knows, every one production needs, and values it accepts", () => {
    const known = Object.keys(envSchema.shape);
    expect(Object.keys(env).filter((name) => !known.includes(name))).toEqual([]);
    for (const name of [
      "PUBLIC_URL",
      "LIVEKIT_URL",
      "LIVEKIT_API_KEY",
      "LIVEKIT_API_SECRET",
      "SESSION_SECRET",
      "DATABASE_URL",
      "REDIS_URL",
    ])
      expect(env[name], name).toBeTruthy();
    // Every ${VAR} the file uses is in .env.example (or has a default).
    const used = [...readFileSync("deploy/compose.yaml", "utf8").matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!);
    expect(used.filter((name) => !(name in example))).toEqual([]);
    const config = loadConfig(Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(String(v), filled)])));
    expect(config.NODE_ENV).toBe("production");
    expect(new URL(config.DATABASE_URL).host).toBe("postgres:5432");
    expect(new URL(config.REDIS_URL!).host).toBe("redis:6379");
    expect(gatekeeper.expose).toEqual(expect.arrayContaining([String(config.PORT), String(config.METRICS_PORT)]));
  });

  it("LiveKit posts its webhooks to Gatekeeper's route, signed with the key Gatekeeper checks; Egress and LiveKit share that pair", async () => {
    expect(livekit.webhook.api_key).toBe(env.LIVEKIT_API_KEY);
    expect(livekit.webhook.urls).toEqual([`http://gatekeeper:${env.PORT}/webhooks/livekit`]);
    const lk = compose.services.livekit!;
    expect(lk.environment?.LIVEKIT_KEYS).toBe(`${env.LIVEKIT_API_KEY}: ${env.LIVEKIT_API_SECRET}`);
    expect(lk.volumes).toContain("./livekit.yaml:/etc/livekit.yaml:ro");
    expect(lk.expose).toContain(String(livekit.port));
    expect(lk.ports).toEqual(
      expect.arrayContaining([
        `${livekit.rtc.tcp_port}:${livekit.rtc.tcp_port}/tcp`,
        `${livekit.rtc.port_range_start}-${livekit.rtc.port_range_end}:${livekit.rtc.port_range_start}-${livekit.rtc.port_range_end}/udp`,
      ]),
    );
    const egress = parse(compose.services.egress!.environment!.EGRESS_CONFIG_BODY!) as Record<string, unknown>;
    expect(egress).toMatchObject({
      api_key: env.LIVEKIT_API_KEY,
      api_secret: env.LIVEKIT_API_SECRET,
      ws_url: `ws://livekit:${livekit.port}`,
      redis: { address: livekit.redis.address },
    });
    expect(livekit.redis.address).toBe("redis:6379");
    // The webhook path is the service's: unsigned, it is refused there (401), not unknown (404).
    const org = await startOrg("sqlite");
    try {
      const path = new URL(livekit.webhook.urls[0]!).pathname;
      const res = await org.app.inject({
        method: "POST",
        url: path,
        headers: { "content-type": "application/webhook+json" },
        payload: "{}",
      });
      expect(res.statusCode).toBe(401);
    } finally {
      await org.t.close();
    }
  });

  it("Caddy serves both names over TLS: Gatekeeper's and the LiveKit address Gatekeeper hands to browsers", () => {
    expect(caddyfile).toMatch(new RegExp(`\\{\\$GATEKEEPER_DOMAIN\\} \\{\\s*reverse_proxy gatekeeper:${env.PORT}\\s*\\}`));
    expect(caddyfile).toMatch(new RegExp(`\\{\\$LIVEKIT_DOMAIN\\} \\{\\s*reverse_proxy livekit:${livekit.port}\\s*\\}`));
    // The browser-facing addresses are those two names (compose fills them in from .env).
    expect(interpolate(env.PUBLIC_URL!, filled)).toBe(`https://${filled.GATEKEEPER_DOMAIN}`);
    expect(interpolate(env.LIVEKIT_URL!, filled)).toBe(`wss://${filled.LIVEKIT_DOMAIN}`);
    expect(compose.services.caddy?.ports).toEqual(["80:80", "443:443"]);
  });
});

describe("the production build", () => {
  const out = ".build-test";
  let child: ChildProcess | undefined;
  let building: Promise<unknown> | undefined;
  /** npm run build into `out`, once for the tests below. */
  const built = () =>
    (building ??= promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/build.ts", "--outdir", out], { timeout: 120_000 }));
  afterAll(() => {
    child?.kill("SIGKILL");
    rmSync(out, { recursive: true, force: true });
  });
  /** Starts the built server on `url` and `port` with plain node, as the image does; resolves once /readyz says 200. */
  const startBuilt = async (url: string, port: number) => {
    const started = spawn(process.execPath, [`${out}/server.js`], {
      env: { PATH: process.env.PATH, NODE_ENV: "development", DATABASE_URL: url, PORT: String(port), LIVEKIT_URL: "ws://127.0.0.1:1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = started;
    let printed = "";
    started.stdout!.on("data", (d) => (printed += d));
    started.stderr!.on("data", (d) => (printed += d));
    const exited = new Promise((resolve) => started.once("exit", resolve));
    await expect
      .poll(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status, { timeout: 30_000, interval: 250 })
      .toBe(200);
    return {
      printed: () => printed,
      stop: async () => {
        started.kill("SIGTERM");
        await exited;
      },
    };
  };

  it("the image runs compiled JavaScript as a non-root user, with no TypeScript or tsx in it", () => {
    const dockerfile = readFileSync("Dockerfile", "utf8");
    expect(dockerfile).toMatch(/^CMD \["node", "--enable-source-maps", "dist\/server\.js"\]$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/npm run build && npm prune --omit=dev/);
    const pkg = JSON.parse(readFileSync("package.json", "utf8"));
    for (const tool of ["tsx", "typescript"]) {
      expect(pkg.dependencies[tool], tool).toBeUndefined();
      expect(pkg.devDependencies[tool], tool).toBeDefined();
    }
    expect(pkg.scripts.build).toBe("tsx scripts/build.ts");
  });

  it("npm run build's bundle starts with plain node, migrates a fresh database and serves the pages; its CLI adds staff", async () => {
    await built();
    const scratch = await scratchDatabase("sqlite");
    const port = await freePort();
    try {
      const first = await startBuilt(scratch.url, port);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.json())).checks.migrations).toBe("ok");
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(`<div id="root">`);
      await first.stop();
      // The first start left V8's code cache beside the bundle (src/code-cache.ts); the second
      // starts from it, and the bundled API reference still finds its files in node_modules.
      expect(readdirSync(`${out}/.cache`).filter((f) => f.endsWith(".v8cache"))).toHaveLength(1);
      const second = await startBuilt(scratch.url, port);
      for (const path of ["/docs", "/docs/static/logo.svg", "/docs/json"])
        expect((await fetch(`http://127.0.0.1:${port}${path}`)).status, path).toBe(200);
      const printed = first.printed() + second.printed();
      expect(printed).not.toMatch(/tsx|\.ts:\d/);
      // The V8 flag src/start-bundled.ts sets is one this Node's V8 knows.
      expect(printed).not.toMatch(/unrecognized flag/);
      // The command line is bundled too, and reaches the same database through its own Prisma client.
      const added = await promisify(execFile)(
        process.execPath,
        [`${out}/cli.js`, "staff:add", "--email", "bundle@example.org", "--name", "Bundle Check", "--roles", "admin"],
        {
          env: {
            PATH: process.env.PATH,
            NODE_ENV: "development",
            DATABASE_URL: scratch.url,
            GATEKEEPER_NEW_PASSWORD: "a long enough password",
          },
        },
      );
      expect(added.stdout).toContain("bundle@example.org");
      // Start-up asks nothing of the Prisma client (src/adapters/db/client.ts): the first request
      // that does loads its query compiler from beside the bundle. Signing in reads the new account.
      const signedIn = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "bundle@example.org", password: "a long enough password" }),
      });
      expect(signedIn.status).toBe(200);
    } finally {
      child?.kill("SIGTERM");
      await scratch.drop();
    }
  }, 180_000);

  // The bundle has each provider's query compiler beside it (scripts/build.ts): PostgreSQL's is
  // loaded only on PostgreSQL, so only this start shows that it is there and loads.
  it.skipIf(!postgresAvailable)(
    "the bundle starts on PostgreSQL too: migrates a fresh database and answers through Prisma",
    async () => {
      await built();
      const scratch = await scratchDatabase("postgresql");
      try {
        const port = await freePort();
        const server = await startBuilt(scratch.url, port);
        const setup = await fetch(`http://127.0.0.1:${port}/api/setup`).then((r) => r.json());
        expect(setup.firstAdminNeeded).toBe(true);
        // A query through the Prisma client, which loads PostgreSQL's query compiler: an unknown e-mail.
        const signIn = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: "nobody@example.org", password: "not a password" }),
        });
        expect(signIn.status).toBe(401);
        expect(server.printed()).not.toMatch(/unrecognized flag/);
        await server.stop();
      } finally {
        // After a failed expectation the server is still running: afterAll kills it.
        await scratch.drop();
      }
    },
    180_000,
  );
});
