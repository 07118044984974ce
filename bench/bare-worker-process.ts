/**
 * The baselines' workers (bench/lifecycle/bare-worker.ts, bench/notices/bare-worker.ts), each a process of its own as
 * Vigil's worker is, so that its CPU time is read apart: one task queue, the bare workflow and its activities, if any.
 */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';

export type BareWorkerOptions = Pick<WorkerOptions, 'taskQueue' | 'workflowsPath' | 'activities'>;

/** Polls until the process is stopped; says `worker polling task queue '…'` once it does, which the benches wait for. */
async function runBareWorker(options: BareWorkerOptions): Promise<void> {
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
  const worker = await Worker.create({ connection, ...options });
  console.log(`worker polling task queue '${options.taskQueue}'`);
  await worker.run();
  await connection.close();
}

/** Runs the worker when `entry` is the process's main module (the bench starts it with tsx); importing it does not. */
export function runBareWorkerAsMain(entry: NodeModule, options: () => BareWorkerOptions): void {
  if (require.main !== entry) return;
  const run = async () => runBareWorker(options());
  run().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
