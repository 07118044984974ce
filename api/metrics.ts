import perfHooks from 'node:perf_hooks';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginCallback } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { OutboxFigures } from '../db/outbox';
import { PROBED, type BackPressure, type QueueBacklog } from './back-pressure';
import { routeOf } from './request-log';

export interface MetricsOptions {
  /** The worker's Prometheus endpoint (VIGIL_WORKER_METRICS_URL): its exposition is appended to ours. */
  workerMetricsUrl?: string;
  /** A scrape must not hang on a worker that is gone. */
  workerScrapeTimeoutMs?: number;
  /** How many tickets' workflow tasks fail now (db/workflow-task-failures.ts), read at each scrape. */
  failingWorkflowTasks?: () => Promise<number>;
  /** The e-mail outbox's pending and failed notices (db/outbox.ts), read at each scrape. */
  outboxFigures?: () => Promise<OutboxFigures>;
  /** The workers' backlog as the API last read it, and the new tickets it refused as busy (api/back-pressure.ts). */
  backPressure?: BackPressure;
}

/**
 * prom-client's default metrics (the process's CPU, memory, handles, event-loop lag, GC) in `registry`, and a function
 * that stops what they started. Two of them start a resource nothing in prom-client stops: an event-loop delay
 * histogram sampling every 10 ms (lib/metrics/eventLoopLag.js) and a PerformanceObserver of every GC (gc.js). A
 * process that builds many apps, as the test suite does in its one Jest process, kept one of each per app ever built,
 * each keeping alive the modules of the test file that built it (the e2e files' memory grew by 40 to 60 MB each). They
 * are taken here as prom-client creates them, from node:perf_hooks, which it reads when it starts them.
 */
export function collectProcessMetrics(registry: Registry): () => void {
  const hooks = perfHooks as { -readonly [Name in keyof typeof perfHooks]: (typeof perfHooks)[Name] };
  const { monitorEventLoopDelay, PerformanceObserver } = hooks;
  const stops: Array<() => void> = [];
  hooks.monitorEventLoopDelay = (options) => {
    const histogram = monitorEventLoopDelay(options);
    stops.push(() => histogram.disable());
    return histogram;
  };
  hooks.PerformanceObserver = class extends PerformanceObserver {
    constructor(callback: ConstructorParameters<typeof PerformanceObserver>[0]) {
      super(callback);
      stops.push(() => this.disconnect());
    }
  };
  try {
    collectDefaultMetrics({ register: registry });
  } finally {
    hooks.monitorEventLoopDelay = monitorEventLoopDelay;
    hooks.PerformanceObserver = PerformanceObserver;
  }
  return () => {
    for (const stop of stops.splice(0)) stop();
  };
}

async function scrape(url: string, timeoutMs: number): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.text();
}

/**
 * The outbox's figures, one query per scrape for the three: failed notices never arrive without somebody acting, so
 * an alert on `vigil_outbox_failed > 0` (or on its increase) is the one to have. Absent while PostgreSQL is away.
 */
function outboxGauges(registry: Registry, figures: () => Promise<OutboxFigures>): void {
  let scrape: Promise<OutboxFigures | undefined> | undefined;
  // The three gauges collect in the same scrape: they share one reading of the table.
  const read = () =>
    (scrape ??= figures()
      .catch(() => undefined)
      .finally(() => setImmediate(() => (scrape = undefined))));
  const gauge = (name: string, help: string, pick: (figures: OutboxFigures) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const current = await read();
        this.set(current ? pick(current) : Number.NaN);
      },
    });
  gauge(
    'vigil_outbox_failed',
    'E-mail notices failed for good (5xx, attempts exhausted, nobody to address): listed at /v1/admin/outbox?state=failed',
    (f) => f.failed,
  );
  gauge('vigil_outbox_pending', 'E-mail notices queued and not yet accepted by the SMTP server', (f) => f.pending);
  gauge(
    'vigil_outbox_oldest_pending_seconds',
    'Age of the oldest e-mail notice still to send (0 when none is)',
    (f) => f.oldestPendingSeconds,
  );
}

/**
 * The backlogs the API judges new tickets by (its last reading: a scrape starts no probe of its own), by queue and kind,
 * absent while no probe succeeded; how long its oldest opening in flight has waited; and the refusals it made: alert
 * when `vigil_requests_refused_busy_total` increases.
 */
function backPressureMetrics(registry: Registry, gate: BackPressure): void {
  const labelNames = ['queue', 'kind'] as const;
  const each = (pick: (backlog: QueueBacklog) => number) =>
    function collect(this: Gauge<'queue' | 'kind'>) {
      const backlog = gate.latest();
      for (const { queue, kind } of PROBED) {
        const read = backlog?.find((one) => one.queue === queue && one.kind === kind);
        this.set({ queue, kind }, read ? pick(read) : Number.NaN);
      }
    };
  new Gauge({
    name: 'vigil_task_queue_backlog_tasks',
    help: 'Tasks waiting for a worker, by queue (tickets, notices, read-model) and kind (workflow, activity)',
    labelNames,
    registers: [registry],
    collect: each((b) => b.tasks),
  });
  new Gauge({
    name: 'vigil_task_queue_backlog_age_seconds',
    help: 'How long the oldest task waiting for a worker has waited, by queue and kind',
    labelNames,
    registers: [registry],
    collect: each((b) => b.oldestSeconds),
  });
  new Gauge({
    name: 'vigil_ticket_opening_oldest_seconds',
    help: 'How long the oldest ticket opening this API has taken and not yet answered has waited (0 when none is)',
    registers: [registry],
    collect() {
      this.set(gate.load().oldestOpeningSeconds);
    },
  });
  let counted = 0;
  new Counter({
    name: 'vigil_requests_refused_busy_total',
    help: 'New tickets refused with 503 busy because the workers were behind (VIGIL_BUSY_MAX_BACKLOG, VIGIL_BUSY_MAX_BACKLOG_AGE_SECONDS)',
    registers: [registry],
    collect() {
      this.inc(gate.refused - counted);
      counted = gate.refused;
    },
  });
  new Gauge({
    name: 'vigil_busy_max_backlog',
    help: 'Bound on waiting ticket-queue tasks of one kind past which new tickets are refused',
    registers: [registry],
  }).set(gate.bounds.maxTasks);
  new Gauge({
    name: 'vigil_busy_max_backlog_age_seconds',
    help: 'Bound on the wait of the oldest ticket-queue task, notice or opening in flight past which new tickets are refused',
    registers: [registry],
  }).set(gate.bounds.maxAgeSeconds);
}

/**
 * GET /metrics in the Prometheus text format: HTTP latency by method, route pattern and status, the process's
 * own metrics, then the Temporal worker's (its SDK runtime exports them on an address of its own) so that one
 * scrape of the API sees both processes.
 */
export const metrics: FastifyPluginCallback<MetricsOptions> = fp<MetricsOptions>(
  (
    app,
    { workerMetricsUrl, workerScrapeTimeoutMs = 1_000, failingWorkflowTasks, outboxFigures, backPressure },
    done,
  ) => {
    // A registry per app: tests build many apps in one process, and each must count only its own requests.
    const registry = new Registry();
    const stopProcessMetrics = collectProcessMetrics(registry);
    app.addHook('onClose', (_app, closed) => {
      stopProcessMetrics();
      closed();
    });
    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    const workerUp = workerMetricsUrl
      ? new Gauge({
          name: 'vigil_worker_metrics_up',
          help: '1 when the last scrape of the Temporal worker metrics succeeded, else 0',
          registers: [registry],
        })
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

    if (outboxFigures) outboxGauges(registry, outboxFigures);
    if (backPressure) backPressureMetrics(registry, backPressure);

    app.addHook('onResponse', (request, reply, next) => {
      duration.observe(
        { method: request.method, route: routeOf(request), status_code: reply.statusCode },
        reply.elapsedTime / 1000,
      );
      next();
    });

    app.get(
      '/metrics',
      {
        config: { rateLimit: false },
        schema: {
          summary: 'Prometheus metrics of the API and the worker',
          tags: ['operations'],
          security: [],
          response: { 200: Type.String() },
        },
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
