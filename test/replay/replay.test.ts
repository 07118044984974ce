import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../worker/workflow-code';
import { removeWorkflowHooks, workflowHooksInstalled } from '../support/workflow-hooks';

jest.setTimeout(120_000);

/**
 * Histories recorded from every path of the workflow tests (RECORD_HISTORIES=1 npx jest test/workflows) and of the
 * 200 concurrent actions (RECORD_HISTORIES=1 npx jest test/e2e/concurrent-actions.test.ts --selectProjects=e2e) are
 * replayed against the current workflow code: a change that would not replay in production fails here. Once tickets
 * run in production, a change meant to alter behaviour is guarded with patched() so that these histories still
 * replay. (The workflow of decide and evolve replaced the one before it while nothing was deployed: its histories start here.)
 */
const HISTORIES_DIR = path.join(__dirname, 'histories');
// Histories of earlier versions stay, in a folder named after the commit that recorded them: running workflows
// started by that code must keep replaying.
const histories = fs
  .readdirSync(HISTORIES_DIR, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.json'))
  .sort();

describe('recorded ticket histories replay against the current workflow code', () => {
  // Bundled once for all of them: handed the workflows' path, each replay ran webpack again, about twenty bundlings in
  // the one Jest process the whole suite runs in on two cores, where it took ten minutes and more at the suite's end.
  let workflowBundle: WorkflowBundleWithSourceMap;
  beforeAll(async () => {
    workflowBundle = await bundleWorkflowCode(WORKFLOW_BUNDLE_OPTIONS);
  });

  it('has histories to replay', () => {
    expect(histories.length).toBeGreaterThanOrEqual(16);
  });

  it.each(histories)('%s', async (file) => {
    const history = temporal.api.history.v1.History.fromObject(
      JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8')),
    );
    await expect(Worker.runReplayHistory({ workflowBundle }, history, file)).resolves.toBeUndefined();
  });

  // After the replays (Jest runs a file's tests in order). The SDK's promise hook asks each new promise's realm for
  // globalThis.__TEMPORAL_ACTIVATOR__, the workflow's: a getter there counts the promises it looks at.
  it('their replays leave a promise hook that looks at every promise, until test/support/workflow-hooks.ts removes it', async () => {
    let looks = 0;
    Object.defineProperty(globalThis, '__TEMPORAL_ACTIVATOR__', {
      configurable: true,
      get: () => {
        looks += 1;
        return undefined;
      },
    });
    const looksAt = async (work: () => Promise<unknown>) => {
      const before = looks;
      await work();
      return looks - before;
    };
    try {
      expect(workflowHooksInstalled()).toBe(true);
      expect(await looksAt(() => new Promise((resolve) => setImmediate(resolve)))).toBeGreaterThan(0);
      removeWorkflowHooks();
      expect(workflowHooksInstalled()).toBe(false);
      expect(await looksAt(() => new Promise((resolve) => setImmediate(resolve)))).toBe(0);
    } finally {
      delete (globalThis as { __TEMPORAL_ACTIVATOR__?: unknown }).__TEMPORAL_ACTIVATOR__;
    }
  });
});
