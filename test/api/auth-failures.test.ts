import { AuthFailureLimit, WindowedCounts } from '../../api/rate-limit';
import { apiHarness, expectProblem } from '../support/api/harness';

const WELL_SHAPED_BUT_UNKNOWN = `vgl_${'0'.repeat(12)}_${'A'.repeat(43)}`;

describe('bad tokens cost no database lookup', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;
  let lookups: jest.SpyInstance;

  beforeEach(async () => {
    harness = await apiHarness();
    harness.ticketOf('acme', 'VIG-000001');
    lookups = jest.spyOn(harness.accounts, 'authenticate');
  });

  const read = (authorization?: string, remoteAddress = '192.0.2.1') =>
    harness.app.inject({
      method: 'GET',
      url: '/v1/tickets/VIG-000001',
      remoteAddress,
      headers: authorization === undefined ? {} : { authorization },
    });

  it.each([
    ['no key', undefined],
    ['another scheme', 'Basic YWdlbnQ6c2VjcmV0'],
    ['a token of another shape', 'Bearer notakeyatall'],
    ['a key id that is not hex', `Bearer vgl_zzzzzzzzzzzz_${'A'.repeat(43)}`],
    ['a secret too short', `Bearer vgl_${'0'.repeat(12)}_${'A'.repeat(42)}`],
    ['a secret too long', `Bearer vgl_${'0'.repeat(12)}_${'A'.repeat(44)}`],
    ['another prefix', `Bearer xyz_${'0'.repeat(12)}_${'A'.repeat(43)}`],
  ])('refuses %s with 401 without asking the store', async (_case, authorization) => {
    const response = await read(authorization);
    expectProblem(response, 401, 'unauthorized');
    expect(lookups).not.toHaveBeenCalled();
  });

  it('asks the store once for a well-shaped token it then refuses, and refuses it again from memory', async () => {
    for (let i = 0; i < 5; i++) expect((await read(`Bearer ${WELL_SHAPED_BUT_UNKNOWN}`)).statusCode).toBe(401);
    expect(lookups).toHaveBeenCalledTimes(1);
    expect((await read(`Bearer ${WELL_SHAPED_BUT_UNKNOWN}`)).json().detail).toBe('the API key is unknown or revoked');
  });

  it('refuses a revoked key from memory too, and never remembers a good one', async () => {
    const key = await harness.accounts.createApiKey({ role: 'agent', label: 'leaving soon' });
    for (let i = 0; i < 3; i++) expect((await read(`Bearer ${key.token}`)).statusCode).toBe(200);
    expect(lookups).toHaveBeenCalledTimes(3);
    await harness.accounts.revokeApiKey(key.id);
    expect((await read(`Bearer ${key.token}`)).statusCode).toBe(401);
    expect((await read(`Bearer ${key.token}`)).statusCode).toBe(401);
    expect(lookups).toHaveBeenCalledTimes(4);
  });
});

describe('failed authentications, per address', () => {
  const LIMIT = { max: 5, windowMs: 60_000 };
  let harness: Awaited<ReturnType<typeof apiHarness>>;
  let lookups: jest.SpyInstance;

  beforeEach(async () => {
    harness = await apiHarness(undefined, { authFailureLimit: LIMIT });
    harness.ticketOf('acme', 'VIG-000001');
    lookups = jest.spyOn(harness.accounts, 'authenticate');
  });

  const read = (token: string | undefined, remoteAddress: string) =>
    harness.app.inject({
      method: 'GET',
      url: '/v1/tickets/VIG-000001',
      remoteAddress,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
  /** A guess at a secret for the agent key's public id: brute force on one key id. */
  const guess = (i: number) => `${harness.tokens.agent.slice(0, 'vgl_'.length + 12)}_${String(i).padStart(43, 'x')}`;

  it('answers 429 with Retry-After once an address has failed the limit, without asking the store, while a good key elsewhere still works', async () => {
    for (let i = 0; i < LIMIT.max; i++) expect((await read(guess(i), '198.51.100.7')).statusCode).toBe(401);
    expect(lookups).toHaveBeenCalledTimes(LIMIT.max);

    for (let i = LIMIT.max; i < LIMIT.max + 20; i++) {
      const limited = await read(guess(i), '198.51.100.7');
      expectProblem(limited, 429, 'rate-limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(limited.json().detail).toMatch(/failed authentications from this address/);
    }
    expect(lookups).toHaveBeenCalledTimes(LIMIT.max);
    expect(harness.temporal.calls).toEqual([]);

    expect((await read(harness.tokens.agent, '203.0.113.9')).statusCode).toBe(200);
    // The limited address is refused whatever it sends until its window ends: telling a good key from a guess would
    // cost the very lookup the limit saves.
    expect((await read(harness.tokens.agent, '198.51.100.7')).statusCode).toBe(429);
  });

  it('counts missing and malformed tokens as failures too', async () => {
    for (let i = 0; i < LIMIT.max; i++) await read(i % 2 ? undefined : 'junk', '198.51.100.8');
    expect((await read(undefined, '198.51.100.8')).statusCode).toBe(429);
    expect(lookups).not.toHaveBeenCalled();
  });

  it('does not count good keys', async () => {
    for (let i = 0; i < LIMIT.max * 2; i++)
      expect((await read(harness.tokens.agent, '198.51.100.9')).statusCode).toBe(200);
  });
});

describe('the failure window', () => {
  it('lets an address try again once its window is over', () => {
    let now = 0;
    const limit = new AuthFailureLimit({ max: 2, windowMs: 60_000 }, () => now);
    limit.failed('a');
    limit.failed('a');
    now = 15_000;
    expect(() => limit.assertMayTry('a')).toThrow(expect.objectContaining({ headers: { 'retry-after': '45' } }));
    expect(() => limit.assertMayTry('b')).not.toThrow();
    now = 60_000;
    expect(() => limit.assertMayTry('a')).not.toThrow();
  });

  it('holds at most its capacity of keys, forgetting the oldest first', () => {
    const counts = new WindowedCounts(60_000, 3, () => 0);
    for (const key of ['a', 'b', 'c', 'd']) counts.hit(key);
    expect(['a', 'b', 'c', 'd'].map((key) => counts.get(key)?.hits)).toEqual([undefined, 1, 1, 1]);
  });
});
