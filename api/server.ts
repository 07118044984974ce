import { Client, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { apiStores } from '../db/api-stores';
import { migrate } from '../db/migrate';
import { configFromEnv } from '../infra/config';
import { buildApp } from './app';
import { apiPoolConfig, apiTemporalConnectionOptions } from './dependency-clients';
import { postgresReady } from './readiness';
import { apiLoggerOptions } from './request-log';

async function main(): Promise<void> {
  const config = configFromEnv();
  const db = new Pool(apiPoolConfig(config.databaseUrl));
  // An idle client whose server went away emits 'error' on the pool: without a listener that kills the process.
  db.on('error', (error) => console.error('idle PostgreSQL client failed', error));
  await migrate(db);
  const connection = await Connection.connect(apiTemporalConnectionOptions(config.temporalAddress));
  const temporal = new Client({ connection, namespace: config.temporalNamespace });
  const app = buildApp(
    {
      temporal,
      ...apiStores(db),
      readiness: { postgresql: postgresReady(db) },
      rateLimit: { max: config.rateLimitPerMinute, windowMs: 60_000 },
      metrics: { workerMetricsUrl: config.workerMetricsUrl },
    },
    { logger: apiLoggerOptions(config.logLevel) },
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

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
