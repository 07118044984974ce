import type { FastifyPluginCallback } from 'fastify';

/**
 * Vigil's icon: a white V on the console's accent blue (api/web/static/console.css `--accent`), written here as SVG
 * rather than kept as an image file. Browsers ask every site for /favicon.ico unbidden, and a 404 for it filled the
 * request log; the console's pages name it too (api/web/page.ts), as an SVG, which browsers then ask for nothing else.
 */
export const ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b4f9c"/>' +
  '<path d="M8 9l8 15 8-15" fill="none" stroke="#fff" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/></svg>';

/** Where browsers look for a site's icon. */
export const ICON_PATH = '/favicon.ico';

/** The icon, for any browser: no key, no rate limit, outside the OpenAPI document (it is no part of the API). */
export const iconRoute: FastifyPluginCallback = (app, _options, done) => {
  app.get(ICON_PATH, { schema: { hide: true }, config: { rateLimit: false } }, (_request, reply) =>
    reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(ICON_SVG),
  );
  done();
};
