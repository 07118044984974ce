import type { InjectOptions, LightMyRequestResponse, RouteOptions } from 'fastify';
import type { Caller } from '../support/api/harness';
import { apiHarness, expectProblem } from '../support/api/harness';
import { inMemoryPeople } from '../support/api/in-memory-people';
import { ICON_PATH } from '../../api/web/icon';

interface Route {
  method: string;
  url: string;
  /** The statuses the OpenAPI document gives it: its response schemas, and those the docs add to every /v1 route. */
  documented: string[];
  validates: { params: boolean; body: boolean };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
}

const CALLERS: Caller[] = ['admin', 'agent', 'manager', 'acme', 'globex'];

/** A value each path parameter could hold, by where it stands: every route answers something other than "no route". */
function sampleValue(url: string, param: string): string {
  if (param === 'number') return url.startsWith('/v1/invoices') ? 'INV-2026-000001' : 'VIG-000001';
  if (url.startsWith('/v1/admin/customers')) return 'acme';
  if (url.startsWith('/v1/admin/api-keys')) return 'nosuchkey';
  return '1';
}
const withParams = (url: string, value: (param: string) => string) =>
  url.replace(/:(\w+)/g, (_match, param: string) => value(param));

describe('the inventory of routes', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;
  const routes: Route[] = [];
  const seen = new Set<number>();

  beforeAll(async () => {
    // With the console's people, so that the people routes (api/routes/users.ts) are in the inventory too.
    harness = await apiHarness(undefined, (accounts) => ({ people: inMemoryPeople(accounts) }));
    // Before ready(): the route plugins load then, and each route they add passes through this hook.
    const added: Omit<Route, 'documented'>[] = [];
    harness.app.addHook('onRoute', (route: RouteOptions) => {
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD')
          added.push({
            method,
            url: route.url,
            validates: { params: Boolean(route.schema?.params), body: Boolean(route.schema?.body) },
          });
      }
    });
    await harness.app.ready();
    const { paths } = harness.app.swagger() as unknown as OpenApiDocument;
    for (const route of added) {
      const operation = paths[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
      routes.push({ ...route, documented: Object.keys(operation?.responses ?? {}) });
    }
    harness.ticketOf('acme', 'VIG-000001');
    harness.invoices.issue({
      number: 'INV-2026-000001',
      customerId: 'acme',
      periodStart: '2026-01-01',
      periodEnd: '2026-03-31',
      totalCents: 0,
      issuedAt: '2026-04-01T06:00:00.000Z',
      lines: [],
    });
  });

  const v1 = () => routes.filter(({ url }) => url.startsWith('/v1'));
  const send = (
    route: Route,
    caller: Caller | undefined,
    options: Partial<InjectOptions> = {},
  ): Promise<LightMyRequestResponse> =>
    harness.app.inject({
      method: route.method as InjectOptions['method'],
      url: withParams(route.url, (param) => sampleValue(route.url, param)),
      ...options,
      headers: { ...(caller ? { authorization: `Bearer ${harness.tokens[caller]}` } : {}), ...options.headers },
    });

  /** The statuses a route answered that its response schema does not document, as "METHOD url: status (probe)". */
  async function undocumented(
    probes: (route: Route) => Record<string, Promise<LightMyRequestResponse>>,
  ): Promise<string[]> {
    const found: string[] = [];
    for (const route of v1()) {
      for (const [probe, answer] of Object.entries(probes(route))) {
        const { statusCode } = await answer;
        seen.add(statusCode);
        if (!route.documented.includes(String(statusCode)))
          found.push(`${route.method} ${route.url}: ${statusCode} (${probe})`);
      }
    }
    return found;
  }

  it('holds the routes of every part of the API once every optional store is given', () => {
    const urls = v1().map(({ method, url }) => `${method} ${url}`);
    expect(urls).toEqual(
      expect.arrayContaining([
        'POST /v1/tickets',
        'GET /v1/tickets',
        'GET /v1/queue',
        'POST /v1/tickets/:number/take-charge',
        'POST /v1/admin/customers',
        'POST /v1/admin/api-keys/:id/revoke',
        'GET /v1/invoices/:number/pdf',
        'POST /v1/contracts/:id/prepaid-hours',
        'GET /v1/reports/sla',
        'GET /v1/reports/at-risk',
        'GET /v1/contracts',
        'GET /v1/contacts',
        'GET /v1/customers',
        'PATCH /v1/admin/users/:id',
        'PATCH /v1/admin/contracts/:id',
      ]),
    );
    expect(new Set(urls).size).toBe(urls.length);
  });

  it('answers 401 problem+json with a Bearer challenge on every /v1 route called without a key', async () => {
    for (const route of v1()) {
      const response = await send(
        route,
        undefined,
        route.method === 'POST' || route.method === 'PATCH' ? { payload: {} } : {},
      );
      expectProblem(response, 401, 'unauthorized');
      expect(response.headers['www-authenticate']).toBe('Bearer realm="vigil"');
    }
  });

  it('documents a success answer (200, 201, or 202 for a mail queued) and 401 on every /v1 route, and a success answer on the operations routes', () => {
    const missing = routes
      // The console's pages and the icon are for browsers, outside the OpenAPI document.
      .filter(({ url }) => !url.startsWith('/docs') && !url.startsWith('/console') && url !== ICON_PATH)
      .filter(
        ({ url, documented }) =>
          !documented.some((status) => ['200', '201', '202'].includes(status)) ||
          (url.startsWith('/v1') && !documented.includes('401')),
      )
      .map(({ method, url, documented }) => `${method} ${url}: documents ${documented.join(', ') || 'nothing'}`);
    expect(missing).toEqual([]);
  });

  it('documents every status a /v1 route answers to each role, bad path parameters, unknown query parameters and unknown body fields', async () => {
    const found = await undocumented((route) => {
      const payload = route.method === 'POST' || route.method === 'PATCH' ? { payload: {} } : {};
      return {
        ...Object.fromEntries(CALLERS.map((caller) => [`${caller} key`, send(route, caller, payload)])),
        ...(route.validates.params
          ? { 'bad path parameter': send(route, 'admin', { ...payload, url: withParams(route.url, () => '%20') }) }
          : {}),
        'unknown query parameter': send(route, 'admin', { ...payload, query: { zzz: '1' } }),
        ...(route.validates.body ? { 'unknown body field': send(route, 'admin', { payload: { zzz: 1 } }) } : {}),
      };
    });
    expect(found).toEqual([]);
    // The probes got past authentication and the role checks, so the check above is not vacuous.
    expect([...seen]).toEqual(expect.arrayContaining([200, 403, 404, 422]));
  });

  it("documents the body parser's refusals (400 malformed JSON, 413 too large, 415 not JSON) on every /v1 route that takes a body", async () => {
    const json = { 'content-type': 'application/json' };
    const found = await undocumented((route): Record<string, Promise<LightMyRequestResponse>> =>
      route.validates.body
        ? {
            'malformed JSON': send(route, 'admin', { payload: '{"title":', headers: json }),
            'body too large': send(route, 'admin', {
              payload: JSON.stringify({ title: 'x'.repeat(300 * 1024) }),
              headers: json,
            }),
            'not JSON': send(route, 'admin', {
              payload: 'title=x',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
            }),
          }
        : {},
    );
    expect(found).toEqual([]);
  });
});
