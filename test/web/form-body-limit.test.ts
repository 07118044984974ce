import type { LightMyRequestResponse } from 'fastify';
import { FORM_BODY_LIMIT } from '../../api/web/forms';
import { LANGUAGE_COOKIE } from '../../api/web/i18n';
import { DESCRIPTION_MAX_LENGTH } from '../../messages/open-ticket';
import { consoleHarness } from '../support/api/console-harness';

/**
 * A console form takes every text the API takes, however a browser urlencodes it: a description of the API's whole
 * length in letters beyond ASCII, each several %XX, opens its ticket rather than being refused 413 by the page.
 */
describe("the console's forms and the length of what is typed", () => {
  it.each([
    ['Cyrillic letters', '\u0436'],
    ['CJK ideographs', '\u6f22'],
    ['emoji beyond the BMP', '\u{1f5a8}'],
  ])("opens a ticket whose description is the API's longest, in %s", async (_name, letter) => {
    const harness = await consoleHarness();
    const description = letter.repeat(DESCRIPTION_MAX_LENGTH);
    const answer = await harness.page(harness.staff.customer, 'POST', '/console/tickets/new', {
      title: 'Printer jammed',
      description,
    });
    expect(answer.statusCode).toBe(303);
    expect(answer.headers.location).toMatch(/^\/console\/tickets\/VIG-\d+$/);
    expect(harness.temporal.started.at(-1)?.description).toBe(description);
  });

  it("keeps in a step's draft a description of the API's length in emoji whole, never cut inside a pair", async () => {
    const harness = await consoleHarness();
    const description = `a${'\u{1f5a8}'.repeat(DESCRIPTION_MAX_LENGTH - 1)}`;
    const step = await harness.page(harness.staff.customer, 'POST', '/console/tickets/new', {
      title: `b${'\u{1f5a8}'.repeat(199)}`,
      description,
      _step: 'choose',
    });
    expect(step.statusCode).toBe(303);
    const again = await harness.page(harness.staff.customer, 'GET', String(step.headers.location));
    expect(again.body).toContain(`>\n${description}</textarea>`);
    expect(again.body).toContain(`value="b${'\u{1f5a8}'.repeat(199)}"`);
    expect(again.body).not.toContain('\ufffd');
  });

  // Past the limit the person gets a page, not the API's problem+json: 305 536 bytes read as "305 kB".
  const LIMIT_IN_WORDS = { en: '305\u00a0kB', fr: '305\u00a0ko' };
  const oversized = { title: 'Printer jammed', description: 'x'.repeat(FORM_BODY_LIMIT) };

  const expectTooLargePage = (answer: LightMyRequestResponse, language: 'en' | 'fr', back = '/console/') => {
    expect(answer.statusCode).toBe(413);
    expect(answer.headers['content-type']).toMatch(/^text\/html/);
    expect(answer.body).toContain(`<html lang="${language}">`);
    expect(answer.body).toContain(
      language === 'fr' ? `<h1>Formulaire trop volumineux</h1>` : `<h1>Form too large</h1>`,
    );
    expect(answer.body).toContain(LIMIT_IN_WORDS[language]);
    expect(answer.body).toContain(language === 'fr' ? '20\u202f000 caractères' : '20,000 characters');
    expect(answer.body).toContain(
      `<a class="button" href="${back}">${language === 'fr' ? 'Retour au formulaire' : 'Back to the form'}</a>`,
    );
    expect(answer.body).not.toContain('payload-too-large');
  };

  it('refuses a urlencoded form past the limit 413 with a page saying so, in the English of the session', async () => {
    const harness = await consoleHarness();
    const answer = await harness.page(harness.staff.customer, 'POST', '/console/tickets/new', oversized, {
      referer: 'http://localhost:80/console/tickets/new',
    });
    expectTooLargePage(answer, 'en', '/console/tickets/new');
    // Signed in: the page is the person's, with their navigation, whose sign-out forms carry the session's token.
    expect(answer.body).toContain('<span class="who">Carla Contact</span>');
    expect(answer.body).toContain(`name="_csrf" value="${harness.staff.customer.csrf}"`);
    expect(harness.temporal.started).toEqual([]);
  });

  it('answers in French to a person whose language is French, and to a browser asking for French', async () => {
    const harness = await consoleHarness();
    const francine = await harness.signedIn({
      email: 'francine@acme.lu',
      name: 'Francine',
      role: 'customer',
      customerId: 'acme',
      language: 'fr',
    });
    expectTooLargePage(await harness.page(francine, 'POST', '/console/tickets/new', oversized), 'fr');
    const signedOut = await harness.page(undefined, 'POST', '/console/sign-in', oversized, {
      'accept-language': 'fr-BE,fr;q=0.9,en;q=0.5',
    });
    expectTooLargePage(signedOut, 'fr');
    // The language the person chose on the page wins over the session's and the browser's, as on every page.
    const chosen = await harness.page(harness.staff.customer, 'POST', '/console/tickets/new', oversized, {
      cookie: `${harness.staff.customer.cookie}; ${LANGUAGE_COOKIE}=fr`,
    });
    expectTooLargePage(chosen, 'fr');
    expect(harness.temporal.started).toEqual([]);
  });

  it("still answers the page, in the browser's language, when the sessions cannot be read", async () => {
    const harness = await consoleHarness();
    harness.people.sessions.resolve = () => Promise.reject(new Error('PostgreSQL is away'));
    const answer = await harness.page(harness.staff.customer, 'POST', '/console/tickets/new', oversized, {
      'accept-language': 'fr',
    });
    expectTooLargePage(answer, 'fr');
    expect(answer.body).not.toContain('Carla Contact');
  });

  it('leads back only to a console page of this host, whatever the Referer says', async () => {
    const harness = await consoleHarness();
    for (const referer of [
      'https://evil.test/console/tickets/new',
      'http://localhost:80//evil.test/',
      'http://localhost:80/elsewhere',
      'not a URL',
    ]) {
      const answer = await harness.page(
        harness.staff.agent,
        'POST',
        '/console/tickets/VIG-000042/take-charge',
        oversized,
        { referer },
      );
      expectTooLargePage(answer, 'en', '/console/');
    }
  });

  it('refuses a multipart form past the limit with the same page; one within it 415, as before', async () => {
    const harness = await consoleHarness();
    const multipart = (size: number) => {
      const boundary = '----vigil-test-boundary';
      const body = [
        `--${boundary}`,
        'Content-Disposition: form-data; name="_csrf"',
        '',
        harness.staff.customer.csrf,
        `--${boundary}`,
        'Content-Disposition: form-data; name="description"',
        '',
        'x'.repeat(size),
        `--${boundary}--`,
        '',
      ].join('\r\n');
      return harness.app.inject({
        method: 'POST',
        url: '/console/tickets/new',
        headers: {
          cookie: harness.staff.customer.cookie,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        payload: body,
      });
    };
    expectTooLargePage(await multipart(FORM_BODY_LIMIT), 'en');
    const small = await multipart(10);
    expect([small.statusCode, small.headers['content-type']]).toEqual([
      415,
      expect.stringMatching(/^application\/problem\+json/),
    ]);
    expect(harness.temporal.started).toEqual([]);
  });

  it("over a real socket, a browser's oversized post gets the page; the API's /v1 keeps problem+json", async () => {
    const harness = await consoleHarness();
    const address = await harness.app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const page = await fetch(`${address}/console/tickets/new`, {
        method: 'POST',
        headers: {
          cookie: harness.staff.customer.cookie,
          'content-type': 'application/x-www-form-urlencoded',
          'accept-language': 'fr',
        },
        body: new URLSearchParams({ _csrf: harness.staff.customer.csrf, ...oversized }).toString(),
      });
      expect(page.status).toBe(413);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await page.text()).toContain('305\u00a0kB');

      const api = await fetch(`${address}/v1/tickets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${harness.tokens.customer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Printer jammed', description: 'x'.repeat(300 * 1024) }),
      });
      expect(api.status).toBe(413);
      expect(api.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await api.json()).toMatchObject({ type: expect.stringContaining('payload-too-large'), status: 413 });
    } finally {
      await harness.app.close();
    }
    expect(harness.temporal.started).toEqual([]);
  });
});
