// Reads the configuration, builds the app, listens, and shuts down gracefully on SIGINT/SIGTERM:
// in-flight requests finish, then the database closes (close-with-grace, 10 s at most).
//
// No top-level await: the bundle (npm run build) is a CommonJS script, so that Node can start it
// from V8's code cache (src/start-bundled.ts); `started` says when the service listens.
import closeWithGrace from "close-with-grace";
import { DatabaseSetupError } from "./adapters/db/migrate.ts";
import { startLocalLiveKit } from "./adapters/livekit/local.ts";
import { acceptQueue, buildApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { createLogger } from "./logger.ts";

async function main(): Promise<Awaited<ReturnType<typeof buildApp>>> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }

  // With no LiveKit settings, in development, a LiveKit server runs beside us (see local.ts).
  const localLiveKit = await startLocalLiveKit(config, process.env, createLogger(config));
  if (localLiveKit) config = { ...config, LIVEKIT_URL: localLiveKit.url };

  let app: Awaited<ReturnType<typeof buildApp>>;
  try {
    app = await buildApp({ config });
  } catch (err) {
    await localLiveKit?.stop();
    if (err instanceof DatabaseSetupError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, "shutting down after an error");
    else app.log.info({ signal }, "shutting down");
    await app.close();
    await localLiveKit?.stop();
  });

  await app.listen({ port: config.PORT, host: config.HOST, backlog: acceptQueue });
  return app;
}

/** Settles once the service listens (or has failed to start), with the app. */
export const started = main();
