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
 * Limits are per API key, so that one integration looping cannot starve the others behind the same NAT;
 * requests without a key (docs) are counted per address. The authentication hook is an application-level
 * onRequest hook and the limiter a route-level one, so the principal is known when the limiter runs.
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
      tooManyRequests(`more than ${context.max} requests in ${windowMs / 1000} s for this caller; try again in ${context.after}`, Math.ceil(context.ttl / 1000)),
  };
}
