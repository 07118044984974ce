import { Client, Connection } from '@temporalio/client';
import { apiStores } from '../db/api-stores';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { configFromEnv } from '../infra/config';
import { buildApp } from './app';
import { consoleSettingsFromEnv } from './web/console-settings';
import { API_HANDLER_TIMEOUT_MS, apiPoolConfig, apiTemporalConnectionOptions } from './dependency-clients';
import { postgresReady } from './readiness';
import { ticketQueueBackPressure } from './back-pressure';
import { apiLoggerOptions } from './request-log';
import { exitOnError } from '../infra/exit';

async function main(): Promise<void> {
  const config = configFromEnv();
  const db = createPool(apiPoolConfig(config.databaseUrl), (message, error) => console.error(message, error));
  await migrate(db);
  const connection = await Connection.connect(apiTemporalConnectionOptions(config.temporal));
  const temporal = new Client({ connection, namespace: config.temporal.namespace });
  const stores = apiStores(db);
  const app = buildApp(
    {
      temporal,
      ...stores,
      people: { ...stores.people, settings: consoleSettingsFromEnv() },
      readiness: { postgresql: postgresReady(db) },
      backPressure: ticketQueueBackPressure(temporal, config.busyBounds),
      rateLimit: { max: config.rateLimitPerMinute, windowMs: 60_000 },
      metrics: { workerMetricsUrl: config.workerMetricsUrl },
    },
    // Fastify's deadline on every request (api/dependency-clients.ts says why this long).
    {
      logger: apiLoggerOptions(config.logLevel),
      handlerTimeout: API_HANDLER_TIMEOUT_MS,
      ...(config.trustProxy ? { trustProxy: config.trustProxy } : {}),
    },
  );

  let closing = false;
  const close = async (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'closing');
    await app.close();
    await connection.close();
    await db.end();
  };
  process.once('SIGINT', (signal) => void close(signal));
  process.once('SIGTERM', (signal) => void close(signal));

  await app.listen({ host: config.apiHost, port: config.apiPort });
}

main().catch(exitOnError);
