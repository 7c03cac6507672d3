// A real app on a real scratch database, driven through app.inject.
import { Writable } from "node:stream";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { type Database, openDatabase } from "../../src/adapters/db/client.ts";
import type { Provider } from "../../src/adapters/db/schemas.ts";
import { buildApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import type { Role } from "../../src/domain/roles.ts";
import { createStaff } from "../../src/domain/staff.ts";
import { storeOf } from "../../src/domain/unit-of-work.ts";
import { type ScratchDatabase, scratchDatabase } from "./db.ts";

export const origin = "http://localhost:3000";

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  /** Every log line the app wrote, as parsed JSON. */
  logs: Record<string, unknown>[];
  rawLogs: string[];
  close(): Promise<void>;
}

export async function startTestApp(
  provider: Provider,
  env: Record<string, string> = {},
  options: { now?: () => Date; scratch?: ScratchDatabase } = {},
): Promise<TestApp> {
  const scratch = options.scratch ?? (await scratchDatabase(provider));
  const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: scratch.url, LOG_LEVEL: "info", PORT: "3000", ...env });
  const database = await openDatabase(scratch.url);
  const rawLogs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      rawLogs.push(String(chunk));
      done();
    },
  });
  const app = await buildApp({ config, database, logDestination: destination, now: options.now });
  await app.ready();
  return {
    app,
    database,
    rawLogs,
    get logs() {
      return rawLogs.flatMap((l) => l.split("\n").filter(Boolean)).map((l) => JSON.parse(l));
    },
    async close() {
      await app.close();
      if (!options.scratch) await scratch.drop();
    },
  };
}

export const password = "correct horse battery staple";

export async function addStaff(database: Database, email: string, roles: Role[] = ["staff"], name = "Sam Staff") {
  return createStaff(storeOf(database), { email, name, password, roles }, null);
}

/** Signs in and returns the cookie header to send with later requests. */
export async function signIn(app: FastifyInstance, email: string, pass = password): Promise<string> {
  const res = await app.inject({ method: "POST", url: "/api/auth/login", payload: { email, password: pass } });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  return cookieHeader(res);
}

export function cookieHeader(res: LightMyRequestResponse): string {
  return res.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
}

/** Every route the OpenAPI document lists, as its method and path ("/api/sessions/{id}"). */
export async function routeTable(app: FastifyInstance): Promise<{ method: string; path: string }[]> {
  const doc = (await app.inject({ method: "GET", url: "/docs/json" })).json() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods)
      .map((m) => m.toUpperCase())
      .filter((m) => ["GET", "POST", "PUT", "PATCH", "DELETE"].includes(m))
      .map((method) => ({ method, path })),
  );
}

/** The sign-in token inside a console cookie header ("gk_session=<token>.<signature>"). */
export function loginTokenOf(cookie: string): string {
  return decodeURIComponent(/gk_session=([^;]+)/.exec(cookie)![1]!).replace(/\.[^.]*$/, "");
}
