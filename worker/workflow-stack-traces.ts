/**
 * VIGIL_WORKFLOW_STACK_TRACES: whether the worker keeps the Temporal SDK's stack trace of every promise its workflows
 * create, which a workflow's `__stack_trace` query (the Temporal UI's "Stack Trace" tab) answers with.
 *
 * The SDK records them through a V8 promise hook it installs in its workflow thread (GlobalHandlers.setPromiseHook in
 * @temporalio/worker's lib/workflow/vm-shared.js), and no WorkerOptions turns it off. It has a fallback for runtimes
 * without promise hooks: when `v8.promiseHooks.createHook` throws, it warns on the console and its workflows answer
 * the query with "Workflow stack traces are not enabled on this worker". With the variable `off`,
 * worker/workflow-stack-traces-preload.mjs gives node:v8 a promiseHooks whose createHook throws, in every thread of
 * the worker process, the SDK's workflow thread among them, which only a module given to node with `--import` on its
 * command line reaches: NODE_OPTIONS, `--require` and a change of process.execArgv at run time do not.
 *
 * This module has no side effect: infra/config.ts reads the variable with it, and worker/main.ts asks it whether the
 * preload ran.
 */
import path from 'node:path';

export const WORKFLOW_STACK_TRACES_VARIABLE = 'VIGIL_WORKFLOW_STACK_TRACES';

/** The preload, as the worker's launches give it to node after `--import tsx` (relative to the repository). */
export const WORKFLOW_STACK_TRACES_PRELOAD = 'worker/workflow-stack-traces-preload.mjs';

/**
 * node's arguments that run worker/main.ts of the repository at `repoRoot` as package.json's `worker` script does,
 * the preload after tsx: for the launches that start it as a child process (scripts/dev.ts, bench/chaos/stack.ts).
 */
export const workerNodeArguments = (repoRoot: string): string[] => [
  '--import',
  'tsx',
  '--import',
  path.join(repoRoot, WORKFLOW_STACK_TRACES_PRELOAD),
  path.join(repoRoot, 'worker/main.ts'),
];

/** The mark the preload sets on globalThis in each thread it runs in (the same Symbol.for key as there). */
const PRELOADED = Symbol.for('vigil.workflowStackTraces.preloaded');

/** The variable's value: `on` (the default, also when unset or empty), `off`, or undefined for anything else. */
export function workflowStackTracesSetting(value: string | undefined): 'on' | 'off' | undefined {
  if (value === undefined || value === '' || value === 'on') return 'on';
  if (value === 'off') return 'off';
  return undefined;
}

/** Whether this process was started with the preload: `off` without it would silently change nothing. */
export function workflowStackTracesPreloaded(): boolean {
  return (globalThis as Record<symbol, unknown>)[PRELOADED] === true;
}
