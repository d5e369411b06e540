# Image for the ledgerbridge API and worker (see temporal-docker-compose.yml).
# Build stage: compile TypeScript to dist/ and prebuild the workflow bundle (npm run build).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Runtime: production dependencies and the compiled code only; processes start with `node`, not tsx.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
# Two glibc malloc arenas instead of up to 8 per core: the worker's native threads (Temporal core, V8) otherwise
# each keep a fragmented arena of their own (runtime/worker-node-flags.ts).
ENV MALLOC_ARENA_MAX=2
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
CMD ["node", "dist/runtime/api-main.js"]
