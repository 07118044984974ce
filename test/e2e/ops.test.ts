import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { buildApp } from '../../api/app';
import { apiTemporalConnectionOptions } from '../../api/dependency-clients';
import { postgresReady } from '../../api/readiness';
import { pgAccountStore } from '../../db/accounts';
import { pgIdempotencyStore } from '../../db/idempotency';
import { ticketNumberAllocator } from '../../db/ticket-numbers';
import { pgTicketSnapshots } from '../../db/ticket-snapshots';
import { startProcess, waitUntil, type ManagedProcess } from '../../infra/managed-process';
import { listensOn, startOnFreePorts } from '../../scripts/ports';
import { workerNodeArguments } from '../../worker/workflow-stack-traces';
import { e2eEnv, eventually, migratedPool } from '../support/e2e/stack';

const repoRoot = path.resolve(__dirname, '../..');

describe('operations on the real servers', () => {
  const { temporalAddress, databaseUrl } = e2eEnv();
  let db: Pool;
  let connection: Connection;
  let worker: ManagedProcess | undefined;
  let app: FastifyInstance;
  let workerMetricsPort: number;

  beforeAll(async () => {
    db = await migratedPool();
    connection = await Connection.connect(apiTemporalConnectionOptions(temporalAddress));
    // The worker process keeps its invoicing schedules in a namespace of its own, away from the other tests'.
    const namespace = `e2e-ops-${randomUUID()}`;
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    // The metrics port is the worker's first (its runtime's, before it connects anywhere): one another process took
    // ends the worker, which starts again on another.
    [worker, workerMetricsPort] = await startOnFreePorts(1, async ([port]) => {
      const started = startProcess('worker', process.execPath, workerNodeArguments(repoRoot), {
        cwd: repoRoot,
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: temporalAddress,
          DATABASE_URL: databaseUrl,
          TEMPORAL_NAMESPACE: namespace,
          VIGIL_WORKER_METRICS_ADDRESS: `127.0.0.1:${port}`,
        },
        onLine: () => undefined,
      });
      try {
        await waitUntil('the worker metrics endpoint', () => listensOn(started.child.pid, port!), {
          process: started,
          timeoutMs: 60_000,
        });
      } catch (error) {
        await started.stop();
        throw error;
      }
      return [started, port!] as const;
    });
    app = buildApp({
      // In the worker's namespace: /ready asks whether a worker polls the ticket task queue there.
      temporal: new Client({ connection, namespace }),
      allocateTicketNumber: ticketNumberAllocator(db),
      accounts: pgAccountStore(db),
      idempotency: pgIdempotencyStore(db),
      snapshots: pgTicketSnapshots(db),
      readiness: { postgresql: postgresReady(db) },
      metrics: { workerMetricsUrl: `http://127.0.0.1:${workerMetricsPort}/metrics` },
    });
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await app.close();
    await connection.close();
    await db.end();
  });

  it('is ready when PostgreSQL and Temporal answer and the worker polls', async () => {
    // The worker process polls once it has bundled its workflows. Asked once a second: /ready shares its answer for a
    // second anyway, and limits each address.
    const ready = async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return (await app.inject({ method: 'GET', url: '/ready' })).json();
    };
    expect(await eventually(ready, (body) => body.status === 'ready', 60_000)).toEqual({
      status: 'ready',
      checks: { temporal: 'up', worker: 'up', postgresql: 'up' },
    });
  }, 90_000);

  it("serves the worker's Temporal SDK metrics under the API's /metrics", async () => {
    // The endpoint opens with the SDK runtime; the worker's slot series appear once its pollers run.
    const scrape = async () => (await app.inject({ method: 'GET', url: '/metrics' })).body;
    const polling = /^temporal_worker_task_slots_available\{/m;
    const body = await eventually(scrape, (text) => polling.test(text), 60_000);
    expect(body).toMatch(/^vigil_worker_metrics_up 1$/m);
    expect(body).toMatch(polling);
    expect(body).toMatch(/^temporal_request_latency_bucket\{/m);
    expect(body).toMatch(/^http_request_duration_seconds_bucket\{/m);
  }, 90_000);
});
