# syntax=docker/dockerfile:1
#
# One image for every Stratum process; the first argument chooses which (docker/entrypoint.sh):
#
#   docker build -t stratum .
#   docker run stratum gateway            # or ingest, dedup, identity-resolution, delivery-adapter, retry, profile-api
#   docker run stratum migrate            # database migrations + the topic catalogue (one-shot)
#   docker run stratum stratum tenant list
#
# There is no build step: the services run TypeScript from source under tsx, exactly as `pnpm start`
# runs them (`node --import tsx services/<name>/src/main.ts`). The image holds the workspace's
# sources and a production-only node_modules for the services, the CLI and the packages they use.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- pnpm, at the version package.json's packageManager and .ci/run name (a test checks they agree)
FROM ${NODE_IMAGE} AS pnpm
ARG PNPM_VERSION=10.34.9
RUN npm install --global "pnpm@${PNPM_VERSION}" && npm cache clean --force
ENV PNPM_STORE_DIR=/pnpm/store

# ---- every package tarball of the lockfile into the store (/pnpm/store). Only the lockfile and the
# install settings are copied, so this layer is rebuilt when they change, not on every source edit.
# pnpm fetch also lays out a virtual store in its working directory: that stays in /fetch, out of
# the image, and the installs below link from the store.
FROM pnpm AS fetch
WORKDIR /fetch
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
RUN pnpm fetch --store-dir "$PNPM_STORE_DIR"

# ---- the pruned workspace: the services and the CLI with the workspace packages they depend on
# (--filter-prod follows dependencies, not devDependencies: no test harness, no testcontainers),
# without devDependencies, from the store only.
FROM fetch AS deps
WORKDIR /app
COPY . .
RUN pnpm install --offline --frozen-lockfile --prod --store-dir "$PNPM_STORE_DIR" \
      --filter-prod '@stratum/service-*...' --filter-prod '@stratum/cli...'

# ---- tsx, the TypeScript loader. It is a devDependency of the workspace root, so the --prod
# install above leaves it out: a frozen install of the root alone (hoisted, so each package is a
# top-level folder) gives it at the lockfile's version, and only tsx and what it loads are kept.
FROM fetch AS tsx
WORKDIR /root-install
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc package.json ./
RUN pnpm install --offline --frozen-lockfile --store-dir "$PNPM_STORE_DIR" --config.node-linker=hoisted --filter stratum
COPY docker/copy-closure.mjs /tmp/copy-closure.mjs
RUN node /tmp/copy-closure.mjs /root-install/node_modules /tsx/node_modules tsx

# ---- the runtime
FROM ${NODE_IMAGE} AS runtime
# tini as PID 1: forwards SIGTERM to node (which drains its batch or its requests before exiting)
# and reaps zombies. Kubernetes has no --init, so it lives in the image.
RUN apt-get update \
 && apt-get install --yes --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and read-only to the process: the services write nothing under /app (tsx keeps its
# transform cache in the OS temp dir).
COPY --from=deps /app /app
COPY --from=tsx /tsx/node_modules/ /app/node_modules/
# The `node` user (uid 1000) of the official image: nothing here needs root.
USER node
# Documentation only: the gateway's API and /metrics, the profile API's, a stage's METRICS_PORT.
EXPOSE 8080 8090 9464
ENTRYPOINT ["/usr/bin/tini", "--", "/bin/sh", "/app/docker/entrypoint.sh"]
CMD ["help"]
