import type { FastifyRequest } from 'fastify';
import type { Principal } from '../messages/principal';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook (api/auth.ts) before any /v1 handler runs. */
    principal?: Principal;
  }
}

/** The caller of an authenticated route; a handler reached without one is a wiring bug, not a client error. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal)
    throw new Error(`route ${request.routeOptions.url ?? request.url} ran without authentication`);
  return request.principal;
}
