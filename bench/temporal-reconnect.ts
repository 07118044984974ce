/**
 * How long the API's Temporal client keeps failing once Temporal is back, with grpc-js's reconnect backoff and with
 * the API's (api/dependency-clients.ts). Temporal (a dev server) is reached through a TCP relay that refuses
 * connections for a while, as a stopped server does, then accepts them again at once; meanwhile the client is asked
 * every `GAP_MS` (default 200, about 5 requests a second). Run with `npx tsx bench/temporal-reconnect.ts [rounds]`;
 * it takes about 40 s a round. Figures depend on where the backoff stands when Temporal returns: that is the point.
 */
import net from 'node:net';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { apiTemporalConnectionOptions } from '../api/dependency-clients';
import { freePort } from '../scripts/ports';
import { startTemporalDevServer } from '../infra/temporal-dev-server';

const DOWN_MS = 30_000;
const GAP_MS = Number(process.env.GAP_MS ?? 200);

/** A relay to `target` that can refuse connections, dropping the ones it holds, and accept them again. */
function relay(port: number, target: number) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  return {
    up: () =>
      new Promise<void>((resolve) => {
        server = net.createServer((client) => {
          const upstream = net.connect(target, '127.0.0.1');
          for (const socket of [client, upstream]) {
            sockets.add(socket);
            socket.on('error', () => undefined);
            socket.on('close', () => sockets.delete(socket));
          }
          client.pipe(upstream).pipe(client);
        });
        server.listen(port, '127.0.0.1', resolve);
      }),
    down: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((socket) => socket.destroy());
        server?.close(() => resolve());
      }),
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Milliseconds from the relay accepting again to the first call that succeeds, and the calls that failed meanwhile. */
async function recovery(
  temporalPort: number,
  options: (address: string) => ConnectionOptions,
): Promise<{ ms: number; failed: number }> {
  const port = await freePort();
  const temporal = relay(port, temporalPort);
  await temporal.up();
  const connection = await Connection.connect(options(`127.0.0.1:${port}`));
  const client = new Client({ connection });
  const ask = () =>
    connection
      .withDeadline(Date.now() + 2_000, () => client.workflowService.getSystemInfo({}))
      .then(
        () => true,
        () => false,
      );
  try {
    await temporal.down();
    for (const until = Date.now() + DOWN_MS; Date.now() < until; await pause(GAP_MS)) await ask();
    await temporal.up();
    const back = Date.now();
    let failed = 0;
    while (!(await ask())) {
      failed += 1;
      await pause(GAP_MS);
    }
    return { ms: Date.now() - back, failed };
  } finally {
    await connection.close();
    await temporal.down();
  }
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 2);
  const server = await startTemporalDevServer({ port: await freePort(), onLine: () => undefined });
  const temporalPort = Number(server.address.split(':')[1]);
  const variants: [string, (address: string) => ConnectionOptions][] = [
    [
      "grpc-js's backoff (1 s x1.6 up to 120 s)",
      (address) => ({ ...apiTemporalConnectionOptions(address), channelArgs: {} }),
    ],
    ["the API's (apiTemporalConnectionOptions)", apiTemporalConnectionOptions],
  ];
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const [name, options] of variants) {
        const { ms, failed } = await recovery(temporalPort, options);
        console.log(
          `round ${round}, ${name}: Temporal away ${DOWN_MS / 1000} s, first answer ${ms} ms after it was back (${failed} calls failed meanwhile)`,
        );
      }
    }
  } finally {
    await server.process.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
