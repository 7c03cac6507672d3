// The service as `npm start` runs it (src/server.ts), in a process of its own, for the tests that
// must kill it, restart it or watch what it prints.
import { type ChildProcess, spawn } from "node:child_process";

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
