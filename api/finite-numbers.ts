import type { FastifyInstance } from 'fastify';
import { invalidField } from './problems';

/**
 * Ajv coerces the text "1e309" (or "Infinity", "-1e309") to Infinity for an integer or number schema, and then leaves
 * minimum and maximum untested, which it applies to finite numbers only: `?limit=1e309` passed `maximum: 100` and
 * reached PostgreSQL as 'Infinity', a 500, as did a path id or a body's `"minutes": "1e309"`. No schema of this API
 * means a number without end, so one found after validation, wherever it is, is refused naming where it was.
 */
function nonFiniteAt(value: unknown, path: string[]): string[] | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = nonFiniteAt(item, [...path, String(index)]);
      if (found) return found;
    }
    return undefined;
  }
  // Parsed JSON, a query string or path parameters (objects of Fastify's own prototypes); a body read as bytes or a
  // stream holds no coerced number.
  if (typeof value === 'object' && value !== null) {
    if (ArrayBuffer.isView(value) || typeof (value as { pipe?: unknown }).pipe === 'function') return undefined;
    for (const [key, item] of Object.entries(value)) {
      const found = nonFiniteAt(item, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}

/** Refuses, 422 naming the field as a schema refusal names it, a request whose validated input holds a non-finite number. */
export function refuseNonFiniteNumbers(app: FastifyInstance): void {
  app.addHook('preHandler', (request, _reply, done) => {
    const parts: [string, unknown][] = [
      ['querystring', request.query],
      ['params', request.params],
      ['body', request.body],
    ];
    for (const [part, value] of parts) {
      const found = nonFiniteAt(value, [part]);
      if (found) return done(invalidField(found.join('.'), 'must be a finite number'));
    }
    done();
  });
}
