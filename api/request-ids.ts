import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyPluginCallback } from 'fastify';
import fp from 'fastify-plugin';

export const REQUEST_ID_HEADER = 'x-request-id';

// A caller's own id is kept when it looks like one (UUIDs, ULIDs, trace ids); anything else could forge log lines.
const ACCEPTED_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Fastify's `genReqId`: the id every log line of the request carries (as `reqId`). */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && ACCEPTED_ID.test(given) ? given : randomUUID();
}

/** Echoes the id on every answer, errors and 404s included, so a caller can quote it. */
export const requestIds: FastifyPluginCallback = fp(
  (app, _options, done) => {
    app.addHook('onSend', (request, reply, payload, next) => {
      void reply.header(REQUEST_ID_HEADER, request.id);
      next(null, payload);
    });
    done();
  },
  { name: 'vigil-request-ids' },
);
