import type { FastifyInstance } from 'fastify';
import { apiHarness } from '../support/api/harness';

describe('authentication of /v1', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;
  let app: FastifyInstance;

  beforeAll(async () => {
    harness = await apiHarness();
    app = harness.app;
    harness.ticketOf('acme', 'VIG-000001');
  });

  const read = (authorization?: string) =>
    app.inject({
      method: 'GET',
      url: '/v1/tickets/VIG-000001',
      headers: authorization === undefined ? {} : { authorization },
    });

  it('answers 401 with a Bearer challenge when no key is sent', async () => {
    const response = await read();
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="vigil"');
    expect(response.json()).toMatchObject({
      type: 'https://vigil.dev/problems/unauthorized',
      status: 401,
      detail: expect.stringContaining('Authorization: Bearer'),
    });
  });

  it.each([
    ['another scheme', `Basic ${Buffer.from('agent:secret').toString('base64')}`],
    ['no token', 'Bearer '],
    ['two tokens', 'Bearer abc def'],
    ['characters no token has', 'Bearer abc"def'],
  ])('answers 401 invalid_token for a malformed header (%s)', async (_case, header) => {
    const response = await read(header);
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="vigil", error="invalid_token"');
    expect(response.json().detail).toBe('the Authorization header must be "Bearer <token>"');
  });

  it('answers 401 for an unknown token and for a revoked one', async () => {
    expect((await read('Bearer vgl_000000000000_notakeyatall')).statusCode).toBe(401);

    const key = await harness.accounts.createApiKey({ role: 'agent', label: 'leaving soon' });
    expect((await read(`Bearer ${key.token}`)).statusCode).toBe(200);
    await harness.accounts.revokeApiKey(key.id);
    const revoked = await read(`Bearer ${key.token}`);
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json()).toMatchObject({
      type: 'https://vigil.dev/problems/unauthorized',
      detail: 'the API key is unknown or revoked',
    });
  });

  it('takes the scheme in any case, as RFC 9110 says', async () => {
    expect((await read(`bearer ${harness.tokens.agent}`)).statusCode).toBe(200);
  });

  it('checks the key before the input: an unknown route or a bad body under /v1 still answers 401', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/nothing-here' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/v1/tickets', payload: { nonsense: true } })).statusCode).toBe(
      401,
    );
  });

  it('leaves routes outside /v1 open', async () => {
    const { app: fresh } = await apiHarness();
    fresh.get('/open-probe', async () => ({ ok: true }));
    expect((await fresh.inject({ method: 'GET', url: '/open-probe' })).statusCode).toBe(200);
    expect((await fresh.inject({ method: 'GET', url: '/v1nope' })).statusCode).toBe(404);
  });
});
