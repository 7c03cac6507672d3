// Writes the per-provider schemas from prisma/models.prisma and generates both Prisma clients.
// `prisma generate` never runs the native schema engine, but insists that one exists: pointing it
// at any existing file (here, node itself) keeps the CLI from trying to download one.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { providers, renderSchema, schemaPath } from "../src/adapters/db/schemas.ts";

for (const provider of providers) {
  mkdirSync(dirname(schemaPath(provider)), { recursive: true });
  writeFileSync(schemaPath(provider), renderSchema(provider));
  execFileSync("npx", ["prisma", "generate", "--schema", schemaPath(provider)], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
}
console.log(`generated Prisma clients for ${providers.join(", ")}`);
