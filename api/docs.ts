import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyPluginCallback } from 'fastify';
import fp from 'fastify-plugin';
import { version } from '../package.json';
import { ProblemSchema } from './schemas/problem';

/**
 * The OpenAPI 3 document, generated from the routes' TypeBox schemas, at /docs/json, and Swagger UI at /docs
 * (its assets are served from the npm package: the API needs no CDN). Register it before the routes: the
 * generator collects them as they are added.
 */
export const docs: FastifyPluginCallback = fp(
  (app, _options, done) => {
    void app.register(fastifySwagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Vigil API',
          version,
          description: 'SLA-driven support tickets on Temporal. Errors are application/problem+json (RFC 9457).',
        },
        components: {
          securitySchemes: {
            apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: Authorization: Bearer <token>' },
          },
        },
        // Every route needs the key unless it says otherwise (the operations routes declare `security: []`).
        security: [{ apiKey: [] }],
      },
      // Answers any /v1 route may give besides its own, added to the document only (they need no serializer): the
      // limiter's and the unreachable servers', and on a route with a body the parser's (malformed, too large,
      // not JSON).
      transform: ({ schema, url }) => {
        if (!url.startsWith('/v1') || !schema) return { schema, url };
        const parser = schema.body ? { 400: ProblemSchema, 413: ProblemSchema, 415: ProblemSchema } : {};
        const response = {
          ...parser,
          429: ProblemSchema,
          503: ProblemSchema,
          ...(schema.response as object | undefined),
        };
        return { schema: { ...schema, response }, url };
      },
    });
    void app.register(fastifySwaggerUi, { routePrefix: '/docs' });
    done();
  },
  { name: 'vigil-docs' },
);
