/**
 * Given to node as `--import` after `--import tsx` by every launch of worker/main.ts (package.json's `worker` script,
 * scripts/dev.ts, docker-compose.yml, bench/chaos/stack.ts): node runs it in the main thread and again in each worker
 * thread, the Temporal SDK's workflow thread among them, before any of their code. worker/workflow-stack-traces.ts
 * says why. With VIGIL_WORKFLOW_STACK_TRACES unset or `on` it changes nothing but marks that it ran; any value other
 * than `on` or `off` is left to infra/config.ts, which refuses it before the worker starts a thread.
 *
 * Plain JavaScript, not TypeScript: tried after `--import tsx` on Node 20, a .ts preload loads in the main thread but
 * fails in a worker thread with ERR_UNKNOWN_FILE_EXTENSION (tsx's loader is not in place there yet when node loads
 * it), which would end the SDK's workflow thread. For the same reason it imports nothing of this repository's: its two
 * names, the variable and the mark below, are those worker/workflow-stack-traces.ts reads.
 */
import v8 from 'node:v8';

if (process.env.VIGIL_WORKFLOW_STACK_TRACES === 'off') {
  // The SDK reads `v8.promiseHooks.createHook` from node:v8's exports when its workflow thread starts, and catches what
  // it throws (its fallback for runtimes without promise hooks), then warns on the console. A copy of promiseHooks
  // takes the place of node:v8's, rather than a change to its createHook: that object is Node's own, through which
  // AsyncLocalStorage installs its hooks, and the SDK's workflow thread runs its workflows in AsyncLocalStorage.
  v8.promiseHooks = {
    ...v8.promiseHooks,
    createHook() {
      throw new Error('stack traces of workflow promises turned off by VIGIL_WORKFLOW_STACK_TRACES=off');
    },
  };
}
globalThis[Symbol.for('vigil.workflowStackTraces.preloaded')] = true;
