# syntax=docker/dockerfile:1
# Warden: the GitHub App (default command) and the `warden` CLI in one image.
#   docker build -t warden .
#   docker run --env-file .env -p 3000:3000 warden   (Prometheus scrapes :9464/metrics; do not publish it)
#   docker run --rm -v "$PWD:/src" -w /src warden node /app/dist/cli/main.js scan --format sarif

# Build stage: the tree-sitter addons compile from source when no prebuilt binary fits,
# which needs python3, make and a C++ compiler. Same Debian release as the runtime stage,
# so the compiled addons link against the same glibc.
FROM node:20-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
# `npm ci` runs the prepare script, which compiles src/ to dist/.
RUN npm ci \
 && npm prune --omit=dev

FROM node:20-slim AS runtime
# git lets the CLI honour .gitignore and run `--diff`; a mounted checkout usually belongs to
# another user, so git must not refuse it as a "dubious ownership" repository.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && git config --system --add safe.directory '*'
# The webhook port faces GitHub; the metrics port is for Prometheus inside the cluster only.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    METRICS_HOST=0.0.0.0 \
    METRICS_PORT=9464
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY app.yml ./app.yml
# The image's unprivileged `node` user (uid 1000); the files above stay root-owned and read-only to it.
USER node
EXPOSE 3000 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/app/server.js"]
