// Runs LiveKit's own server (`livekit-server --dev`) as a child process: for `npm start` with no
// LiveKit settings, so a newcomer's first run can hold a whole session, and for the tests that
// stand in front of the real server. It is bound to 127.0.0.1, its webhooks go to the gatekeeper
// with the development key, and its ports are the caller's. Nothing here decides anything.
import type { ChildProcess } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { projectPath } from "../../paths.ts";

/** The API key `livekit-server --dev` uses when its config names none (its secret is `secret`). */
const devApiKey = "devkey";

/** Where `npm run test:setup` builds the server, relative to the project's folder. */
const projectBinary = projectPath(".tools", "bin", "livekit-server");

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** LIVEKIT_SERVER_BIN, else the project's own build, else `livekit-server` on the PATH; or null. */
export function findLiveKitServer(env: Record<string, string | undefined> = process.env): string | null {
  if (env.LIVEKIT_SERVER_BIN) return executable(env.LIVEKIT_SERVER_BIN) ? env.LIVEKIT_SERVER_BIN : null;
  if (executable(projectBinary)) return projectBinary;
  for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
    const candidate = join(dir, "livekit-server");
    if (executable(candidate)) return candidate;
  }
  return null;
}

export interface DevServerOptions {
  binary: string;
  /** HTTP and signalling (WebSocket) port. */
  port: number;
  /** ICE over TCP, and the UDP range for media. */
  rtcTcpPort: number;
  udpPorts: [number, number];
  /** Where LiveKit posts its webhooks, signed with the development key. */
  webhookUrl?: string;
  /** Each line the server prints. */
  onLog?: (line: string) => void;
}

export interface DevServer {
  /** The signalling URL for clients and the SDK (`ws://127.0.0.1:port`). */
  url: string;
  process: ChildProcess;
  /** Set once stop() is called: an exit after that is expected. */
  stopping: boolean;
  stop(): Promise<void>;
}

/** The YAML LiveKit reads: flow style is plain JSON, which YAML accepts as it is. */
function configYaml(o: DevServerOptions): string {
  return JSON.stringify({
    port: o.port,
    bind_addresses: ["127.0.0.1"],
    rtc: { tcp_port: o.rtcTcpPort, port_range_start: o.udpPorts[0], port_range_end: o.udpPorts[1], use_external_ip: false },
    ...(o.webhookUrl ? { webhook: { api_key: devApiKey, urls: [o.webhookUrl] } } : {}),
    logging: { level: "info", json: false },
  });
}

/** Starts the server and resolves once it answers HTTP; rejects with its output if it exits first. */
export async function startDevServer(o: DevServerOptions, timeoutMs = 20_000): Promise<DevServer> {
  // Loaded here, not with the module: a service given LIVEKIT_URL never starts one, and Node's
  // child_process is ≈ 7 ms of every start to load (bench/history.md, start-up).
  const [{ spawn }, { createInterface }] = await Promise.all([import("node:child_process"), import("node:readline")]);
  const dir = mkdtempSync(join(tmpdir(), "gatekeeper-livekit-"));
  const configPath = join(dir, "livekit.yaml");
  writeFileSync(configPath, configYaml(o));
  const child = spawn(o.binary, ["--dev", "--config", configPath, "--bind", "127.0.0.1", "--node-ip", "127.0.0.1"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const recent: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      recent.push(line);
      if (recent.length > 40) recent.shift();
      o.onLog?.(line);
    });
  }
  // However this process ends, the server it started ends with it.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const exited = new Promise<number | null>((done) =>
    child.once("exit", (code) => {
      process.off("exit", killOnExit);
      done(code);
    }),
  );
  const stop = async () => {
    server.stopping = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${o.port}`;
  const server: DevServer = { url: url.replace("http:", "ws:"), process: child, stopping: false, stop };
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  while (!gone && Date.now() < deadline) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`livekit-server did not start on port ${o.port}:\n${recent.join("\n")}`);
}

/** What to tell a person whose machine has no LiveKit server, in the log and the console. */
export const noLiveKitAdvice =
  "No LiveKit server answers at LIVEKIT_URL, so sessions cannot start (the waiting room still works). " +
  "On this machine, `npm run test:setup` builds LiveKit's server into .tools/bin (it needs Go), and `npm start` then runs it; " +
  "elsewhere, install LiveKit (https://docs.livekit.io/home/self-hosting/local/) and run `livekit-server --dev`, or set LIVEKIT_URL.";

/** LiveKit's log lines carry tokens now and then; none reaches our output. */
export function withoutTokens(line: string): string {
  return line.replace(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g, "***");
}
