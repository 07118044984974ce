# Vigil's image: the worker, the API, the inbound mail process and the `vigil` command line, one image, the process
# chosen by the command (docker-compose.yml gives each service its own). This project's machines have no Docker
# engine, so this file is not built there; test/repository/docker-compose.test.ts checks what it relies on (every
# package the processes import is a production dependency).
FROM node:20-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

# The dependencies first, a layer of their own that a change of code does not rebuild. tsx is a production dependency:
# the processes run from their TypeScript sources, as `npm run worker` and `npm run api` do.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY . .

# Where the compose stack's one-shot bootstrap leaves the keys it made (VIGIL_COMPOSE_KEYS_DIR), owned by the user the
# processes run as, so that a named volume mounted there starts with that owner.
RUN mkdir -p /var/lib/vigil/keys && chown node:node /var/lib/vigil/keys
USER node

# The API, the inbound SMTP listener, the worker's Prometheus metrics.
EXPOSE 3000 2525 9464
CMD ["node", "--import", "tsx", "api/server.ts"]
