// Each test owns its database: a fresh SQLite file, or a fresh PostgreSQL database created on the
// server at GATEKEEPER_TEST_POSTGRES_URL and dropped afterwards. PostgreSQL tests skip, loudly,
// when no server answers, unless GATEKEEPER_REQUIRE_POSTGRES=1 (set by .ci/run) makes them required.
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { pgConfig } from "../../src/adapters/db/connection.ts";
import { adminQuery } from "../../src/adapters/db/migrate.ts";
import type { Provider } from "../../src/adapters/db/schemas.ts";

export const postgresServerUrl = process.env.GATEKEEPER_TEST_POSTGRES_URL ?? "postgresql://gatekeeper_test@127.0.0.1:5432/postgres";
const postgresRequired = process.env.GATEKEEPER_REQUIRE_POSTGRES === "1";

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ ...pgConfig(postgresServerUrl), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (err) {
    if (postgresRequired) throw new Error(`GATEKEEPER_REQUIRE_POSTGRES=1 but PostgreSQL at ${postgresServerUrl} does not answer: ${err}`);
    console.warn(`\n!!! PostgreSQL at ${postgresServerUrl} does not answer: PostgreSQL tests are SKIPPED (${err})\n`);
    return false;
  }
}

export const postgresAvailable = await postgresAnswers();

/** The providers this run tests: SQLite always, PostgreSQL when it answers (always in CI). */
export const providers: Provider[] = postgresAvailable ? ["sqlite", "postgresql"] : ["sqlite"];

export const redisUrl = process.env.GATEKEEPER_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

async function redisAnswers(): Promise<boolean> {
  const { Redis } = await import("ioredis");
  const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (err) {
    if (process.env.GATEKEEPER_REQUIRE_REDIS === "1")
      throw new Error(`GATEKEEPER_REQUIRE_REDIS=1 but Redis at ${redisUrl} does not answer: ${err}`);
    console.warn(`\n!!! Redis at ${redisUrl} does not answer: the two-instance tests are SKIPPED (${err})\n`);
    return false;
  } finally {
    client.disconnect();
  }
}

export const redisAvailable = await redisAnswers();

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function scratchDatabase(provider: Provider): Promise<ScratchDatabase> {
  const id = randomUUID().replaceAll("-", "").slice(0, 16);
  if (provider === "sqlite") {
    const path = join(tmpdir(), `gatekeeper-test-${id}.db`);
    return {
      url: `file:${path}`,
      drop: async () => {
        for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(path + suffix, { force: true });
      },
    };
  }
  const name = `gatekeeper_test_${id}`;
  await adminQuery(postgresServerUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(postgresServerUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(postgresServerUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
