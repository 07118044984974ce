import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction, onRequestAsyncHookHandler } from 'fastify';
import type { AccountStore } from '../contracts/accounts';
import type { Role } from '../contracts/principal';
import { forbidden, unauthorized } from './problems';
import { principalOf } from './request-principal';

/** Only the versioned API needs a key: health, readiness, metrics and docs stay open to probes and people. */
const isProtected = (url: string) => /^\/v1(?:[/?#]|$)/.test(url);

// RFC 6750 b64token: what a bearer token may be made of, so junk never reaches the store.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * The onRequest hook that puts the caller's principal on every /v1 request (register it with
 * `app.addHook('onRequest', authentication(accounts))`); a missing, malformed, unknown or revoked token
 * answers 401 before any route runs.
 */
export function authentication(accounts: AccountStore): onRequestAsyncHookHandler {
  return async (request) => {
    if (!isProtected(request.url)) return;
    const header = request.headers.authorization;
    if (!header) throw unauthorized('this route needs an API key: send Authorization: Bearer <token>', false);
    const token = BEARER.exec(header)?.[1];
    if (!token) throw unauthorized('the Authorization header must be "Bearer <token>"', true);
    const principal = await accounts.authenticate(token);
    if (!principal) throw unauthorized('the API key is unknown or revoked', true);
    request.principal = principal;
  };
}

/** A route hook letting through only the given roles, 403 naming them for anyone else; as onRequest, before the body is read, a refused caller learns nothing of what it should hold. */
export function requireRoles(...roles: Role[]) {
  const needed = roles.join(' or ');
  return (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const { role } = principalOf(request);
    done(roles.includes(role) ? undefined : forbidden(`this needs the role ${needed}; the API key has the role ${role}`));
  };
}
