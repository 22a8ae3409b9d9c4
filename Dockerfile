# syntax=docker/dockerfile:1
# Recomp's image: three stages on the same pinned Node 24 LTS base.
#   builder  all dependencies; `npm ci` builds (package.json "prepare": `npm run build`): the
#            service compiled to JavaScript in dist/, the web app in web/dist
#   deps     production dependencies only: no TypeScript, no tsx, no Vite
#   runtime  the build, the migrations and the production dependencies, without the sources, run as
#            the unprivileged `node` user, with a HEALTHCHECK on GET /health/ready
# Start commands are the same as without containers (docs/DEPLOY.md): the image runs the start
# script's own command; `npm run db:migrate` runs the migrations alone (a compose step, a Kubernetes Job).
# test/deploy/deploy.test.ts checks that every command, file, port and variable used here exists in the repo.

ARG NODE_IMAGE=node:24.21.0-bookworm-slim

FROM ${NODE_IMAGE} AS builder
WORKDIR /app
COPY . .
# The install builds, so it needs the sources first; the cache mount keeps the downloads between builds.
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
# --ignore-scripts: no "prepare" (the builder built; its tools are not installed here). That skips
# "postinstall" too, which applies patches/ to the dependencies (patches/README.md), so it runs by name.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm run postinstall && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    RECOMP_DATA_DIR=/app/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json ./
# dist/drizzle and dist/web/dist are links to these two (scripts/build-server.cjs).
COPY drizzle ./drizzle
COPY --from=builder /app/web/dist ./web/dist
COPY --from=builder /app/dist ./dist
# The code belongs to root and is read-only for the service; only the data folder (the embedded
# database when DATABASE_URL is unset) is the service user's.
RUN mkdir -p /app/data && chown node:node /app/data \
    && ln -s /app/dist/src/cli/main.js /usr/local/bin/recomp
USER node
EXPOSE 8000
# No curl in the slim image: Node's own fetch asks for readiness (the database answers).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# package.json "start" without npm in between (nor its "prestart" check for a build), so SIGTERM
# reaches the service itself and it drains in-flight requests (src/server.ts); env replaces itself
# with node. The flags and the allocator setting hold its memory down: docs/PERFORMANCE.md, "Memory
# of the embedded database".
CMD ["env", "MALLOC_MMAP_THRESHOLD_=65536", "node", "--max-old-space-size=1024", "--max-semi-space-size=4", "--liftoff-only", "dist/src/server.js"]
