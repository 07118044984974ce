import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';

type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>;

/** The route pattern (`/v1/tickets/:number`), so that logs and metrics group requests without their ids. */
export function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

/**
 * JSON logs for the API process. Fastify's request serializer already leaves headers and bodies out; the
 * redaction guards against any later log call that passes a request or its headers whole.
 */
export function apiLoggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        'headers.cookie',
        'req.body',
        'body',
      ],
      censor: '[redacted]',
    },
  };
}

/**
 * One line per answered request, with what an operator filters on, in place of Fastify's pair of
 * "incoming request" / "request completed" lines. The request's logger adds `reqId`.
 */
export class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const status = reply.statusCode;
    const line = {
      method: request.method,
      route: routeOf(request),
      url: request.url,
      status,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else if (status >= 500) reply.log.warn(line, 'request completed');
    else reply.log.info(line, 'request completed');
  }
}
