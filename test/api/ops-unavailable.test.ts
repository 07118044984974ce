import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { Pool } from 'pg';
import { buildApp } from '../../api/app';
import { apiPoolConfig, apiTemporalConnectionOptions } from '../../api/dependency-clients';
import { unreachableDependency } from '../../api/dependency-errors';
import { postgresReady } from '../../api/readiness';
import { pgIdempotencyStore } from '../../db/idempotency';
import { ticketNumberAllocator } from '../../db/ticket-numbers';
import { pgTicketSnapshots } from '../../db/ticket-snapshots';
import { freePort } from '../../scripts/ports';
import { inMemoryAccounts } from '../support/in-memory-accounts';

/**
 * The API's real clients on real sockets where nothing listens: every call is refused by the kernel, as when
 * PostgreSQL or Temporal is down. The answer must be a 503 with Retry-After within seconds, never a 500 or a hang.
 */
describe('PostgreSQL and Temporal unreachable', () => {
  let app: FastifyInstance;
  let db: Pool;
  let connection: Connection;
  let token: string;

  beforeAll(async () => {
    db = new Pool(apiPoolConfig(`postgres://vigil:vigil@127.0.0.1:${await freePort()}/vigil`));
    connection = Connection.lazy(apiTemporalConnectionOptions('127.0.0.1:1'));
    const accounts = inMemoryAccounts();
    await accounts.createCustomer({ id: 'acme', name: 'Acme' });
    await accounts.createContract({ customerId: 'acme', policyId: 'econnect', startsOn: '2026-01-01' });
    token = (await accounts.createApiKey({ role: 'agent', label: 'desk' })).token;
    app = buildApp({
      temporal: new Client({ connection }),
      allocateTicketNumber: ticketNumberAllocator(db),
      accounts,
      idempotency: pgIdempotencyStore(db),
      snapshots: pgTicketSnapshots(db),
      readiness: { postgresql: postgresReady(db) },
    });
    // Routes and their schemas are compiled here, under the file's own timeout, not inside the first test's bound
    // below: on a busy machine that compilation alone took most of it.
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    await connection.close();
    await db.end();
  });

  // "Fast, never a hang" is bounded by each test's own timeout, far above the API's deadlines (TEMPORAL_DEADLINE_MS,
  // the pool's connection timeout), rather than by a stopwatch that a busy machine would trip.
  const NO_HANG_MS = 20_000;

  const expectUnavailable = (response: Awaited<ReturnType<FastifyInstance['inject']>>, detail: string) => {
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toMatchObject({ type: 'https://vigil.dev/problems/unavailable', status: 503, detail });
  };

  it(
    'answers 503 when the request needs PostgreSQL',
    async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/v1/tickets',
        headers: { authorization: `Bearer ${token}` },
        payload: {
          customerId: 'acme',
          title: 'Printer down',
          description: 'Blank pages.',
          contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
        },
      });
      expectUnavailable(response, 'PostgreSQL is unreachable; try again in a few seconds');
    },
    NO_HANG_MS,
  );

  it(
    'answers 503 when the request needs Temporal',
    async () => {
      const response = await app.inject({
        method: 'GET',
        url: '/v1/tickets/VIG-000001',
        headers: { authorization: `Bearer ${token}` },
      });
      expectUnavailable(response, 'Temporal is unreachable; try again in a few seconds');
    },
    NO_HANG_MS,
  );

  it(
    'answers /ready 503 naming both, and /health 200',
    async () => {
      const response = await app.inject({ method: 'GET', url: '/ready' });
      expectUnavailable(response, 'not ready: temporal and worker and postgresql do not answer');
      expect(response.json().checks).toEqual({
        temporal: expect.stringMatching(/^down: /),
        worker: expect.stringMatching(/^down: /),
        postgresql: expect.stringMatching(/^down: .*ECONNREFUSED/),
      });
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    },
    NO_HANG_MS,
  );
});

describe('unreachableDependency', () => {
  const pgError = (code: string) => Object.assign(new Error(`error ${code}`), { code });

  it.each([
    ['a refused connection', pgError('ECONNREFUSED')],
    ['an unknown host', pgError('ENOTFOUND')],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ["the pool's connection timeout", new Error('timeout exceeded when trying to connect')],
    ['a server shutting down (57P01)', pgError('57P01')],
    ['a server starting up (57P03)', pgError('57P03')],
    ['a connection failure (08006)', pgError('08006')],
    ['a statement timeout (57014)', pgError('57014')],
  ])('blames PostgreSQL for %s', (_case, error) => {
    expect(unreachableDependency(error)).toBe('PostgreSQL');
  });

  it.each([
    ['a unique violation (23505)', pgError('23505')],
    ['a syntax error (42601)', pgError('42601')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'status')")],
  ])('blames no dependency for %s', (_case, error) => {
    expect(unreachableDependency(error)).toBeUndefined();
  });
});
