import { consoleHarness } from '../support/api/console-harness';

type Harness = Awaited<ReturnType<typeof consoleHarness>>;

// What every console page carries around its content: the footer's room on a phone.
describe("the console's page around its content", () => {
  let harness: Harness;
  beforeAll(async () => (harness = await consoleHarness()));

  it('keeps the footer off the edges, on a phone as on a desktop', async () => {
    const css = (await harness.app.inject({ method: 'GET', url: '/console/static/console.css' })).body;
    expect(css).toMatch(/\nfooter \{\n {2}padding: 8px 16px 16px;/);
    const narrow =
      /@media \(max-width: 640px\) \{\n {2}main,\n {2}header,\n {2}footer \{\n {4}padding-left: 8px;\n {4}padding-right: 8px;/;
    expect(css).toMatch(narrow);
  });
});
