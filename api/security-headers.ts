import type { FastifyPluginCallback } from 'fastify';
import fp from 'fastify-plugin';

/** Every answer that is not an HTML page (JSON, problem+json, PDF): nothing in it may load or run anything. */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * HTML pages (the invoice as the customer receives it): its own inline stylesheet and inline images, no script at
 * all, so that text a customer typed into a ticket can never run in the page even if it slipped past escaping.
 */
const PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Swagger UI (/docs): its scripts and stylesheets come from the API itself (the npm package, no CDN); React sets
 * inline styles and the page shows data: images. It talks to the API on the same origin only.
 */
const DOCS_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/**
 * The web console (api/web/): its script (htmx) and stylesheet are files it serves itself; no inline script or
 * style, so text from a ticket cannot run even if it slipped past escaping; forms post to the console only.
 */
const CONSOLE_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * Console routes that pass an invoice's HTML document through as it is (api/web/console.ts): the document's own
 * inline stylesheet, and still no script, as the API's /v1/invoices/:number/html answers it.
 */
const CONSOLE_DOCUMENTS: ReadonlySet<string> = new Set(['/console/invoices/:number/document']);

/** The Content-Security-Policy an answer gets, by what it is: one place decides, so a new route cannot forget it. */
export function contentSecurityPolicy(route: string | undefined, contentType: string | undefined): string {
  if (route === '/docs' || route?.startsWith('/docs/')) return DOCS_POLICY;
  if (route !== undefined && CONSOLE_DOCUMENTS.has(route)) return PAGE_POLICY;
  if (route === '/console' || route?.startsWith('/console/')) return CONSOLE_POLICY;
  return /^text\/html\b/i.test(contentType ?? '') ? PAGE_POLICY : API_POLICY;
}

/**
 * Headers every answer carries, errors and 404s included: `nosniff` so that no browser reads a JSON or text answer
 * as HTML or script, no Referer leaking ticket or invoice numbers to wherever a page links, and the CSP above.
 */
export const securityHeaders: FastifyPluginCallback = fp(
  (app, _options, done) => {
    app.addHook('onSend', async (request, reply) => {
      void reply.headers({
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'content-security-policy': contentSecurityPolicy(
          request.routeOptions.url,
          String(reply.getHeader('content-type') ?? ''),
        ),
      });
    });
    done();
  },
  { name: 'vigil-security-headers' },
);
