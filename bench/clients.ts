// A child process that holds many waiting-page sockets, so that their memory is not counted in
// the server's. Told over IPC which invite tokens to open; reports when each socket has its
// first state, and when each admitted page receives its token (absolute ms timestamps, which
// compare across processes on one machine). For the join storm, it opens pages as a member's
// browser does: the invite, entering the waiting room, then the socket, all starting within a
// second, and reports how long each page took to its first state, or why it failed.
import WebSocket from "ws";

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

/** One member opening their link: the page's own requests, in order; ms to its first state. */
async function arrive(base: string, token: string): Promise<number> {
  const started = now();
  const invite = await fetch(`${base}/api/join/${token}`);
  await invite.arrayBuffer();
  if (!invite.ok) throw new Error(`GET ${invite.status}`);
  const entered = await fetch(`${base}/api/join/${token}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ agreedToGuidelines: true }),
  });
  await entered.arrayBuffer();
  if (!entered.ok) throw new Error(`POST ${entered.status}`);
  await open(base.replace("http:", "ws:"), token);
  return now() - started;
}

async function storm(base: string, tokens: string[], spreadMs: number) {
  const started = now();
  const results = await Promise.all(
    tokens.map(async (token, i) => {
      await new Promise((r) => setTimeout(r, (i / tokens.length) * spreadMs));
      try {
        return { ms: await arrive(base, token) };
      } catch (err) {
        return { error: String((err as Error).cause ?? err).slice(0, 80) };
      }
    }),
  );
  process.send?.({ type: "storm", results, wallMs: now() - started });
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
