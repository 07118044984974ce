import type { FastifyInstance } from 'fastify';
import { unsupportedMediaType } from './problems';

/** The `charset` parameter of a Content-Type, lower-cased and unquoted; undefined when it names none. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType ?? '');
  return match ? (match[1] ?? match[2] ?? '').toLowerCase() : undefined;
}

const UTF_8 = new Set(['utf-8', 'utf8']);

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
    void parseJson(request, body, done);
  });
}
