import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallback } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { routeOf } from './request-log';

export interface MetricsOptions {
  /** The worker's Prometheus endpoint (VIGIL_WORKER_METRICS_URL): its exposition is appended to ours. */
  workerMetricsUrl?: string;
  /** A scrape must not hang on a worker that is gone. */
  workerScrapeTimeoutMs?: number;
  /** How many tickets' workflow tasks fail now (db/workflow-task-failures.ts), read at each scrape. */
  failingWorkflowTasks?: () => Promise<number>;
}

async function scrape(url: string, timeoutMs: number): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.text();
}

/**
 * GET /metrics in the Prometheus text format: HTTP latency by method, route pattern and status, the process's
 * own metrics, then the Temporal worker's (its SDK runtime exports them on an address of its own) so that one
 * scrape of the API sees both processes.
 */
export const metrics: FastifyPluginCallback<MetricsOptions> = fp<MetricsOptions>(
  (app, { workerMetricsUrl, workerScrapeTimeoutMs = 1_000, failingWorkflowTasks }, done) => {
    // A registry per app: tests build many apps in one process, and each must count only its own requests.
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    const workerUp = workerMetricsUrl
      ? new Gauge({ name: 'vigil_worker_metrics_up', help: '1 when the last scrape of the Temporal worker metrics succeeded, else 0', registers: [registry] })
      : undefined;

    if (failingWorkflowTasks) {
      new Gauge({
        name: 'vigil_workflow_tasks_failing',
        help: 'Tickets whose workflow task failed within the last 15 minutes: each stands still until ops fix it',
        registers: [registry],
        async collect() {
          // A scrape still answers while PostgreSQL is away; the gauge is then absent rather than wrong.
          this.set(await failingWorkflowTasks().catch(() => Number.NaN));
        },
      });
    }

    app.addHook('onResponse', (request, reply, next) => {
      duration.observe({ method: request.method, route: routeOf(request), status_code: reply.statusCode }, reply.elapsedTime / 1000);
      next();
    });

    app.get(
      '/metrics',
      {
        config: { rateLimit: false },
        schema: { summary: 'Prometheus metrics of the API and the worker', tags: ['operations'], security: [], response: { 200: Type.String() } },
      },
      async (request, reply) => {
        let worker = '';
        if (workerMetricsUrl && workerUp) {
          try {
            worker = await scrape(workerMetricsUrl, workerScrapeTimeoutMs);
            workerUp.set(1);
          } catch (error) {
            request.log.warn({ err: error, url: workerMetricsUrl }, 'the worker metrics did not answer');
            workerUp.set(0);
          }
        }
        const own = await registry.metrics();
        return reply.type(registry.contentType).send(worker ? `${own}\n${worker}` : own);
      },
    );
    done();
  },
  { name: 'vigil-metrics' },
);
