import { FORM_CSRF_COOKIE } from '../../api/web/forms';
import { consoleHarness } from '../support/api/console-harness';
import { NOW } from '../support/api/harness';

/**
 * A page that a mailed link opened in the mail's language (?lang=, api/web/i18n.ts languageOf) keeps it for what its
 * reader does next signed out, whatever the browser says: the refusal of a new password, the expired link's way to a
 * new one, and the form that asks for it.
 */
describe("the sign-in and reset pages, in their link's language", () => {
  const csrf = 'c'.repeat(43);
  const browser = { 'accept-language': 'en-GB,en;q=0.9', cookie: `${FORM_CSRF_COOKIE}=${csrf}` };

  it("refuses a password too short or too long in the page's French", async () => {
    const harness = await consoleHarness();
    const { customer } = harness.staff;
    for (const [password, said] of [
      ['court', 'Le nouveau mot de passe doit compter au moins 12 caractères.'],
      ['x'.repeat(257), 'Le nouveau mot de passe doit compter au plus 256 caractères.'],
    ] as const) {
      const token = await harness.people.signInTokens.issue(customer.id, 'reset', NOW + 3_600_000);
      const refused = await harness.page(
        undefined,
        'POST',
        `/console/reset/${token}?lang=fr`,
        { _csrf: csrf, password },
        browser,
      );
      expect(refused.statusCode).toBe(422);
      expect(refused.body).toContain(said);
      expect(refused.body).not.toContain('must have');
    }
  });

  it.each(['reset', 'link'])(
    'names the way on from an expired /console/%s link for what it does in English too',
    async (path) => {
      const harness = await consoleHarness();
      const expired = await harness.page(undefined, 'GET', `/console/${path}/${'x'.repeat(43)}`, undefined, {
        'accept-language': 'en',
      });
      expect(expired.statusCode).toBe(410);
      expect(expired.body).toContain(`<a href="/console/${path}?lang=en">Get a new link</a>`);
      expect(expired.body).not.toContain('>Send<');
    },
  );

  it.each([
    ['link', 'en', 'E-mail me a sign-in link'],
    ['link', 'fr', 'Recevoir un lien de connexion par e-mail'],
    ['reset', 'en', 'E-mail me a link to choose a new password'],
    ['reset', 'fr', 'Recevoir par e-mail un lien pour choisir un nouveau mot de passe'],
  ])('names the button of the form at /console/%s for what it does, in %s', async (path, language, button) => {
    const harness = await consoleHarness();
    const asking = await harness.page(undefined, 'GET', `/console/${path}?lang=${language}`, undefined, browser);
    expect(asking.statusCode).toBe(200);
    expect(asking.body).toContain(`<button type="submit">${button}</button>`);
    // Not the bare verb, which said neither what is sent nor to whom.
    expect(asking.body).not.toMatch(/>(Send|Envoyer)</);
  });

  it.each(['reset', 'link'])(
    "sends the reader of an expired /console/%s link on to ask for a new one in the link's language",
    async (path) => {
      const harness = await consoleHarness();
      const expired = await harness.page(
        undefined,
        'GET',
        `/console/${path}/${'x'.repeat(43)}?lang=fr`,
        undefined,
        browser,
      );
      expect(expired.statusCode).toBe(410);
      // Named for what it leads to, not for the form's button on the page it opens.
      expect(expired.body).toContain(`<a href="/console/${path}?lang=fr">Recevoir un nouveau lien</a>`);

      const asking = await harness.page(undefined, 'GET', `/console/${path}?lang=fr`, undefined, browser);
      expect(asking.body).toContain(`<form method="post" action="/console/${path}?lang=fr"`);
      const asked = await harness.page(
        undefined,
        'POST',
        `/console/${path}?lang=fr`,
        { _csrf: csrf, email: 'nobody@acme.lu' },
        browser,
      );
      expect(asked.body).toContain('Si un compte a cette adresse');
    },
  );
});
