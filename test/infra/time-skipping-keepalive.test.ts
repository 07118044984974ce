import http2 from 'node:http2';
import { Connection } from '@temporalio/client';
import { startOnFreePorts } from '../../scripts/ports';
import {
  createTimeSkippingEnv,
  startTestServerOn,
  TEST_SERVER_PERMITTED_PING_INTERVAL_MS,
  type RunningTestServer,
} from '../support/time-skipping';

jest.setTimeout(180_000);

interface GoAway {
  code: number;
  data: string | undefined;
}

/** A bare HTTP/2 connection to the server, to send it pings and calls in an order the test chooses. */
async function connect(address: string) {
  const session = http2.connect(`http://${address}`);
  const goAways: GoAway[] = [];
  const goAway = new Promise<GoAway>((resolve) =>
    session.on('goaway', (code, _lastStreamId, data) => {
      const away = { code, data: data?.toString('ascii') };
      goAways.push(away);
      resolve(away);
    }),
  );
  // The server's end of a connection it sends away arrives as an error too; the GOAWAY is what is looked at.
  session.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    session.once('connect', () => resolve());
    session.once('error', reject);
  });
  const ping = () =>
    new Promise<void>((resolve, reject) => {
      if (!session.ping((error) => (error ? reject(error) : resolve()))) reject(new Error('ping not sent'));
    });
  /** A gRPC call the server answers at once (its health check), awaited to its end: the server has written to us. */
  const call = () =>
    new Promise<number>((resolve, reject) => {
      const stream = session.request({
        ':method': 'POST',
        ':path': '/grpc.health.v1.Health/Check',
        'content-type': 'application/grpc',
        te: 'trailers',
      });
      let status = -1;
      stream.on('trailers', (trailers) => (status = Number(trailers['grpc-status'])));
      stream.on('data', () => undefined);
      stream.on('end', () => resolve(status));
      stream.on('error', reject);
      // An empty HealthCheckRequest: not compressed, length 0.
      stream.end(Buffer.alloc(5));
    });
  return { session, goAways, goAway, ping, call };
}

describe("the time-skipping server's keepalive policy", () => {
  let server: RunningTestServer | undefined;

  beforeAll(async () => {
    server = await startOnFreePorts(1, ([port]) => startTestServerOn(port!));
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('sends away a connection whose third ping comes with nothing written back since the first', async () => {
    const { session, goAway, ping } = await connect(server!.address);
    try {
      await ping();
      await ping();
      // Acked or cancelled by the connection's end: either way the server has read it.
      await ping().catch(() => undefined);
      expect(await goAway).toEqual({ code: http2.constants.NGHTTP2_ENHANCE_YOUR_CALM, data: 'too_many_pings' });
    } finally {
      session.destroy();
    }
  });

  it('counts pings only since it last answered a call', async () => {
    const { session, goAways, ping, call } = await connect(server!.address);
    try {
      for (let round = 0; round < 3; round += 1) {
        await ping();
        await ping();
        // Read after the two pings on the same connection, so a GOAWAY for them would have come before its answer.
        expect(await call()).toBe(0);
      }
      expect(goAways).toEqual([]);
    } finally {
      session.destroy();
    }
  });

  it("is kept by the harness's client, which pings only during calls and no more often than it permits", async () => {
    // @temporalio/client's own defaults: a ping every 30 s, calls or not. Idle for three of those, a client is sent
    // away as the first test's connection is.
    const sdkDefaults = await Connection.connect({ address: server!.address });
    try {
      expect(sdkDefaults.options.channelArgs).toMatchObject({
        'grpc.keepalive_time_ms': 30_000,
        'grpc.keepalive_permit_without_calls': 1,
      });
    } finally {
      await sdkDefaults.close();
    }

    const env = await createTimeSkippingEnv();
    try {
      expect(env.connection.options.channelArgs).toMatchObject({ 'grpc.keepalive_permit_without_calls': 0 });
      expect(env.connection.options.channelArgs['grpc.keepalive_time_ms']).toBeGreaterThanOrEqual(
        TEST_SERVER_PERMITTED_PING_INTERVAL_MS,
      );
    } finally {
      await env.teardown();
    }
  });
});
