import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { configFromEnv } from '../infra/config';
import { temporalConnectionOptions } from '../infra/temporal-connection';
import { startOutboxDispatcher, type OutboxDispatcher } from '../mail/dispatcher';
import { startWebhookDispatcher } from '../mail/webhooks/dispatcher';
import { createTicketWorker } from './create-worker';
import { ensureInvoicingSchedules } from './invoicing-schedule';
import { installWorkerRuntime } from './runtime';
import { exitOnError } from '../infra/exit';

async function main(): Promise<void> {
  const config = configFromEnv();
  // A PostgreSQL restart must not end the worker: activities fail and retry until the server is back.
  const db = createPool({ connectionString: config.databaseUrl }, (message, error) => console.error(message, error));
  const runtime = installWorkerRuntime({ db, metricsAddress: config.workerMetricsAddress });
  await migrate(db);
  // Notices queued by the activities go out from here (mail/dispatcher.ts says why the worker runs it).
  let dispatcher: OutboxDispatcher | undefined;
  if (config.smtpUrl) {
    dispatcher = startOutboxDispatcher({
      db,
      smtpUrl: config.smtpUrl,
      from: config.mailFrom,
      log: (line) => console.error(JSON.stringify({ time: new Date().toISOString(), ...line })),
    });
    console.log(`delivering the outbox to ${new URL(config.smtpUrl).host}`);
  } else {
    console.warn('SMTP_URL is not set: notices stay queued in the outbox until a worker that has it starts');
  }
  // Webhooks need no configuration: the endpoints are rows an admin registers (POST /v1/admin/webhooks).
  const webhookDispatcher = startWebhookDispatcher({
    db,
    ...(config.webhookCaFile ? { ca: readFileSync(config.webhookCaFile, 'utf8') } : {}),
    log: (line) => console.error(JSON.stringify({ time: new Date().toISOString(), ...line })),
  });
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  const lookupConnection = await Connection.connect(temporalConnectionOptions(config.temporal));
  runtime.lookUpRunsWith(new Client({ connection: lookupConnection, namespace: config.temporal.namespace }));
  try {
    const worker = await createTicketWorker({ connection, namespace: config.temporal.namespace, db });
    const scheduler = await Connection.connect(temporalConnectionOptions(config.temporal));
    try {
      await ensureInvoicingSchedules(
        new Client({ connection: scheduler, namespace: config.temporal.namespace }),
        worker.options.taskQueue,
      );
    } finally {
      await scheduler.close();
    }
    console.log(`worker polling task queue '${worker.options.taskQueue}' on ${config.temporal.address}`);
    // The SDK stops the worker gracefully on SIGINT and SIGTERM: in-flight tasks finish, then run() resolves.
    await worker.run();
  } finally {
    await dispatcher?.stop();
    await webhookDispatcher.stop();
    await connection.close();
    await lookupConnection.close();
    await db.end();
  }
}

main().catch(exitOnError);
