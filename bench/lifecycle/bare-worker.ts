/** The baseline's worker, a process of its own as Vigil's is, so that each one's CPU time is read apart. */
import { NativeConnection, Worker } from '@temporalio/worker';

export const BARE_TASK_QUEUE = 'bench-bare';

async function main(): Promise<void> {
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
  const worker = await Worker.create({ connection, taskQueue: BARE_TASK_QUEUE, workflowsPath: require.resolve('./bare-workflow') });
  console.log(`worker polling task queue '${BARE_TASK_QUEUE}'`);
  await worker.run();
  await connection.close();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
