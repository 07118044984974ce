import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { ConfigError, configFromEnv } from '../infra/config';
import { temporalConnectionOptions } from '../infra/temporal-connection';
import { startOutboxDispatcher, type OutboxDispatcher } from '../mail/dispatcher';
import { startWebhookDispatcher } from '../mail/webhooks/dispatcher';
import { createActivityPools, DISPATCHER_POOL_SIZES } from './activity-pools';
import { createTicketWorkers } from './create-worker';
import { noticeTaskQueue, readModelTaskQueue } from '../messages/ticket';
import { ensureInvoicingSchedules } from './invoicing-schedule';
import { installWorkerRuntime } from './runtime';
import { exitOnError } from '../infra/exit';
import {
  WORKFLOW_STACK_TRACES_PRELOAD,
  WORKFLOW_STACK_TRACES_VARIABLE,
  workflowStackTracesPreloaded,
} from './workflow-stack-traces';

async function main(): Promise<void> {
  const config = configFromEnv();
  // Only the preload turns the SDK's stack traces off (worker/workflow-stack-traces.ts): without it, `off` would
  // silently change nothing.
  if (!config.workflowStackTraces && !workflowStackTracesPreloaded()) {
    throw new ConfigError(
      `${WORKFLOW_STACK_TRACES_VARIABLE}=off needs node started with --import ${WORKFLOW_STACK_TRACES_PRELOAD} after --import tsx, as npm run worker does`,
    );
  }
  // A PostgreSQL restart must not end the worker: activities fail and retry until the server is back.
  const logPoolError = (message: string, error: Error) => console.error(message, error);
  // The notices' transactions have connections of their own; a wait for one is bounded (worker/activity-pools.ts).
  const pools = createActivityPools(config.databaseUrl, config.workerTuning, logPoolError);
  const db = pools.shared;
  const runtime = installWorkerRuntime({ db, metricsAddress: config.workerMetricsAddress });
  await migrate(db);
  // Notices queued by the activities go out from here (mail/dispatcher.ts says why the worker runs it).
  let dispatcher: OutboxDispatcher | undefined;
  // A pool of its own: a burst of activities waiting for the worker's connections never holds a notice's delivery back.
  const outboxDb = createPool(
    { connectionString: config.databaseUrl, max: DISPATCHER_POOL_SIZES.outbox },
    logPoolError,
  );
  if (config.smtpUrl) {
    dispatcher = startOutboxDispatcher({
      db: outboxDb,
      smtpUrl: config.smtpUrl,
      from: config.mailFrom,
      log: (line) => console.error(JSON.stringify({ time: new Date().toISOString(), ...line })),
    });
    console.log(`delivering the outbox to ${new URL(config.smtpUrl).host}`);
  } else {
    console.warn('SMTP_URL is not set: notices stay queued in the outbox until a worker that has it starts');
  }
  // Webhooks need no configuration: the endpoints are rows an admin registers (POST /v1/admin/webhooks). A pool of its
  // own as the outbox's: its listening connection is held for good, and its lanes never wait behind activities.
  const webhookDb = createPool(
    { connectionString: config.databaseUrl, max: DISPATCHER_POOL_SIZES.webhooks },
    logPoolError,
  );
  const webhookDispatcher = startWebhookDispatcher({
    db: webhookDb,
    ...(config.webhookCaFile ? { ca: readFileSync(config.webhookCaFile, 'utf8') } : {}),
    log: (line) => console.error(JSON.stringify({ time: new Date().toISOString(), ...line })),
  });
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  const lookupConnection = await Connection.connect(temporalConnectionOptions(config.temporal));
  runtime.lookUpRunsWith(new Client({ connection: lookupConnection, namespace: config.temporal.namespace }));
  try {
    const outbox = dispatcher;
    const workers = await createTicketWorkers(
      {
        connection,
        namespace: config.temporal.namespace,
        db,
        noticeDb: pools.notices,
        // In the shared pool, not the notices': a delivery holds its connection while the SMTP server talks, and must
        // not keep a notice's transaction waiting. One that gets no connection in time leaves its row to the
        // dispatcher's lanes, which the row's NOTIFY has woken at its COMMIT.
        ...(outbox ? { deliverNow: (keys: readonly string[]) => outbox.deliverNow(db, keys) } : {}),
      },
      config.workerTuning,
    );
    const taskQueue = workers.ticket.options.taskQueue;
    const scheduler = await Connection.connect(temporalConnectionOptions(config.temporal));
    try {
      await ensureInvoicingSchedules(
        new Client({ connection: scheduler, namespace: config.temporal.namespace }),
        taskQueue,
      );
    } finally {
      await scheduler.close();
    }
    console.log(
      `notices on '${noticeTaskQueue(taskQueue)}', read-model writes on '${readModelTaskQueue(taskQueue)}' (${JSON.stringify(config.workerTuning)})`,
    );
    if (!config.workflowStackTraces)
      console.log(
        `${WORKFLOW_STACK_TRACES_VARIABLE}=off: workflows keep no stack traces, the Temporal UI's Stack Trace tab answers that they are not enabled`,
      );
    console.log(`worker polling task queue '${taskQueue}' on ${config.temporal.address}`);
    // The SDK stops the workers gracefully on SIGINT and SIGTERM: in-flight tasks finish, then run() resolves.
    await workers.run();
  } finally {
    await dispatcher?.stop();
    await webhookDispatcher.stop();
    await connection.close();
    await lookupConnection.close();
    await outboxDb.end();
    await webhookDb.end();
    await pools.end();
  }
}

main().catch(exitOnError);
