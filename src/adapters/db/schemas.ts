// The two Prisma schemas (SQLite, PostgreSQL) are the one model source plus a provider header.
import { readFileSync } from "node:fs";
import { projectPath } from "../../paths.ts";

export const providers = ["sqlite", "postgresql"] as const;
export type Provider = (typeof providers)[number];

const prismaDir = `${projectPath("prisma")}/`;

export function schemaPath(provider: Provider): string {
  return `${prismaDir}${provider}/schema.prisma`;
}

export function migrationsDir(provider: Provider): string {
  return `${prismaDir}${provider}/migrations`;
}

export function readModels(): string {
  return readFileSync(`${prismaDir}models.prisma`, "utf8");
}

export function renderSchema(provider: Provider, models = readModels()): string {
  const header = `// GENERATED from prisma/models.prisma by \`npm run db:schemas\`: edit that file, not this one.

generator client {
  provider     = "prisma-client"
  output       = "../../src/adapters/db/generated/${provider}"
  moduleFormat = "esm"${provider === "postgresql" ? '\n  previewFeatures = ["relationJoins"]' : ""}
}

datasource db {
  provider = "${provider}"
}

`;
  return header + models;
}
