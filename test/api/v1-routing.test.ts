import { apiHarness } from '../support/api/harness';

/**
 * Authentication belongs to the /v1 plugin's routes, not to how a URL is spelled: each spelling below either reaches
 * a /v1 route, and is then authenticated (401 without a key), or reaches none (404). None runs a handler.
 */
describe('every spelling of a /v1 path', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;

  beforeEach(async () => {
    harness = await apiHarness();
    harness.ticketOf('acme', 'VIG-000003');
  });

  const SPELLINGS: [string, 'GET' | 'POST', string][] = [
    ['a percent-encoded prefix', 'GET', '/%76%31/tickets/VIG-000003'],
    ['a percent-encoded prefix, upper-case hex', 'GET', '/%76%31/tickets/%56IG-000003'],
    ['an encoded slash after the prefix', 'GET', '/v1%2Ftickets'],
    ['an encoded slash in the ticket path', 'GET', '/v1/tickets%2FVIG-000003'],
    ['a doubly encoded prefix', 'GET', '/%2576%2531/tickets/VIG-000003'],
    ['a doubled leading slash', 'GET', '//v1/tickets/VIG-000003'],
    ['an encoded leading slash', 'GET', '/%2Fv1/tickets/VIG-000003'],
    ['an upper-case prefix', 'GET', '/V1/tickets/VIG-000003'],
    ['a trailing slash', 'GET', '/v1/tickets/VIG-000003/'],
    ['a trailing slash on the list', 'GET', '/v1/tickets/'],
    ['a path parameter after the number', 'GET', '/v1/tickets/VIG-000003;jsessionid=1'],
    ['a path parameter on the prefix', 'GET', '/v1;x=1/tickets/VIG-000003'],
    ['dot segments', 'GET', '/x/../v1/./tickets/VIG-000003'],
    ['a backslash', 'GET', '/v1\\tickets\\VIG-000003'],
    ['the bare prefix', 'GET', '/v1'],
    ['an encoded action', 'POST', '/%76%31/tickets/VIG-000003/take-charge'],
    ['an encoded admin route', 'POST', '/%76%31/admin/api-keys'],
  ];

  it.each(SPELLINGS)('%s (%s %s) answers 401 or 404 without a key, and runs no handler', async (_case, method, url) => {
    const snapshotLookup = jest.spyOn(harness.snapshots, 'find');
    const response = await harness.app.inject({
      method,
      url,
      ...(method === 'POST' ? { payload: { agent: 'marc', role: 'admin', label: 'x' } } : {}),
    });
    expect([401, 404]).toContain(response.statusCode);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(harness.temporal.calls).toEqual([]);
    expect(harness.temporal.updates).toEqual([]);
    expect(snapshotLookup).not.toHaveBeenCalled();
    expect(await harness.accounts.listApiKeys()).toHaveLength(5);
  });

  it('authenticates a spelling that reaches a /v1 route: the encoded prefix answers 401 without a key, the ticket with one', async () => {
    const anonymous = await harness.app.inject({ method: 'GET', url: '/%76%31/tickets/VIG-000003' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="vigil"');
    const withKey = await harness.call('agent', 'GET', '/%76%31/tickets/VIG-000003');
    expect(withKey.statusCode).toBe(200);
    expect(withKey.json()).toMatchObject({ ticketNumber: 'VIG-000003' });
  });

  it('authenticates an unknown path under /v1 before saying there is no such route', async () => {
    expect((await harness.app.inject({ method: 'GET', url: '/v1/nothing-here' })).statusCode).toBe(401);
    expect((await harness.call('agent', 'GET', '/v1/nothing-here')).statusCode).toBe(404);
  });
});

describe('the rate limit of a /v1 route', () => {
  it('counts per API key however the path is spelled', async () => {
    const harness = await apiHarness(undefined, { rateLimit: { max: 2, windowMs: 60_000 } });
    harness.ticketOf('acme', 'VIG-000003');
    expect((await harness.call('agent', 'GET', '/v1/tickets/VIG-000003')).statusCode).toBe(200);
    expect((await harness.call('agent', 'GET', '/%76%31/tickets/VIG-000003')).statusCode).toBe(200);
    const limited = await harness.call('agent', 'GET', '/%76%31/tickets/%56IG-000003');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    // Another key, behind the same address, is counted apart.
    expect((await harness.call('manager', 'GET', '/%76%31/tickets/VIG-000003')).statusCode).toBe(200);
  });
});
