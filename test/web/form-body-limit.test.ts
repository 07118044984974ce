import { FORM_BODY_LIMIT } from '../../api/web/forms';
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

  it('refuses a body past the limit 413, naming the limit that refused it', async () => {
    const harness = await consoleHarness();
    const answer = await harness.page(harness.staff.customer, 'POST', '/console/tickets/new', {
      title: 'Printer jammed',
      description: 'x'.repeat(FORM_BODY_LIMIT),
    });
    expect(answer.statusCode).toBe(413);
    expect(answer.json()).toMatchObject({ detail: expect.stringContaining(`${FORM_BODY_LIMIT} bytes`) });
  });
});
