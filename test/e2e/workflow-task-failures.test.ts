import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { createActivities } from '../../activities/ticket-activities';
import { buildApp } from '../../api/app';
import { ticketWorkflowId, TICKET_WORKFLOW_TYPE, type OpenTicketInput } from '../../messages/ticket';
import { apiStores } from '../../db/api-stores';
import { startProcess, type ManagedProcess } from '../../infra/managed-process';
import { OutputLines } from '../support/output-lines';
import { registeredTicket } from '../support/ticket-state';
import { e2eEnv, eventually, migratedPool } from '../support/e2e/stack';

jest.setTimeout(120_000);

/**
 * A ticket whose workflow task fails must not fail silently. A real worker process, built with the
 * worker's own runtime (worker/runtime.ts), polls a task queue with a ticket workflow that fails every task; the
 * failure must reach PostgreSQL, the worker's log, the ticket's view, /ready and /metrics.
 */
describe('a ticket whose workflow task keeps failing', () => {
  const { temporalAddress, databaseUrl } = e2eEnv();
  const taskQueue = `e2e-failing-task-${randomUUID()}`;
  const output = new OutputLines();
  let db: Pool;
  let connection: Connection;
  let temporal: Client;
  let worker: ManagedProcess;
  let app: FastifyInstance;
  let baseUrl: string;
  let token: string;

  beforeAll(async () => {
    db = await migratedPool();
    worker = startProcess(
      'broken-worker',
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(__dirname, 'fixtures/broken-ticket-worker.ts'),
        temporalAddress,
        databaseUrl,
        taskQueue,
      ],
      {
        onLine: output.push,
      },
    );
    void worker.exited.then((code) => output.push(`exited (${code})`));
    expect(await output.waitFor(/^polling$|^exited/)).toBe('polling');
    connection = await Connection.connect({ address: temporalAddress });
    temporal = new Client({ connection });
    const stores = apiStores(db);
    token = (await stores.accounts.createApiKey({ role: 'agent', label: `failing task ${taskQueue}` })).token;
    app = buildApp({ temporal, ...stores, taskQueue, rateLimit: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
    await worker?.stop();
    await connection?.close();
    await db?.end();
  });

  const get = async (route: string) => {
    const response = await fetch(`${baseUrl}${route}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, warning: response.headers.get('warning'), text: await response.text() };
  };

  it('is recorded by the worker, logged, shown on the ticket, in /ready and in /metrics', async () => {
    const ticketNumber = `VIG-9${String(Date.now()).slice(-8)}`;
    const input: OpenTicketInput = {
      ticketNumber,
      customerId: 'acme',
      policyId: 'econnect',
      kind: 'incident',
      priority: 'P3',
      title: 'Stuck ticket',
      description: 'Its workflow task fails.',
      contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
    };
    // The read model's last copy, as the real activity writes it: what the ticket's view falls back to.
    const env = new MockActivityEnvironment({
      workflowExecution: { workflowId: ticketWorkflowId(ticketNumber), runId: 'run-1' },
    });
    await env.run(
      createActivities({ db }).recordTicketState,
      registeredTicket(input, Date.parse('2026-11-02T09:00:00+01:00'), 'support'),
    );
    const handle = await temporal.workflow.start(TICKET_WORKFLOW_TYPE, {
      taskQueue,
      workflowId: ticketWorkflowId(ticketNumber),
      args: [input],
    });

    const recorded = await eventually(
      () =>
        db.query(
          'SELECT workflow_id, run_id, message, nondeterminism, failures FROM workflow_task_failures WHERE run_id = $1',
          [handle.firstExecutionRunId],
        ),
      ({ rows }) => rows.length === 1 && rows[0].workflow_id !== null,
      60_000,
    );
    expect(recorded.rows).toEqual([
      {
        workflow_id: ticketWorkflowId(ticketNumber),
        run_id: handle.firstExecutionRunId,
        message: 'this workflow code cannot run this ticket',
        nondeterminism: false,
        failures: expect.any(Number),
      },
    ]);
    const logged = await output.waitFor(/workflow task failing/);
    expect(JSON.parse(logged)).toMatchObject({
      level: 'error',
      workflowId: ticketWorkflowId(ticketNumber),
      runId: handle.firstExecutionRunId,
      failure: 'this workflow code cannot run this ticket',
    });

    // Temporal counts the attempts of the pending task; the view waits until it shows a retry.
    await eventually(
      async () => (await handle.describe()).raw.pendingWorkflowTask?.attempt ?? 0,
      (attempt) => attempt > 1,
      60_000,
    );
    const view = await get(`/v1/tickets/${ticketNumber}`);
    expect(view.status).toBe(200);
    expect(JSON.parse(view.text)).toMatchObject({
      ticketNumber,
      status: 'support',
      stale: true,
      workflowTask: {
        failing: true,
        attempts: expect.any(Number),
        failure: 'this workflow code cannot run this ticket',
        nondeterminism: false,
        since: expect.any(String),
      },
    });
    expect(view.warning).toContain('its workflow task fails');

    const ready = JSON.parse((await get('/ready')).text);
    expect(ready.details.workflowTasks.failing).toBeGreaterThanOrEqual(1);
    expect(ready.details.workflowTasks.runs).toContainEqual(
      expect.objectContaining({ workflowId: ticketWorkflowId(ticketNumber), runId: handle.firstExecutionRunId }),
    );

    const scraped = (await get('/metrics')).text;
    const gauge = /^vigil_workflow_tasks_failing (\d+)$/m.exec(scraped);
    expect(Number(gauge?.[1])).toBeGreaterThanOrEqual(1);
    await handle.terminate('test over');
  });
});
