// The server in a process of its own, for the capacity phase: its memory, CPU and event-loop
// delay are then the server's alone, untouched by earlier phases or by the bench itself.
// Started by run.ts with `--expose-gc`; answers over IPC.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { benchApp } from "./app.ts";

type Command = { type: "stats" } | { type: "delay.start" } | { type: "delay.stop" } | { type: "exit" };

// The bench process has already migrated this database and holds it open.
const { app, base } = await benchApp(process.env.DATABASE_URL!, {}, { migrate: false });
let delay = monitorEventLoopDelay({ resolution: 10 });
process.on("message", async (command: Command) => {
  switch (command.type) {
    case "stats":
      global.gc?.();
      process.send!({ type: "stats", rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed, cpu: process.cpuUsage() });
      break;
    case "delay.start":
      delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      break;
    case "delay.stop":
      delay.disable();
      process.send!({ type: "delay", p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 });
      break;
    case "exit":
      await app.close();
      process.exit(0);
  }
});
process.send!({ type: "listening", base });
