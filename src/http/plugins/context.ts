// Makes the configuration, the database and the domain context visible to every route.
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { Database } from "../../adapters/db/client.ts";
import type { Config } from "../../config.ts";
import type { Ctx } from "../../domain/context.ts";

declare module "fastify" {
  interface FastifyInstance {
    config: Config;
    database: Database;
    ctx: Ctx;
  }
}

export const contextPlugin = fp(
  async (app: FastifyInstance, opts: { ctx: Ctx }) => {
    app.decorate("ctx", opts.ctx);
    app.decorate("config", opts.ctx.config);
    app.decorate("database", opts.ctx.database);
    app.addHook("onClose", () => opts.ctx.database.close());
  },
  { name: "context" },
);
