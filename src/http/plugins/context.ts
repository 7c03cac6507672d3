// Makes the configuration and the database visible to every route.
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { Database } from "../../adapters/db/client.ts";
import type { Config } from "../../config.ts";

declare module "fastify" {
  interface FastifyInstance {
    config: Config;
    database: Database;
  }
}

export const contextPlugin = fp(
  async (app: FastifyInstance, opts: { config: Config; database: Database }) => {
    app.decorate("config", opts.config);
    app.decorate("database", opts.database);
    app.addHook("onClose", () => opts.database.close());
  },
  { name: "context" },
);
