# One image for every Tsunagu process; the command picks the app.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./
COPY --from=build /app/connector-configs ./connector-configs
COPY --from=build /app/docs/manuals ./docs/manuals
COPY --from=build /app/docs/policies ./docs/policies
USER node
# Flags as in apps/hub/src/runtime-flags.ts. Connectors run from the same image with their own
# flags (apps/connector/src/runtime-flags.ts; see docker-compose.yml).
CMD ["node", "--max-old-space-size=128", "--max-semi-space-size=8", "dist/apps/hub/src/main.js"]
