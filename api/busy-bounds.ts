// Apart from api/back-pressure.ts so that infra/config.ts, which the worker reads too, takes no API code with it.

/** How far behind the workers may fall before the API stops taking new tickets (VIGIL_BUSY_*, infra/config.ts). */
export interface BusyBounds {
  /** Tasks of one kind waiting for a worker on the ticket queue (VIGIL_BUSY_MAX_BACKLOG). */
  maxTasks: number;
  /**
   * Seconds the oldest waiting piece of work may have waited (VIGIL_BUSY_MAX_BACKLOG_AGE_SECONDS): a ticket-queue task
   * or a notice not yet taken by a worker (the schedule-to-start latency a new ticket and its notices would meet now),
   * or an opening this API has taken and not yet answered. Below the API's Temporal deadline (TEMPORAL_DEADLINE_MS,
   * which infra/config.ts holds it to), so that the workers are found behind before openings time out.
   */
  maxAgeSeconds: number;
  /** How often Temporal is asked, at most; between probes the last reading stands. */
  probeIntervalMs: number;
}

/**
 * The API's deadline on the Temporal calls of one request (api/temporal-deadline.ts applies it): long enough for an
 * Update that runs a local activity under load, short enough that nobody waits on a dead worker. Here, beside the age
 * bound that must stay under it, so that infra/config.ts checks that bound without taking API code with it.
 */
export const TEMPORAL_DEADLINE_MS = 8_000;

export const DEFAULT_BUSY_BOUNDS: BusyBounds = { maxTasks: 500, maxAgeSeconds: 5, probeIntervalMs: 1_000 };
