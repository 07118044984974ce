import os from 'node:os';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { startProcess, waitUntil } from '../../infra/managed-process';
import { VIGIL_INDEXED_SEARCH_ATTRIBUTES } from '../../infra/temporal-namespace';
import { listensOn, startOnFreePorts } from '../../scripts/ports';
import { toolPaths } from '../../scripts/tool-paths';

/**
 * How long the JVM may take to answer. The SDK's own launcher gives it a fixed 5 s and then kills it; on this 2-core
 * machine under load the server took 7 to 15 s to listen (measured with the launcher of scripts/bootstrap.js at a load
 * average of 18), so every test of a busy CI run failed before it began. This is a bound on a dead server, not a
 * tolerance any test relies on. It is shorter than the 180 s the files that start the server give their tests and
 * hooks, so that a server that never answers fails with this wait's error, which names it, rather than as a test that
 * timed out; test/repository/test-server-wait.test.ts keeps it so.
 */
export const SERVER_ANSWERS_WITHIN_MS = 120_000;

/**
 * A start slower than this is told on stderr with the machine's load, so that a test that then runs out of time says
 * where its time went. Only a message: nothing waits on it.
 */
const SLOW_START_MS = 30_000;

export interface RunningTestServer {
  address: string;
  stop(): Promise<void>;
}

async function answers(address: string): Promise<boolean> {
  const probe = await Connection.connect({ address, connectTimeout: '2 seconds' });
  try {
    await probe.workflowService.getSystemInfo({});
    return true;
  } finally {
    await probe.close();
  }
}

/**
 * Starts the pinned Java time-skipping server on `port` and waits until it listens there itself and answers a gRPC
 * call; PortTaken when another process holds the port (scripts/ports.js).
 */
export async function startTestServerOn(port: number): Promise<RunningTestServer> {
  const address = `127.0.0.1:${port}`;
  // Its output is the test's stderr, as the SDK's own launcher leaves it.
  const server = startProcess('time-skipping server', toolPaths().testServerLauncher, [String(port)]);
  const startedAt = Date.now();
  try {
    await waitUntil(
      `the time-skipping server at ${address} to answer`,
      async () => (await listensOn(server.child.pid, port)) && answers(address),
      { process: server, timeoutMs: SERVER_ANSWERS_WITHIN_MS },
    );
  } catch (error) {
    await server.stop(0);
    throw error;
  }
  const tookMs = Date.now() - startedAt;
  if (tookMs > SLOW_START_MS) {
    const load = os.loadavg()[0]!.toFixed(1);
    process.stderr.write(`[time-skipping server] answered at ${address} after ${tookMs} ms, load average ${load}\n`);
  }
  // Nothing of it to keep: killed at once, as the SDK's own launcher does.
  return { address, stop: () => server.stop(0) };
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
  connectionOptions: { channelArgs: Record<string, number> };
}) => Promise<TestWorkflowEnvironment>;

/**
 * The keepalive pings the Java server takes: io.temporal.testserver.TestServer builds its gRPC server with grpc-java's
 * defaults, which accept a ping no more than once in 5 minutes while a call is open and none on a connection without
 * calls; the third ping out of that rule, with no response written in between, sends the connection away (GOAWAY
 * ENHANCE_YOUR_CALM "too_many_pings", test/infra/time-skipping-keepalive.test.ts). @temporalio/client's defaults ping
 * every 30 s, calls or not, so a test's client that heard nothing from the server for a minute or so (the workflow
 * bundled, a worker created, a long Update, a loaded machine) was sent away, and grpc-js logged it as an error that
 * read like the cause of whatever was slow. The harness's client pings as the server allows instead.
 */
export const TEST_SERVER_PERMITTED_PING_INTERVAL_MS = 5 * 60_000;
export const TEST_SERVER_KEEPALIVE_ARGS = {
  'grpc.keepalive_time_ms': TEST_SERVER_PERMITTED_PING_INTERVAL_MS,
  'grpc.keepalive_permit_without_calls': 0,
};

/**
 * The pinned Java time-skipping server, resolved by scripts/bootstrap.js (the SDK's own download needs the
 * internet), with Vigil's search attributes registered: the workflow upserts them and the server refuses unknown ones.
 * Its teardown stops the server too.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  // On another port when another process took the one chosen first.
  const server = await startOnFreePorts(1, ([port]) => startTestServerOn(port!));
  try {
    const create = (TestWorkflowEnvironment as unknown as { create: CreateEnvironment }).create.bind(
      TestWorkflowEnvironment,
    );
    const env = await create({
      server: { type: 'existing' },
      address: server.address,
      supportsTimeSkipping: true,
      // The SDK passes these to both connections; the worker's (NativeConnection) takes no gRPC channel arguments.
      connectionOptions: { channelArgs: TEST_SERVER_KEEPALIVE_ARGS },
    });
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
