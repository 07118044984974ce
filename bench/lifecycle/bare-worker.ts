/** The baseline's worker, a process of its own as Vigil's is, so that each one's CPU time is read apart. */
import { runBareWorkerAsMain } from '../bare-worker-process';

export const BARE_TASK_QUEUE = 'bench-bare';

runBareWorkerAsMain(module, () => ({ taskQueue: BARE_TASK_QUEUE, workflowsPath: require.resolve('./bare-workflow') }));
