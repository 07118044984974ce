import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';
import { buildApp } from '../../api/app';
import { API_HANDLER_TIMEOUT_MS, apiPoolConfig } from '../../api/dependency-clients';
import { apiStores } from '../../db/api-stores';
import { createPool } from '../../db/pool';
import { e2eEnv, migratedPool } from '../support/e2e/stack';

jest.setTimeout(60_000);

/**
 * A TCP relay to the shared PostgreSQL that can stop passing bytes while keeping its connections open: a server that
 * hangs, or a network that drops packets without a reset, which a stopped server (connection refused) does not show.
 */
async function freezableRelay(target: URL): Promise<{ port: number; frozen: boolean; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const relay = {
    port: 0,
    frozen: false,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(from);
      // Bytes that arrive while frozen are dropped: never answered, as by a server that hangs.
      from.on('data', (chunk) => void (relay.frozen || to.write(chunk)));
      from.on('close', () => to.destroy());
      from.on('error', () => to.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.port = (server.address() as AddressInfo).port;
  return relay;
}

describe('the API while PostgreSQL stops answering on open connections', () => {
  let setup: Pool;
  let relay: Awaited<ReturnType<typeof freezableRelay>>;
  let pool: Pool;
  let app: FastifyInstance;
  let agent: string;

  beforeAll(async () => {
    setup = await migratedPool();
    const target = new URL(e2eEnv().databaseUrl);
    relay = await freezableRelay(target);
    const through = new URL(target);
    through.port = String(relay.port);
    // The API's own pool settings and request deadline (api/server.ts), through the relay.
    pool = createPool(apiPoolConfig(through.toString()), () => undefined);
    const stores = apiStores(pool);
    agent = (await stores.accounts.createApiKey({ role: 'agent', label: 'frozen database' })).token;
    app = buildApp(
      // The ticket list reads PostgreSQL only: a call to Temporal would fail the test loudly.
      { temporal: {} as Client, ...stores, rateLimit: false },
      { handlerTimeout: API_HANDLER_TIMEOUT_MS },
    );
    await app.listen({ host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await app?.close();
    await relay?.close();
    await pool?.end().catch(() => undefined);
    await setup?.end();
  });

  const list = async () => {
    const { port } = app.server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/v1/tickets?limit=1`, {
      headers: { authorization: `Bearer ${agent}` },
    });
    const body = (await response.json()) as { detail?: string };
    return { status: response.status, retryAfter: response.headers.get('retry-after'), detail: body.detail };
  };

  it('answers 503 naming PostgreSQL, with Retry-After, and serves again once it answers', async () => {
    // The pool holds an open connection through the relay.
    expect((await list()).status).toBe(200);
    relay.frozen = true;
    const answer = await list();
    expect(answer).toEqual({
      status: 503,
      retryAfter: expect.stringMatching(/^\d+$/),
      detail: expect.stringContaining('PostgreSQL'),
    });
    relay.frozen = false;
    expect((await list()).status).toBe(200);
  });
});
