// The app as the benchmarks run it, with the floor route: a bare route in the same process that
// only mints the same kind of token as the policy-checked routes.
import { openDatabase } from "../src/adapters/db/client.ts";
import { acceptQueue, buildApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { attendeeToken } from "../src/policy/grants.ts";

export async function benchApp(url: string, env: Record<string, string> = {}, options: { migrate?: boolean } = {}) {
  const config = loadConfig({
    NODE_ENV: "development",
    DATABASE_URL: url,
    // Errors (a failed admission, say) go to stderr so that a run records why.
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "error",
    RECONCILE_SECONDS: "0",
    LOGIN_RATE_LIMIT: "100000",
    // Every bench client is on 127.0.0.1: the per-address limits would count them as one.
    LINK_RATE_LIMIT: "10000000",
    PAGES_PER_ADDRESS: "10000000",
    // Closed pages from one phase must be gone before the next phase's memory baseline.
    WAITING_GRACE_SECONDS: "1",
    ...env,
  });
  const database = await openDatabase(url, options);
  const app = await buildApp({ config, database });
  const tokens = app.ctx.tokens;
  app.post("/bench/floor", async () => ({
    server_url: config.LIVEKIT_URL,
    participant_token: await tokens.mint(
      attendeeToken({ attendeeId: crypto.randomUUID(), displayName: "Member", room: "gk_bench", allowData: false, admissionSeq: 1 }),
    ),
  }));
  const base = await app.listen({ port: 0, host: "127.0.0.1", backlog: acceptQueue });
  return { app, database, base };
}
