import { charsetOf, MAX_JSON_DEPTH } from '../../api/json-bodies';
import { consoleHarness } from '../support/api/console-harness';
import { apiHarness, expectProblem, openingBody } from '../support/api/harness';

describe('the charset of a JSON body', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;

  beforeEach(async () => {
    harness = await apiHarness();
  });

  const open = (contentType: string, payload: string | Buffer) =>
    harness.app.inject({
      method: 'POST',
      url: '/v1/tickets',
      payload,
      headers: { authorization: `Bearer ${harness.tokens.customer}`, 'content-type': contentType },
    });

  it.each(['utf-16', 'UTF-16LE', '"utf-16"', 'iso-8859-1', 'us-ascii', ''])(
    'refuses charset=%s with 415 unsupported-media-type, opening nothing',
    async (charset) => {
      const refused = await open(
        `application/json; charset=${charset}`,
        Buffer.from(JSON.stringify(openingBody), 'utf16le'),
      );
      expectProblem(refused, 415, 'unsupported-media-type');
      expect(refused.json().detail).toMatch(/must be UTF-8/);
      expect(harness.temporal.started).toEqual([]);
    },
  );

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/json;charset="UTF-8"',
    'application/json; charset=utf8',
  ])('reads %s', async (contentType) => {
    const opened = await open(
      contentType,
      JSON.stringify({ ...openingBody, title: 'Imprimante en panne: état «vide»' }),
    );
    expect(opened.statusCode).toBe(201);
    expect(harness.temporal.started).toEqual([expect.objectContaining({ title: 'Imprimante en panne: état «vide»' })]);
  });

  it("still refuses what Fastify's own JSON parser refuses: a malformed body, a prototype-poisoning one", async () => {
    expect((await open('application/json', '{"title":')).statusCode).toBe(400);
    expect(
      (await open('application/json', JSON.stringify({ ...openingBody }).replace(/^\{/, '{"__proto__": {"x": 1},')))
        .statusCode,
    ).toBe(400);
    expect(harness.temporal.started).toEqual([]);
  });
});

describe('charsetOf', () => {
  it.each([
    ['application/json', undefined],
    ['application/json; charset=UTF-16', 'utf-16'],
    ['application/json;CHARSET="utf-8"', 'utf-8'],
    ['application/json; foo=bar; charset=latin1; x=y', 'latin1'],
    [undefined, undefined],
  ])('%s: %s', (contentType, charset) => {
    expect(charsetOf(contentType)).toBe(charset);
  });
});

// A body nested thousands deep is a few kilobytes: the code that walks a body (the Idempotency-Key's hash, a policy
// document's checks) ran out of stack on it, a 500, on the routes whose schema does not refuse it first.
describe('the depth of a JSON body', () => {
  let harness: Awaited<ReturnType<typeof consoleHarness>>;

  beforeEach(async () => {
    harness = await consoleHarness();
  });

  const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  const post = (url: string, payload: string) =>
    harness.app.inject({
      method: 'POST',
      url,
      payload,
      headers: { authorization: `Bearer ${harness.tokens.admin}`, 'content-type': 'application/json' },
    });

  it.each(['/v1/admin/users/{id}/password-reset', '/v1/admin/users/{id}/sign-in-link'])(
    'refuses a body nested 20 000 deep on %s, 422 naming the body',
    async (url) => {
      const refused = await post(url.replace('{id}', harness.staff.customer.id), nested(20_000));
      expectProblem(refused, 422, 'invalid-request', 'body');
    },
  );

  it('takes a body nested as deep as the limit, strings holding brackets not counted', async () => {
    const reset = `/v1/admin/users/${harness.staff.customer.id}/password-reset`;
    expect((await post(reset, nested(MAX_JSON_DEPTH))).statusCode).toBe(202);
    expect((await post(reset, `{"a":"${'['.repeat(1000)}\\"{"}`)).statusCode).toBe(202);
    expectProblem(await post(reset, nested(MAX_JSON_DEPTH + 1)), 422, 'invalid-request', 'body');
  });
});
