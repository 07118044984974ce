import type { FastifyInstance } from 'fastify';
import { invalidField, unsupportedMediaType } from './problems';

/** The `charset` parameter of a Content-Type, lower-cased and unquoted; undefined when it names none. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType ?? '');
  return match ? (match[1] ?? match[2] ?? '').toLowerCase() : undefined;
}

const UTF_8 = new Set(['utf-8', 'utf8']);

/**
 * How deep a JSON body may nest (a policy document, the deepest body the API takes, nests 7 levels). Thousands of
 * levels fit in a few kilobytes, and the code that walks a body recursively (the Idempotency-Key's hash,
 * db/idempotency.ts; a policy's checks) ran out of stack on them: a 500, where no schema refused the body first.
 */
export const MAX_JSON_DEPTH = 64;

/** Whether `json` opens more than MAX_JSON_DEPTH objects and arrays inside one another, brackets in strings aside. */
function nestsTooDeep(json: string): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < json.length; index++) {
    const char = json[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') {
      if (++depth > MAX_JSON_DEPTH) return true;
    } else if (char === '}' || char === ']') depth--;
  }
  return false;
}

/**
 * JSON bodies are read as UTF-8, the only encoding JSON is exchanged in (RFC 8259 §8.1); a body declaring another
 * charset is refused with 415 rather than decoded as UTF-8 anyway, which is what Fastify's own parser does with
 * `charset=utf-16` (the schema then judges garbage). The parsing itself stays Fastify's, prototype-poisoning checks
 * included. Call it before the routes are added.
 */
export function utf8JsonBodies(app: FastifyInstance): void {
  const { onProtoPoisoning = 'error', onConstructorPoisoning = 'error' } = app.initialConfig;
  const parseJson = app.getDefaultJsonParser(onProtoPoisoning, onConstructorPoisoning);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser<string>('application/json', { parseAs: 'string' }, (request, body, done) => {
    const charset = charsetOf(request.headers['content-type']);
    if (charset !== undefined && !UTF_8.has(charset)) {
      done(
        unsupportedMediaType(
          `a JSON body must be UTF-8, not ${charset}: send it as UTF-8 with content-type application/json`,
        ),
        undefined,
      );
      return;
    }
    if (nestsTooDeep(body)) {
      done(invalidField('body', `must not nest objects and arrays more than ${MAX_JSON_DEPTH} deep`), undefined);
      return;
    }
    void parseJson(request, body, done);
  });
}
