import type { RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { tooManyRequests } from './problems';

export interface RateLimitSettings {
  /** Requests one API key (or, before authentication, one IP address) may make per window. */
  max: number;
  windowMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitSettings = { max: 600, windowMs: 60_000 };

/**
 * Failed authentications one address may make per window before it is refused outright. Generous enough for a client
 * whose key was just revoked to notice, low enough that a flood of bad tokens costs the store this many lookups a
 * minute per address, not one per request.
 */
export const DEFAULT_AUTH_FAILURE_LIMIT: RateLimitSettings = { max: 60, windowMs: 60_000 };

/**
 * Limits are per API key, so that one integration looping cannot starve the others behind the same NAT;
 * requests without a key (docs) are counted per address. The authentication hook belongs to the /v1 plugin and the
 * limiter is a route-level hook, which runs after it: the principal is known when the limiter runs.
 * Routes opt out with `config: { rateLimit: false }` (probes and metrics scrapers must always get through).
 */
function keyOf(request: FastifyRequest): string {
  return request.principal ? `key:${request.principal.keyId}` : `ip:${request.ip}`;
}

export function rateLimitOptions({ max, windowMs }: RateLimitSettings): RateLimitPluginOptions {
  return {
    global: true,
    max,
    timeWindow: windowMs,
    keyGenerator: keyOf,
    errorResponseBuilder: (_request, context) =>
      tooManyRequests(
        `more than ${context.max} requests in ${windowMs / 1000} s for this caller; try again in ${context.after}`,
        Math.ceil(context.ttl / 1000),
      ),
  };
}

/**
 * Hits per key in a fixed window opened by the key's first hit, in memory. Bounded: past `capacity` keys the oldest
 * is dropped (every window has the same length, so the oldest inserted is also the first to end), so a caller
 * spraying keys costs memory it cannot grow, at worst forgetting counts sooner.
 */
export class WindowedCounts {
  private readonly windows = new Map<string, { hits: number; endsAt: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly capacity = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The hits of `key` in its current window and when that window ends; undefined when it has none. */
  get(key: string): { hits: number; endsAt: number } | undefined {
    const window = this.windows.get(key);
    if (window && window.endsAt <= this.now()) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  hit(key: string): void {
    const window = this.get(key);
    if (window) {
      window.hits += 1;
      return;
    }
    if (this.windows.size >= this.capacity) this.windows.delete(this.windows.keys().next().value!);
    this.windows.set(key, { hits: 1, endsAt: this.now() + this.windowMs });
  }
}

/**
 * Failed authentications counted per client address, checked before a token is looked at: an address over the limit
 * gets 429 with Retry-After until its window ends, whatever it sends, and the account store is not asked. Per
 * address, not per key id: counting per key id would let anyone lock a real key out by sending wrong secrets for its
 * public id. Addresses are the socket's (`request.ip`); behind a proxy, set Fastify's `trustProxy`.
 */
export class AuthFailureLimit {
  private readonly failures: WindowedCounts;

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.failures = new WindowedCounts(settings.windowMs, 10_000, now);
  }

  assertMayTry(address: string): void {
    const window = this.failures.get(address);
    if (!window || window.hits < this.settings.max) return;
    const retryAfterSeconds = Math.max(1, Math.ceil((window.endsAt - this.now()) / 1000));
    throw tooManyRequests(
      `more than ${this.settings.max} failed authentications from this address in ${this.settings.windowMs / 1000} s; try again in ${retryAfterSeconds} s`,
      retryAfterSeconds,
    );
  }

  failed(address: string): void {
    this.failures.hit(address);
  }
}
