import { charsetOf } from '../../api/json-bodies';
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
