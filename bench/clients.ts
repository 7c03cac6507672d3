// A child process that holds many waiting-page sockets, so that their memory is not counted in
// the server's. Told over IPC which invite tokens to open; reports when each socket has its
// first state, and when each admitted page receives its token (absolute ms timestamps, which
// compare across processes on one machine). For the join storm, it opens pages as a member's
// browser does: the invite, entering the waiting room, then the socket, all starting within a
// second, and reports how long each page took to its first state, or why it failed; a request
// that fails for a reason the page tries again after is tried again, as the page does.
import { Client } from "undici";
import WebSocket from "ws";
import { retryDelayMs } from "../web/src/shared/api.ts";

type Command =
  | { type: "open"; base: string; tokens: string[]; concurrency: number }
  | { type: "storm"; base: string; tokens: string[]; spreadMs: number }
  | { type: "exit" };

const now = () => performance.timeOrigin + performance.now();
const sockets: WebSocket[] = [];

function open(base: string, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base}/ws/join/${token}`);
    let first = true;
    ws.on("message", (raw) => {
      const msg = JSON.parse(raw.toString()) as { type: string; state?: string; token?: string };
      if (first && msg.type === "state") {
        first = false;
        resolve();
      }
      if (msg.type === "state" && msg.state === "admitted" && msg.token) process.send?.({ type: "admitted", token, at: now() });
    });
    ws.on("error", reject);
    sockets.push(ws);
  });
}

/** A failure that the page tries again after (no answer, a reset, 5xx, 429, 408), with its words. */
class Transient extends Error {}

// Each page has a connection of its own, kept alive from the invite to the entry, as a member's
// browser has. undici's `Client`, not `fetch`: the requests are the same, but `fetch` (and its
// shared pool of thousands of connections) cost this process about 3 ms of CPU a page, so that in
// the join storm the load, not the server, set the pace.
async function request(
  client: Client,
  path: string,
  init?: { method: "POST"; headers: Record<string, string>; body: string },
): Promise<void> {
  let status: number;
  try {
    const res = await client.request({ path, method: "GET", ...init });
    status = res.statusCode;
    await res.body.dump();
  } catch (err) {
    throw new Transient(String((err as Error).cause ?? err).slice(0, 80));
  }
  if (status < 300) return;
  const message = `${init?.method ?? "GET"} ${status}`;
  throw status >= 500 || status === 429 || status === 408 ? new Transient(message) : new Error(message);
}

/**
 * Each step as the waiting page takes it (web/src/shared/api.ts): tried again after a transient
 * failure, waiting as the page waits, for at most `giveUpMs` from the page's first request.
 */
async function patiently(step: () => Promise<void>, started: number, retries: string[], giveUpMs: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      if (!(err instanceof Transient) || now() - started > giveUpMs) throw err;
      retries.push(err.message);
      await new Promise((r) => setTimeout(r, retryDelayMs(attempt)));
    }
  }
}

/** One member opening their link: the page's own requests, in order; ms to its first state. */
async function arrive(base: string, token: string, retries: string[], giveUpMs: number): Promise<number> {
  const started = now();
  const step = (work: () => Promise<void>) => patiently(work, started, retries, giveUpMs);
  const client = new Client(base);
  try {
    await step(() => request(client, `/api/join/${token}`));
    await step(() =>
      request(client, `/api/join/${token}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ agreedToGuidelines: true }),
      }),
    );
  } finally {
    void client.close();
  }
  await step(() => open(base.replace("http:", "ws:"), token).catch((err) => Promise.reject(new Transient(String(err).slice(0, 80)))));
  return now() - started;
}

/** Pages that have not opened after this long, retrying as the page does, count as failed. */
const giveUpMs = 120_000;

async function storm(base: string, tokens: string[], spreadMs: number) {
  const started = now();
  const retries: string[] = [];
  const results = await Promise.all(
    tokens.map(async (token, i) => {
      await new Promise((r) => setTimeout(r, (i / tokens.length) * spreadMs));
      try {
        return { ms: await arrive(base, token, retries, giveUpMs) };
      } catch (err) {
        return { error: String((err as Error).cause ?? (err as Error).message ?? err).slice(0, 80) };
      }
    }),
  );
  process.send?.({ type: "storm", results, retries, wallMs: now() - started });
}

process.on("message", async (cmd: Command) => {
  if (cmd.type === "exit") {
    for (const ws of sockets) ws.terminate();
    process.exit(0);
  }
  if (cmd.type === "storm") {
    await storm(cmd.base, cmd.tokens, cmd.spreadMs);
    return;
  }
  let next = 0;
  const worker = async () => {
    while (next < cmd.tokens.length) {
      const token = cmd.tokens[next++]!;
      await open(cmd.base, token);
    }
  };
  const started = now();
  await Promise.all(Array.from({ length: cmd.concurrency }, worker));
  process.send?.({ type: "opened", count: cmd.tokens.length, ms: now() - started });
});
