/**
 * When a notice that could not be delivered is tried again: exponential from `firstDelayMs`, capped at `maxDelayMs`,
 * and given up after `maxAttempts` (the row is then failed for good and listed for an admin). With the defaults a
 * notice survives an SMTP server away for about five hours: 2 s, 4 s, … 15 min, then every 15 min.
 */
export interface BackoffPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { firstDelayMs: 2_000, maxDelayMs: 15 * 60_000, maxAttempts: 25 };

/** The delay before the next attempt, once `attempts` attempts (1 or more) have failed; undefined: give up. */
export function retryDelayMs(attempts: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number | undefined {
  if (attempts >= policy.maxAttempts) return undefined;
  // 2 ** 40 is past any cap: stop doubling there, so a large count never becomes Infinity.
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.min(Math.max(attempts - 1, 0), 40));
}
