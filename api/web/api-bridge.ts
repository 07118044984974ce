import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CSRF_HEADER, cookieOf, SESSION_COOKIE } from '../sessions';

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, unknown>;
  /** The body as it came, for what is not JSON (an attachment's bytes). */
  bytes?: Buffer;
}

/** What a refusal says, as the API's problem+json put it: its title and detail. */
export const problemText = (answer: ApiAnswer): string =>
  [answer.body.title, answer.body.detail]
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join(': ') || String(answer.status);

/** A call on /v1 as the signed-in person. */
export type CallApi = (
  request: FastifyRequest,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  body?: unknown,
  idempotencyKey?: string,
) => Promise<ApiAnswer>;

/**
 * The console reaches tickets only through the /v1 routes, injected into the same server as the browser's own
 * session (its cookie, and for a change its CSRF token): every check the API makes, authentication, roles, a
 * customer's own company, the workflow's rules, is made for the console too, by the same code.
 */
export function apiBridge(app: FastifyInstance): CallApi {
  return async (request, method, url, body, idempotencyKey) => {
    const session = request.session;
    const id = cookieOf(request, SESSION_COOKIE);
    if (!session || !id) throw new Error('the console called the API without a session');
    const response = await app.inject({
      method,
      url,
      headers: {
        cookie: `${SESSION_COOKIE}=${id}`,
        // Every change carries the session's token, as the API asks of a signed-in browser (api/sessions.ts).
        ...(method === 'GET' ? {} : { [CSRF_HEADER]: session.csrfToken }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    // An answer that is not JSON (an attachment) is passed on as bytes, never read as text.
    const json = /json/.test(String(response.headers['content-type'] ?? ''));
    if (!json && response.statusCode < 300)
      return { status: response.statusCode, body: {}, headers: response.headers, bytes: response.rawPayload };
    const text = response.body;
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { detail: text };
    }
    return { status: response.statusCode, body: parsed, headers: response.headers };
  };
}
