import http from 'node:http';
import type { AddressInfo } from 'node:net';
import perfHooks, { type IntervalHistogram } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { buildApp, type OpsDeps } from '../../api/app';
import { configFromEnv } from '../../infra/config';
import { apiLoggerOptions } from '../../api/request-log';
import type { AccountStore } from '../../messages/accounts';
import { formatTicketNumber } from '../../domain/ticket/ticket-number';
import { inMemoryAccounts } from '../support/in-memory-accounts';
import { FakeTemporal } from '../support/api/fake-temporal';
import { inMemoryIdempotency, inMemorySnapshots } from '../support/api/in-memory-stores';
import { sharedCompilers } from '../support/api/shared-compilers';

const NOW = Date.parse('2026-05-13T10:00:00+02:00');
const PROBLEM_TYPES = 'https://vigil.dev/problems/';

interface OpsApp {
  app: FastifyInstance;
  accounts: AccountStore;
  agentToken: string;
  otherAgentToken: string;
}

/** The app on in-memory accounts and Temporal, with one ticket, two agent keys and the given operations settings. */
async function opsApp(ops: OpsDeps = {}, options: FastifyServerOptions = {}): Promise<OpsApp> {
  const accounts = inMemoryAccounts();
  const temporal = new FakeTemporal(() => NOW);
  temporal.put({
    ticketNumber: 'VIG-000001',
    customerId: 'acme',
    policyId: 'econnect',
    kind: 'incident',
    priority: 'P3',
    title: 'Printer down',
    description: 'The office printer prints blank pages.',
    contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
  });
  let sequence = 1;
  const app = buildApp(
    {
      temporal: temporal.client,
      allocateTicketNumber: async () => formatTicketNumber(++sequence),
      accounts,
      idempotency: inMemoryIdempotency(),
      snapshots: inMemorySnapshots(),
      now: () => NOW,
      readiness: { temporal: async () => undefined },
      ...ops,
    },
    { ...sharedCompilers, ...options },
  );
  const agentToken = (await accounts.createApiKey({ role: 'agent', label: 'desk' })).token;
  const otherAgentToken = (await accounts.createApiKey({ role: 'agent', label: 'night desk' })).token;
  return { app, accounts, agentToken, otherAgentToken };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('request ids', () => {
  let ops: OpsApp;
  beforeAll(async () => (ops = await opsApp()));
  afterAll(() => ops.app.close());

  it('generates one per request and echoes it', async () => {
    const first = await ops.app.inject({ method: 'GET', url: '/health' });
    const second = await ops.app.inject({ method: 'GET', url: '/health' });
    expect(first.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
  });

  it("keeps the caller's id when it looks like one, and puts it in problem bodies", async () => {
    const response = await ops.app.inject({
      method: 'GET',
      url: '/v1/tickets/VIG-000001',
      headers: { 'x-request-id': 'trace-01HX:42.a_b' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['x-request-id']).toBe('trace-01HX:42.a_b');
    expect(response.json().requestId).toBe('trace-01HX:42.a_b');
  });

  it.each([
    ['too long', 'a'.repeat(129)],
    ['with characters a log line could be forged with', 'abc\\ndef"'],
  ])('replaces an id %s', async (_case, given) => {
    const response = await ops.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': given } });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('structured logs', () => {
  it('writes one JSON line per request with reqId, route, status and duration, and never the API key', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const ops = await opsApp({}, { logger: { ...apiLoggerOptions('info'), stream } });
    await ops.app.inject({
      method: 'GET',
      url: '/v1/tickets/VIG-000001',
      headers: { ...bearer(ops.agentToken), 'x-request-id': 'log-test-1' },
    });
    await ops.app.close();

    const entries = lines.map((line) => JSON.parse(line));
    const completed = entries.filter((entry) => entry.msg === 'request completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({
      reqId: 'log-test-1',
      method: 'GET',
      route: '/v1/tickets/:number',
      url: '/v1/tickets/VIG-000001',
      status: 200,
    });
    expect(completed[0].durationMs).toEqual(expect.any(Number));
    expect(lines.join('\n')).not.toContain(ops.agentToken);
  });
});

describe('/health and /ready', () => {
  it('answers /health 200 whatever the dependencies say', async () => {
    const ops = await opsApp({ readiness: { postgresql: () => Promise.reject(new Error('connect ECONNREFUSED')) } });
    const response = await ops.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
    await ops.app.close();
  });

  it('answers /ready 200 when every check passes', async () => {
    const ops = await opsApp({ readiness: { postgresql: async () => undefined, temporal: async () => undefined } });
    const response = await ops.app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', checks: { postgresql: 'up', temporal: 'up', worker: 'up' } });
    await ops.app.close();
  });

  it('answers /ready 503 with Retry-After naming the dependency that failed or did not answer in time', async () => {
    const ops = await opsApp({
      readinessTimeoutMs: 200,
      readiness: {
        postgresql: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
        temporal: () => new Promise(() => undefined),
      },
    });
    // The check that never answers is cut by the readiness timeout (its message says so), not waited for.
    const response = await ops.app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toMatchObject({
      type: `${PROBLEM_TYPES}unavailable`,
      status: 503,
      detail: 'not ready: temporal and postgresql do not answer',
      checks: { postgresql: 'down: connect ECONNREFUSED 127.0.0.1:5432', temporal: 'down: no answer within 200 ms' },
    });
    await ops.app.close();
  });
});

/** A stand-in for the worker's Prometheus endpoint: the API only fetches text from it. */
async function fakeWorkerMetrics(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('/metrics', () => {
  it('counts requests by method, route pattern and status, beside the process metrics', async () => {
    const ops = await opsApp();
    await ops.app.inject({ method: 'GET', url: '/v1/tickets/VIG-000001', headers: bearer(ops.agentToken) });
    await ops.app.inject({ method: 'GET', url: '/v1/tickets/VIG-000009', headers: bearer(ops.agentToken) });
    await ops.app.inject({ method: 'GET', url: '/nowhere' });

    const response = await ops.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.body).toContain(
      'http_request_duration_seconds_count{method="GET",route="/v1/tickets/:number",status_code="200"} 1',
    );
    expect(response.body).toContain(
      'http_request_duration_seconds_count{method="GET",route="/v1/tickets/:number",status_code="404"} 1',
    );
    expect(response.body).toContain(
      'http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"} 1',
    );
    expect(response.body).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(response.body).not.toContain('vigil_worker_metrics_up');
    await ops.app.close();
  });

  it("appends the worker's metrics, and says so in a gauge when the worker does not answer in time", async () => {
    const worker = await fakeWorkerMetrics((_request, response) =>
      response.end('# TYPE temporal_worker_task_slots_available gauge\ntemporal_worker_task_slots_available 100\n'),
    );
    // The silent worker never answers: it only notes that the scrape gave up on it (the client closed the request).
    let abandoned!: () => void;
    const scrapeAbandoned = new Promise<void>((resolve) => (abandoned = resolve));
    const silent = await fakeWorkerMetrics((request) => request.once('close', abandoned));
    const up = await opsApp({ metrics: { workerMetricsUrl: worker.url } });
    const down = await opsApp({ metrics: { workerMetricsUrl: silent.url, workerScrapeTimeoutMs: 200 } });

    const scraped = await up.app.inject({ method: 'GET', url: '/metrics' });
    expect(scraped.body).toMatch(/^vigil_worker_metrics_up 1$/m);
    expect(scraped.body).toMatch(/^temporal_worker_task_slots_available 100$/m);
    expect(scraped.body).toMatch(/^process_cpu_user_seconds_total \d/m);

    // It answered while the worker still had not: the scrape's own timeout ended the wait, not the worker.
    const unscraped = await down.app.inject({ method: 'GET', url: '/metrics' });
    await scrapeAbandoned;
    expect(unscraped.statusCode).toBe(200);
    expect(unscraped.body).toMatch(/^vigil_worker_metrics_up 0$/m);
    expect(unscraped.body).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(unscraped.body).not.toContain('temporal_');

    await Promise.all([up.app.close(), down.app.close(), worker.close(), silent.close()]);
  });

  it("stops, when the app closes, the event-loop histogram and the GC observer of the process's metrics", async () => {
    // prom-client starts both from node:perf_hooks when the metrics plugin loads (api/metrics.ts says why they matter).
    const monitor = jest.spyOn(perfHooks, 'monitorEventLoopDelay');
    const disconnect = jest.spyOn(perfHooks.PerformanceObserver.prototype, 'disconnect');
    try {
      const ops = await opsApp();
      await ops.app.ready();
      expect(monitor).toHaveBeenCalledTimes(1);
      const histogram = monitor.mock.results[0]!.value as IntervalHistogram;
      expect(disconnect).not.toHaveBeenCalled();

      await ops.app.close();
      // disable() answers false when the histogram was not sampling any more.
      expect(histogram.disable()).toBe(false);
      expect(disconnect).toHaveBeenCalledTimes(1);
    } finally {
      monitor.mockRestore();
      disconnect.mockRestore();
    }
  });
});

describe('/docs', () => {
  let ops: OpsApp;
  beforeAll(async () => (ops = await opsApp()));
  afterAll(() => ops.app.close());

  it('serves an OpenAPI 3 document of the /v1 routes, their schemas and the bearer scheme', async () => {
    const response = await ops.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    expect(document.components.securitySchemes.apiKey).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    );
    expect(document.security).toEqual([{ apiKey: [] }]);

    const open = document.paths['/v1/tickets'].post;
    expect(open.requestBody.content['application/json'].schema.properties).toEqual(
      expect.objectContaining({ title: expect.any(Object), priority: expect.any(Object) }),
    );
    expect(Object.keys(open.responses)).toEqual(expect.arrayContaining(['201', '422', '429', '503']));
    const read = document.paths['/v1/tickets/{number}'].get;
    expect(read.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'path', name: 'number' })]));
    expect(read.responses['200'].content['application/json'].schema.properties).toHaveProperty('clocks');
    expect(document.paths['/v1/tickets/{number}/take-charge'].post).toBeDefined();
    // Probes need no key, and the document says so.
    expect(document.paths['/ready'].get.security).toEqual([]);
    expect(document.paths['/metrics'].get.security).toEqual([]);
  });

  it('serves Swagger UI at /docs from the npm package', async () => {
    const page = await ops.app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('swagger-ui');
    expect(page.body).not.toMatch(/https?:\/\/(?:unpkg|cdn)/);
    const bundle = await ops.app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
    expect(bundle.statusCode).toBe(200);
  });
});

describe('body size limit', () => {
  it('answers 413 problem+json for a body over 256 KiB', async () => {
    const ops = await opsApp();
    const response = await ops.app.inject({
      method: 'POST',
      url: '/v1/tickets',
      headers: { ...bearer(ops.agentToken), 'content-type': 'application/json' },
      payload: JSON.stringify({
        customerId: 'acme',
        title: 'Big',
        description: 'x'.repeat(300 * 1024),
        contact: { name: 'Ana', email: 'ana@acme.lu' },
      }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      type: `${PROBLEM_TYPES}payload-too-large`,
      status: 413,
      detail: 'the request body is larger than the 262144 bytes this route accepts',
    });
    await ops.app.close();
  });
});

describe('rate limits', () => {
  let ops: OpsApp;
  beforeAll(async () => (ops = await opsApp({ rateLimit: { max: 3, windowMs: 60_000 } })));
  afterAll(() => ops.app.close());

  const read = (token: string) =>
    ops.app.inject({ method: 'GET', url: '/v1/tickets/VIG-000001', headers: bearer(token) });

  it('answers 429 problem+json with Retry-After once an API key is over its limit, and counts each key apart', async () => {
    for (let i = 0; i < 3; i++) expect((await read(ops.agentToken)).statusCode).toBe(200);
    const limited = await read(ops.agentToken);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.json()).toMatchObject({
      type: `${PROBLEM_TYPES}rate-limited`,
      status: 429,
      detail: expect.stringContaining('more than 3 requests in 60 s'),
    });

    expect((await read(ops.otherAgentToken)).statusCode).toBe(200);
  });

  it('counts callers without a key by the address the load balancer forwards, when told to trust it (VIGIL_TRUST_PROXY)', async () => {
    // Two callers behind one balancer: the socket's address is the balancer's, theirs is in X-Forwarded-For.
    const viaBalancer = (app: FastifyInstance, caller: string) =>
      app
        .inject({
          method: 'GET',
          url: '/docs/json',
          remoteAddress: '10.0.0.2',
          headers: { 'x-forwarded-for': caller },
        })
        .then((response) => response.statusCode);
    const trusting = await opsApp(
      { rateLimit: { max: 3, windowMs: 60_000 } },
      { trustProxy: configFromEnv({ DATABASE_URL: 'postgres://x@y/z', VIGIL_TRUST_PROXY: 'uniquelocal' }).trustProxy! },
    );
    const untrusting = await opsApp({ rateLimit: { max: 3, windowMs: 60_000 } });
    try {
      for (const { app } of [trusting, untrusting])
        for (let i = 0; i < 3; i++) expect(await viaBalancer(app, '203.0.113.5')).toBe(200);
      expect(await viaBalancer(trusting.app, '203.0.113.5')).toBe(429);
      expect(await viaBalancer(trusting.app, '203.0.113.6')).toBe(200);
      // Untrusted, every caller is the balancer: the second is refused for the first one's requests.
      expect(await viaBalancer(untrusting.app, '203.0.113.6')).toBe(429);
    } finally {
      await trusting.app.close();
      await untrusting.app.close();
    }
  });

  it('never limits the probes and the metrics scrape', async () => {
    for (const url of ['/health', '/ready', '/metrics']) {
      const statuses = await Promise.all(
        Array.from({ length: 5 }, () => ops.app.inject({ method: 'GET', url }).then((response) => response.statusCode)),
      );
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
    }
  });
});
