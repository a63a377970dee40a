# The worker and the API share this image; the command picks one:
#   docker run … scheduled-imports node dist/worker.mjs   (default: the API, tsx scripts/api.ts)
# glibc (Debian), not Alpine: the Temporal worker's native core needs it.
FROM node:20-bookworm-slim

# smbclient: the SMB file source drives Debian's client. tini: reaps those child
# processes and passes signals on, so the worker can finish its chunk on docker stop.
RUN apt-get update \
 && apt-get install -y --no-install-recommends smbclient tini ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The API listens on every interface of the container (outside one it defaults to
# 127.0.0.1): only the container network and the ports you publish reach it.
ENV NODE_ENV=production API_HOST=0.0.0.0
# Fewer malloc arenas: a smaller worker for the same speed (worker/malloc-arenas.ts).
ENV MALLOC_ARENA_MAX=2
COPY package.json package-lock.json ./
# Install scripts are not needed (and npm 11 skips them on developers' machines too).
RUN (npm ci --omit=dev --ignore-scripts --no-audit --no-fund || npm install --omit=dev --ignore-scripts --no-audit --no-fund) \
 && npm cache clean --force
COPY . .
# The worker built to plain JavaScript, with its workflow code bundled beside it (worker/build.ts):
# no TypeScript loader in the worker's process, and no bundling at each start.
RUN node --import tsx scripts/build-worker.ts

USER node
EXPOSE 3000
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["/app/node_modules/.bin/tsx", "scripts/api.ts"]
