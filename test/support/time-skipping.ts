import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { VIGIL_INDEXED_SEARCH_ATTRIBUTES } from '../../infra/temporal-namespace';
import { freePort } from '../../scripts/ports';
import { toolPaths } from '../../scripts/tool-paths';

/**
 * How long the JVM may take to answer. The SDK's own launcher gives it a fixed 5 s and then kills it; on this 2-core
 * machine under load the server took 7 to 15 s to listen (measured with the launcher of scripts/bootstrap.js at a load
 * average of 18), so every test of a busy CI run failed before it began. This is a bound on a dead server, not a
 * tolerance any test relies on.
 */
const SERVER_ANSWERS_WITHIN_MS = 180_000;

interface RunningTestServer {
  address: string;
  stop(): Promise<void>;
}

/** Starts the pinned Java time-skipping server on a free port and waits until it answers a gRPC call. */
async function startTestServer(): Promise<RunningTestServer> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const server = spawn(toolPaths().testServerLauncher, [String(port)], { stdio: ['ignore', 'ignore', 'inherit'] });
  let exited: string | undefined;
  server.once('exit', (code, signal) => {
    exited = `exited with ${signal ?? `code ${code}`}`;
  });
  const stop = async () => {
    if (exited !== undefined) return;
    server.kill('SIGKILL');
    await once(server, 'exit');
  };
  const startedAt = Date.now();
  for (;;) {
    if (exited !== undefined) throw new Error(`the time-skipping server at ${address} ${exited} before it answered`);
    try {
      const probe = await Connection.connect({ address, connectTimeout: '2 seconds' });
      try {
        await probe.workflowService.getSystemInfo({});
        return { address, stop };
      } finally {
        await probe.close();
      }
    } catch (error) {
      if (Date.now() - startedAt > SERVER_ANSWERS_WITHIN_MS) {
        await stop();
        throw new Error(
          `the time-skipping server at ${address} did not answer within ${SERVER_ANSWERS_WITHIN_MS} ms: ${(error as Error).message}`,
        );
      }
      await sleep(200);
    }
  }
}

/**
 * The SDK builds a time-skipping environment on a running server only through its private `create` (the public
 * `createFromExistingServer` turns time skipping off). Typed here, in one place, so an SDK upgrade that changes it
 * fails every time-skipping test at once with this file in the trace.
 */
type CreateEnvironment = (options: {
  server: { type: 'existing' };
  address: string;
  supportsTimeSkipping: true;
}) => Promise<TestWorkflowEnvironment>;

/**
 * The pinned Java time-skipping server, resolved by scripts/bootstrap.js (the SDK's own download needs the
 * internet), with Vigil's search attributes registered: the workflow upserts them and the server refuses unknown ones.
 * Its teardown stops the server too.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const server = await startTestServer();
  try {
    const create = (TestWorkflowEnvironment as unknown as { create: CreateEnvironment }).create.bind(
      TestWorkflowEnvironment,
    );
    const env = await create({ server: { type: 'existing' }, address: server.address, supportsTimeSkipping: true });
    const teardown = env.teardown.bind(env);
    env.teardown = async () => {
      try {
        await teardown();
      } finally {
        await server.stop();
      }
    };
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: VIGIL_INDEXED_SEARCH_ATTRIBUTES,
    });
    return env;
  } catch (error) {
    await server.stop();
    throw error;
  }
}
