// The join storm's floor: a server that answers the page's three requests (the invite, the entry,
// the socket's first state) with small fixed bodies (not measured against the real ones), on bare fastify and
// @fastify/websocket, doing no other work. The same storm against it shows what this machine, its
// network stack and the load process allow before the gatekeeper does anything.
// Started by run.ts; tells its address over IPC, and its CPU when asked.
import websocket from "@fastify/websocket";
import Fastify from "fastify";

const app = Fastify({ logger: false });
await app.register(websocket);
const invite = {
  session: { title: "Art club", startsAt: new Date().toISOString(), delivery: "home" },
  name: "A member",
  guidelines: { version: 1, text: "Be kind. ".repeat(80) },
  needsAgreement: true,
};
const state = JSON.stringify({ type: "state", state: "waiting", reasons: ["Staff will let you in soon."], recording: false });
app.get("/api/join/:token", async () => invite);
app.post("/api/join/:token", async () => ({ state: "waiting" }));
app.get("/ws/join/:token", { websocket: true }, (socket) => socket.send(state));
const base = await app.listen({ port: 0, host: "127.0.0.1" });
process.on("message", async (command: { type: "stats" | "exit" }) => {
  if (command.type === "stats") process.send!({ type: "stats", cpu: process.cpuUsage() });
  else {
    await app.close();
    process.exit(0);
  }
});
process.send!({ type: "listening", base });
