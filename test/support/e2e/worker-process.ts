/**
 * A ticket worker in a process of its own on an e2e stack's task queue and servers, beside the stack's own worker:
 * a second worker machine, which a test can kill outright (SIGKILL, nothing flushed) rather than shut down.
 */
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { createPool } from '../../../db/pool';
import { startProcess, waitUntil, type ManagedProcess } from '../../../infra/managed-process';
import { createTicketWorkers } from '../../../worker/create-worker';

const READY_LINE = 'worker polling task queue';

/** Starts the process and resolves once its worker polls `taskQueue`; its warnings go to stderr, prefixed. */
export async function startWorkerProcess(name: string, taskQueue: string): Promise<ManagedProcess> {
  let polling = false;
  // The servers' addresses and the workflow bundle are in the environment the e2e global setup gave this process.
  const managed = startProcess(name, process.execPath, ['--import', 'tsx', __filename], {
    cwd: path.resolve(__dirname, '..', '..', '..'),
    env: { ...process.env, VIGIL_E2E_TASK_QUEUE: taskQueue },
    onLine: (line) => {
      if (line.includes(READY_LINE)) polling = true;
      // The SDK's informational lines would bury a test's own output: warnings and errors only.
      else if (/warn|error/i.test(line)) process.stderr.write(`[${name}] ${line}\n`);
    },
  });
  await waitUntil(name, async () => polling, { timeoutMs: 120_000, process: managed });
  return managed;
}

async function runWorker(): Promise<void> {
  const taskQueue = process.env.VIGIL_E2E_TASK_QUEUE!;
  const db = createPool({ connectionString: process.env.DATABASE_URL }, (message, error) =>
    console.error(message, error),
  );
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
  const codePath = process.env.VIGIL_E2E_WORKFLOW_BUNDLE;
  const worker = await createTicketWorkers({
    connection,
    namespace: 'default',
    db,
    taskQueue,
    ...(codePath ? { workflowBundle: { codePath } } : {}),
  });
  console.log(`${READY_LINE} '${taskQueue}'`);
  await worker.run();
  await connection.close();
  await db.end();
}

if (require.main === module) {
  runWorker().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
