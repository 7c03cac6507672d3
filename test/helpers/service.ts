// The service as `npm start` runs it (src/server.ts), in a process of its own, for the tests that
// must kill it, restart it or watch what it prints.
import { type ChildProcess, spawn } from "node:child_process";
import { openDatabase } from "../../src/adapters/db/client.ts";
import type { Provider } from "../../src/adapters/db/schemas.ts";
import type { Role } from "../../src/domain/roles.ts";
import { createStaff } from "../../src/domain/staff.ts";
import { storeOf } from "../../src/domain/unit-of-work.ts";
import { LiveKitStandIn } from "../livekit/stand-in.ts";
import { password } from "./app.ts";
import { liveSession } from "./crowd.ts";
import { scratchDatabase } from "./db.ts";

export interface Service {
  child: ChildProcess;
  /** Everything it has printed so far. */
  output(): string;
}

export function spawnService(env: NodeJS.ProcessEnv): Service {
  const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    env: { NODE_ENV: "development", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let printed = "";
  child.stdout!.on("data", (d) => (printed += d));
  child.stderr!.on("data", (d) => (printed += d));
  return { child, output: () => printed };
}

/**
 * A live session of `people` on a fresh database, led by lead@example.org (with `roles`), and a
 * LiveKit stand-in: what a service process is started on. `stop` removes both.
 */
export async function liveWorld(provider: Provider, people: number, roles: Role[] = ["staff"]) {
  const scratch = await scratchDatabase(provider);
  const livekit = new LiveKitStandIn();
  const livekitUrl = (await livekit.start()).replace("http:", "ws:");
  const setup = await openDatabase(scratch.url);
  const lead = await createStaff(storeOf(setup), { email: "lead@example.org", name: "Lee Lead", password, roles }, null);
  const crowd = await liveSession(setup, lead.id, people, new Date());
  const carers = await setup.db.carer.findMany();
  await setup.close();
  return {
    scratch,
    livekitUrl,
    crowd,
    carers,
    async stop() {
      await livekit.stop();
      await scratch.drop();
    },
  };
}

/** The service in its own process on `url` and `port`; resolves once /readyz answers 200. */
export async function startService(url: string, port: number, livekitUrl: string, env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  const { child } = spawnService({
    ...process.env,
    DATABASE_URL: url,
    PORT: String(port),
    LIVEKIT_URL: livekitUrl,
    LOG_LEVEL: "error",
    ...env,
  });
  for (let i = 0; i < 200; i++) {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error("the service did not start");
}
