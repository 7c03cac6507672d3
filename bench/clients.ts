// A child process that holds many waiting-page sockets, so that their memory is not counted in
// the server's. Told over IPC which invite tokens to open; reports when each socket has its
// first state, and when each admitted page receives its token (absolute ms timestamps, which
// compare across processes on one machine).
import WebSocket from "ws";

type Command = { type: "open"; base: string; tokens: string[]; concurrency: number } | { type: "exit" };

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

process.on("message", async (cmd: Command) => {
  if (cmd.type === "exit") {
    for (const ws of sockets) ws.terminate();
    process.exit(0);
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
