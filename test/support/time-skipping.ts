import { TestWorkflowEnvironment } from '@temporalio/testing';
import { VIGIL_INDEXED_SEARCH_ATTRIBUTES } from '../../infra/temporal-namespace';
import { toolPaths } from '../../scripts/tool-paths';

/**
 * The pinned Java time-skipping server, resolved by scripts/bootstrap.js (the SDK's own download needs the
 * internet), with Vigil's search attributes registered: the workflow upserts them and the server refuses unknown ones.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: toolPaths().testServerLauncher } },
  });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: VIGIL_INDEXED_SEARCH_ATTRIBUTES,
  });
  return env;
}
