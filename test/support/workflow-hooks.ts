import { globalHandlers } from '@temporalio/worker/lib/workflow/vm-shared';

/**
 * Worker.runReplayHistory runs workflow code in the test's own thread (the SDK's debug mode), where @temporalio/worker's
 * lib/workflow/vm-shared.js installs a V8 promise hook, for workflow stack traces, and an Error.prepareStackTrace, and
 * never removes them: in a worker they live in a workflow thread that ends with it. Jest runs every file of the suite in
 * one process on this project's 2-core machines, so after test/replay/ or test/workflows/registration.test.ts the hook
 * ran at every promise of every later file, compiling a function at each (300,000 awaits took 2.2 to 2.9 s after one
 * replay, 0.2 s before it and after this), one more hook for each file that replayed, and it kept that file's module
 * registry alive, its workflow bundle and source maps included. test/support/workflow-hooks-teardown.ts calls this at
 * the end of each file of the projects that start workers; it also frees the source maps the replays parsed (they live
 * in the source-map package's WebAssembly memory).
 */
export function removeWorkflowHooks(): void {
  if (globalHandlers.installed) globalHandlers.uninstall();
  for (const consumer of globalHandlers.bundleFilenameToSourceMapConsumer.values()) consumer.destroy();
  globalHandlers.bundleFilenameToSourceMapConsumer.clear();
}

/** Whether the SDK's hooks are installed in this thread now. */
export const workflowHooksInstalled = (): boolean => globalHandlers.installed;
