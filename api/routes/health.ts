import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { unavailable } from '../problems';
import { sharedFor, type ReadinessChecks } from '../readiness';
import { ProblemSchema } from '../schemas/problem';

export interface HealthRoutesDeps {
  readiness: ReadinessChecks;
  readinessTimeoutMs: number;
  /** What /ready reports besides its checks, by name; a detail never makes the API unready. */
  details?: Record<string, () => Promise<unknown>>;
}

const Liveness = Type.Object({ status: Type.Literal('ok') });
const Readiness = Type.Object({
  status: Type.Literal('ready'),
  checks: Type.Record(Type.String(), Type.Literal('up'), { description: 'Each dependency checked, by name' }),
  details: Type.Optional(
    Type.Record(Type.String(), Type.Unknown(), {
      description: 'What ops should know besides: `workflowTasks` lists the tickets whose workflow task fails',
    }),
  ),
});
const NotReady = Type.Composite(
  [
    ProblemSchema,
    Type.Object({
      checks: Type.Record(Type.String(), Type.String(), { description: '"up", or why the dependency is down' }),
    }),
  ],
  {
    additionalProperties: true,
  },
);

// Probes and scrapers must always get through: no rate limit, no API key.
const operational = { config: { rateLimit: false as const } };
const tags = ['operations'];

// /ready asks PostgreSQL and Temporal: its answer is shared for a second, and an address asking more often than any
// probe would (LB or Kubernetes, every few seconds) is told to slow down. Still no API key: probes have none.
const READINESS_SHARED_MS = 1_000;
const readinessLimit = {
  config: { rateLimit: { max: 120, timeWindow: 60_000, keyGenerator: (request: { ip: string }) => request.ip } },
};

async function within<T>(timeoutMs: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const reason = (error: unknown) => (error instanceof Error && error.message ? error.message : String(error));

/** Runs every reader at once, each under the timeout, and names each outcome as `settle` words it; shared for a second. */
function sharedByName<T>(
  readers: Record<string, () => Promise<unknown>>,
  timeoutMs: number,
  settle: (read: Promise<unknown>) => Promise<T>,
) {
  return sharedFor(READINESS_SHARED_MS, async (): Promise<Record<string, T>> =>
    Object.fromEntries(
      await Promise.all(
        Object.entries(readers).map(async ([name, read]): Promise<[string, T]> => [
          name,
          await settle(within(timeoutMs, read)),
        ]),
      ),
    ),
  );
}

export const healthRoutes: FastifyPluginCallbackTypebox<HealthRoutesDeps> = (
  app,
  { readiness, readinessTimeoutMs, details = {} },
  done,
) => {
  const currentChecks = sharedByName(readiness, readinessTimeoutMs, (read) =>
    read.then(
      () => 'up',
      (error) => `down: ${reason(error)}`,
    ),
  );
  const currentDetails = sharedByName(details, readinessTimeoutMs, (read): Promise<unknown> =>
    read.catch((error) => ({ unknown: reason(error) })),
  );

  app.get(
    '/health',
    {
      ...operational,
      schema: { summary: 'Liveness: the process serves HTTP', tags, security: [], response: { 200: Liveness } },
    },
    () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      ...readinessLimit,
      schema: {
        summary:
          'Readiness: PostgreSQL and Temporal answer, and a worker polls the ticket task queue (answer shared for 1 s)',
        tags,
        security: [],
        response: { 200: Readiness, 429: ProblemSchema, 503: NotReady },
      },
    },
    async () => {
      const [checks, reported] = await Promise.all([currentChecks(), currentDetails()]);
      const extra = Object.keys(reported).length > 0 ? { details: reported } : {};
      const down = Object.keys(checks).filter((name) => checks[name] !== 'up');
      if (down.length > 0)
        throw unavailable(`not ready: ${down.join(' and ')} ${down.length > 1 ? 'do' : 'does'} not answer`, {
          checks,
          ...extra,
        });
      return { status: 'ready' as const, checks: checks as Record<string, 'up'>, ...extra };
    },
  );
  done();
};
