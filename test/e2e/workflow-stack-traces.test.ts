import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { startProcess, type ManagedProcess } from '../../infra/managed-process';
import { ensureVigilNamespace } from '../../infra/temporal-namespace';
import { TICKET_TASK_QUEUE, ticketWorkflowId } from '../../messages/ticket';
import { workerNodeArguments } from '../../worker/workflow-stack-traces';
import { OutputLines } from '../support/output-lines';
import { e2eEnv, openTicket, startStack, type Stack } from '../support/e2e/stack';

const repoRoot = path.resolve(__dirname, '../..');
/** What the SDK's workflow thread says when it cannot install its promise hook (@temporalio/worker's vm-shared.js). */
const SDK_WARNING = 'v8.promiseHooks.createHook is not available; stack trace collection will be disabled.';

/**
 * VIGIL_WORKFLOW_STACK_TRACES on worker/main.ts in a process of its own, started with the arguments package.json's
 * `worker` script gives node (workerNodeArguments), against the e2e Temporal server and PostgreSQL: a ticket opened
 * through the API, then the `__stack_trace` query the Temporal UI's "Stack Trace" tab sends to its workflow.
 */
describe('stack traces of a ticket workflow on a worker process', () => {
  const { temporalAddress, databaseUrl } = e2eEnv();
  let stack: Stack;
  let connection: Connection;
  let temporal: Client;
  // Of its own, with Vigil's search attributes: the worker process polls the product's task queue and keeps its
  // invoicing schedules there, away from the other tests'. The two workers below take turns on it.
  const namespace = `e2e-stack-traces-${randomUUID()}`;

  beforeAll(async () => {
    // The stack gives the customer, its contract and the keys; the tickets go to the worker process's namespace.
    stack = await startStack('stack-traces');
    await stack.stopWorker();
    connection = await Connection.connect({ address: temporalAddress });
    await ensureVigilNamespace(connection, namespace);
    temporal = new Client({ connection, namespace });
  }, 120_000);

  afterAll(async () => {
    await connection?.close();
    await stack?.stop();
  });

  describe.each([
    ['off', 'off'],
    ['unset, the default', undefined],
  ])('with VIGIL_WORKFLOW_STACK_TRACES %s', (_, setting) => {
    let worker: ManagedProcess | undefined;
    const output = new OutputLines();
    let call: Stack['call'];

    beforeAll(async () => {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        TEMPORAL_ADDRESS: temporalAddress,
        DATABASE_URL: databaseUrl,
        TEMPORAL_NAMESPACE: namespace,
      };
      delete env.VIGIL_WORKFLOW_STACK_TRACES;
      if (setting) env.VIGIL_WORKFLOW_STACK_TRACES = setting;
      worker = startProcess('worker', process.execPath, workerNodeArguments(repoRoot), {
        cwd: repoRoot,
        env,
        onLine: output.push,
      });
      void worker.exited.then((code) => output.push(`exited (${code})`));
      // What it said, when it exits instead of polling.
      const said = await output.waitFor(/worker polling task queue|^exited/);
      expect(said.startsWith('exited') ? output.lines : said).toMatch(/^worker polling/);
      ({ call } = await stack.addApi({ temporal, taskQueue: TICKET_TASK_QUEUE }));
    }, 120_000);

    afterAll(async () => {
      await worker?.stop();
    });

    it(
      setting === 'off'
        ? 'refuses the query, as the SDK does on a runtime without promise hooks'
        : "answers the query with the stack of the ticket's workflow",
      async () => {
        const ticketNumber = await openTicket(
          { call },
          {
            customerId: stack.customerId,
            priority: 'P3',
            title: 'Stack trace',
            description: 'What is my workflow waiting on?',
            contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
          },
        );
        const handle = temporal.workflow.getHandle(ticketWorkflowId(ticketNumber));
        if (setting === 'off') {
          await expect(handle.query('__stack_trace')).rejects.toThrow(
            'Workflow stack traces are not enabled on this worker',
          );
        } else {
          expect(await handle.query<string>('__stack_trace')).toMatch(/workflows\/ticket\.ts:\d+/);
        }
        // The SDK's workflow thread said so when it started, before the worker polled.
        expect(output.lines.includes(SDK_WARNING)).toBe(setting === 'off');
      },
      90_000,
    );
  });
});
