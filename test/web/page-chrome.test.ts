import { ICON_SVG } from '../../api/web/icon';
import { consoleHarness } from '../support/api/console-harness';

type Harness = Awaited<ReturnType<typeof consoleHarness>>;

// What every console page carries around its content: the icon browsers ask for, and the footer's room on a phone.
describe("the console's page around its content", () => {
  let harness: Harness;
  beforeAll(async () => (harness = await consoleHarness()));

  it('answers /favicon.ico with an SVG icon, without a key, cached, and each page names it so', async () => {
    const icon = await harness.app.inject({ method: 'GET', url: '/favicon.ico' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('public, max-age=86400');
    expect(icon.body).toBe(ICON_SVG);
    expect(icon.body).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 32 32">.*<\/svg>$/s);
    for (const page of [
      await harness.page(undefined, 'GET', '/console/sign-in'),
      await harness.page(harness.staff.customer, 'GET', '/console/tickets/new'),
    ])
      expect(page.body).toContain('<link rel="icon" href="/favicon.ico" type="image/svg+xml">');
  });

  it('keeps the footer off the edges, on a phone as on a desktop', async () => {
    const css = (await harness.app.inject({ method: 'GET', url: '/console/static/console.css' })).body;
    expect(css).toMatch(/\nfooter \{\n {2}padding: 8px 16px 16px;/);
    const narrow =
      /@media \(max-width: 640px\) \{\n {2}main,\n {2}header,\n {2}footer \{\n {4}padding-left: 8px;\n {4}padding-right: 8px;/;
    expect(css).toMatch(narrow);
  });
});
