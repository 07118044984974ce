import { FORM_CSRF_COOKIE } from '../../api/web/forms';
import { consoleHarness } from '../support/api/console-harness';

/**
 * The console's own redirects take a path from the request (`next` on signing in, `back` on switching the language):
 * whatever it holds, the answer is a redirect on the console, never a 500 from a Location header Node refuses, nor a
 * path a browser reads otherwise than it was checked (a tab or a line break dropped, a backslash read as a slash).
 */
describe('the console redirects to a path the request gave', () => {
  const csrf = 'c'.repeat(43);
  const signedOut = { cookie: `${FORM_CSRF_COOKIE}=${csrf}` };
  const crafted = [
    '/console/\r\nSet-Cookie: vigil_session=stolen',
    '/console/\r\n',
    '/console/\u0000',
    '/console/\u0436',
    '/console/\t/evil.test',
    '/console/\\evil.test',
    '/console/ tickets',
  ];

  const switchLanguage = async (back: string) =>
    (await consoleHarness()).page(
      undefined,
      'GET',
      `/console/language?to=fr&back=${encodeURIComponent(back)}`,
      undefined,
      signedOut,
    );

  it.each(crafted)('switching the language with back=%j goes to the console', async (back) => {
    const answer = await switchLanguage(back);
    expect(answer.statusCode).toBe(303);
    expect(answer.headers.location).toBe('/console/');
    expect(answer.headers['set-cookie']).not.toEqual(expect.stringContaining('stolen'));
  });

  it.each(crafted)('signing in with next=%j signs in and goes to the console', async (next) => {
    const harness = await consoleHarness();
    const password = 'a long enough secret';
    await harness.people.users.create({ email: 'nina@desk.test', name: 'Nina Agent', role: 'agent', password });
    const answer = await harness.page(
      undefined,
      'POST',
      '/console/sign-in',
      { _csrf: csrf, email: 'nina@desk.test', password, next },
      signedOut,
    );
    expect(answer.statusCode).toBe(303);
    expect(answer.headers.location).toBe('/console/');
  });

  it('keeps a console path as the console writes it, its query included', async () => {
    const back = '/console/tickets/VIG-000001?lang=fr&x=%E2%82%AC';
    const answer = await switchLanguage(back);
    expect(answer.headers.location).toBe(back);
  });
});
