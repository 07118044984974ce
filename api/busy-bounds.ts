// Apart from api/back-pressure.ts so that infra/config.ts, which the worker reads too, takes no API code with it.

/** How far behind the workers may fall before the API stops taking new tickets (VIGIL_BUSY_*, infra/config.ts). */
export interface BusyBounds {
  /** Tasks of one kind waiting for a worker. */
  maxTasks: number;
  /** Seconds the oldest of them has waited: the schedule-to-start latency a new ticket would meet now. */
  maxAgeSeconds: number;
  /** How often Temporal is asked, at most; between probes the last reading stands. */
  probeIntervalMs: number;
}

export const DEFAULT_BUSY_BOUNDS: BusyBounds = { maxTasks: 500, maxAgeSeconds: 5, probeIntervalMs: 1_000 };
