# Gatekeeper: multi-stage build on Node 24. Migrations run at start-up (offline, in-process).
FROM node:24-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY . .
# postinstall generates the Prisma clients for both providers and builds the pages (Vite is a
# dev dependency); `npm run build` bundles the server into dist/ (esbuild); then the dev
# dependencies (TypeScript, tsx, esbuild, Vite, the test tools) and the TypeScript sources are
# dropped from what ships.
RUN npm ci && npm run build && npm prune --omit=dev && npm cache clean --force \
    && rm -rf src test bench web/src scripts

FROM node:24-bookworm-slim
# NODE_COMPILE_CACHE: Node keeps the compiled code of every module it loads, and dist/server.js
# keeps the server bundle's there too (src/code-cache.ts), so a restart skips compiling them.
ENV NODE_ENV=production \
    NODE_COMPILE_CACHE=/tmp/node-compile-cache \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_URL=file:/data/gatekeeper.db
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The bundled server (npm run build), run by node directly (not through npm), so SIGTERM reaches
# the graceful shutdown; migrations are applied at start-up. The CLI is `node dist/cli.js` (e.g.
# backups).
CMD ["node", "--enable-source-maps", "dist/server.js"]
