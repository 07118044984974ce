import type { LightMyRequestResponse } from 'fastify';
import { apiHarness } from '../support/api/harness';

/** The directives of a Content-Security-Policy, by name. */
function directives(response: LightMyRequestResponse): Record<string, string[]> {
  const policy = String(response.headers['content-security-policy'] ?? '');
  return Object.fromEntries(
    policy
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name, values]),
  );
}

describe('security headers', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;

  beforeAll(async () => {
    harness = await apiHarness();
    harness.ticketOf('acme', 'VIG-000001');
    harness.invoices.issue(
      {
        number: 'INV-2026-000001',
        customerId: 'acme',
        periodStart: '2026-01-01',
        periodEnd: '2026-03-31',
        totalCents: 0,
        issuedAt: '2026-04-01T06:00:00.000Z',
        lines: [],
      },
      '<html><head><style>body{font-family:sans-serif}</style></head><body>INV-2026-000001</body></html>',
    );
  });

  it('puts nosniff, no-referrer and a CSP that allows nothing on every API answer, refusals and unknown routes included', async () => {
    const answers = await Promise.all([
      harness.call('agent', 'GET', '/v1/tickets/VIG-000001'),
      harness.call(undefined, 'GET', '/v1/tickets/VIG-000001'),
      harness.call('agent', 'GET', '/v1/tickets/VIG-999999'),
      harness.call(undefined, 'GET', '/nowhere'),
      harness.call(undefined, 'GET', '/health'),
      harness.call('agent', 'GET', '/v1/invoices/INV-2026-000001/pdf'),
    ]);
    expect(answers.map((response) => response.statusCode)).toEqual([200, 401, 404, 404, 200, 200]);
    for (const response of answers) {
      expect(response.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
      expect(directives(response)).toMatchObject({ 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] });
      // Images (the invoice page's inline logo) are let in on the HTML page alone.
      expect(directives(response)['img-src']).toBeUndefined();
    }
  });

  it('lets the invoice page style itself and nothing more: no script, no frame, no form, nothing from elsewhere', async () => {
    const page = await harness.call('customer', 'GET', '/v1/invoices/INV-2026-000001/html');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const policy = directives(page);
    expect(policy).toEqual({
      'default-src': ["'none'"],
      'style-src': ["'unsafe-inline'"],
      'img-src': ['data:'],
      'frame-ancestors': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
    });
    expect(policy['script-src']).toBeUndefined();
  });

  it('lets Swagger UI at /docs load what its page asks for, all from the API itself, and run no inline script', async () => {
    const page = await harness.call(undefined, 'GET', '/docs');
    expect(page.statusCode).toBe(200);
    const policy = directives(page);
    expect(policy).toMatchObject({
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
      'connect-src': ["'self'"],
    });
    // What the page loads: same-origin URLs only, which 'self' allows, and no inline script, which it would not.
    const loaded = [...page.body.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map(([, url]) => url!);
    expect(loaded.length).toBeGreaterThan(0);
    for (const url of loaded) expect(url).not.toMatch(/^(?:[a-z]+:)?\/\//i);
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    for (const url of loaded) {
      const asset = await harness.call(undefined, 'GET', new URL(url, 'http://api.test/docs').pathname);
      expect({ url, status: asset.statusCode, nosniff: asset.headers['x-content-type-options'] }).toEqual({
        url,
        status: 200,
        nosniff: 'nosniff',
      });
    }
    const document = await harness.call(undefined, 'GET', '/docs/json');
    expect(document.statusCode).toBe(200);
  });
});
