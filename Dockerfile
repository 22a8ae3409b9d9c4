# syntax=docker/dockerfile:1
# Recomp's image: three stages on the same pinned Node 24 LTS base.
#   builder  all dependencies; builds what `npm start` builds (the web app, web/dist; the service
#            compiled to JavaScript, dist/)
#   deps     production dependencies only
#   runtime  the compiled service, the migrations, the built web app and the production dependencies, run as
#            the unprivileged `node` user, with a HEALTHCHECK on GET /health/ready
# Start commands are the same as without containers (docs/DEPLOY.md): the image runs the start
# script's own command; `npm run db:migrate` runs the migrations alone (a compose step, a Kubernetes Job).
# test/deploy/deploy.test.ts checks that every command, file, port and variable used here exists in the repo.

ARG NODE_IMAGE=node:24.21.0-bookworm-slim

FROM ${NODE_IMAGE} AS builder
WORKDIR /app
COPY package.json package-lock.json ./
# Fixes to dependencies (patches/, applied by `npm ci` through patch-package: docs/PERFORMANCE.md, change 19).
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY . .
# The builds `npm start` would do before starting (package.json "prestart", then scripts/start.cjs
# compiling src/ to dist/), run here once, so the runtime stage never builds. The web build is soft
# by design (the API starts without the web app): the test afterwards makes a failed build fail the
# image instead.
RUN npm run prestart && test -f web/dist/index.html && npm run build && test -f dist/src/server.js

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    RECOMP_DATA_DIR=/app/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
# The sources stay beside their build: start.cjs checks that dist/ was built from exactly them.
COPY src ./src
COPY web/src/paths.ts ./web/src/paths.ts
COPY scripts/start.cjs scripts/build-server.cjs ./scripts/
COPY drizzle ./drizzle
COPY --from=builder /app/web/dist ./web/dist
COPY --from=builder /app/dist ./dist
# The code belongs to root and is read-only for the service; only the data folder (the embedded
# database when DATABASE_URL is unset) is the service user's.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8000
# No curl in the slim image: Node's own fetch asks for readiness (the database answers).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# package.json "start" without its prestart (built above) and without npm in between, so SIGTERM
# reaches the service itself and it drains in-flight requests (src/server.ts).
CMD ["node", "--max-old-space-size=1024", "scripts/start.cjs"]
