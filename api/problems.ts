import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import type { FastifyError, FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify';
import { AccountError, type AccountErrorCode } from '../messages/accounts';
import { PolicyPublishError, PolicyValidationError, type PolicyPublishErrorCode } from '../domain/policy';
import { dependencyFailure } from './dependency-errors';
import { textPatternMessage } from './schemas/text';

/** RFC 9457 problem details; `type` is stable per kind of error so clients can branch on it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extension: string]: unknown;
}

export class HttpProblem extends Error {
  /** `headers` go out with the problem: a 401 must say which scheme to authenticate with. */
  constructor(
    readonly problem: Problem,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem.detail);
  }
}

export const problemType = (slug: string) => `https://vigil.dev/problems/${slug}`;

export function notFound(detail: string): HttpProblem {
  return new HttpProblem({ type: problemType('not-found'), title: 'Not found', status: 404, detail });
}

/** RFC 6750: a request without credentials gets the bare challenge; a bad token is told so in `error`. */
export function unauthorized(detail: string, tokenGiven: boolean): HttpProblem {
  const challenge = tokenGiven ? 'Bearer realm="vigil", error="invalid_token"' : 'Bearer realm="vigil"';
  return new HttpProblem(
    { type: problemType('unauthorized'), title: 'Unauthorized', status: 401, detail },
    { 'www-authenticate': challenge },
  );
}

export function forbidden(detail: string): HttpProblem {
  return new HttpProblem({ type: problemType('forbidden'), title: 'Forbidden', status: 403, detail });
}

/** A refusal of one field that only the server can judge (an unknown customer, a contract not in force). */
export function invalidField(field: string, message: string): HttpProblem {
  return new HttpProblem({
    type: problemType('invalid-request'),
    title: 'Invalid request',
    status: 422,
    detail: `${field} ${message}`,
    errors: [{ field, message }],
  });
}

/** What a request sent under an Idempotency-Key makes, as the 422 of a key reused names it: "use a new key for a new …". */
export type KeyedRequest = 'ticket' | 'purchase' | 'action' | 'creation' | 'link';

export function idempotencyKeyReused(key: string, what: KeyedRequest = 'ticket'): HttpProblem {
  const field = 'headers.idempotency-key';
  const message = `${key} was already used with a different request: use a new key for a new ${what}`;
  return new HttpProblem({
    type: problemType('idempotency-key-reused'),
    title: 'Idempotency key reused',
    status: 422,
    detail: `${field} ${message}`,
    errors: [{ field, message }],
  });
}

/** Its own type so that a client can tell "start the listing again" from a mistake in its filters. */
export function invalidCursor(message: string): HttpProblem {
  const field = 'querystring.cursor';
  return new HttpProblem({
    type: problemType('invalid-cursor'),
    title: 'Invalid cursor',
    status: 422,
    detail: `${field} ${message}`,
    errors: [{ field, message }],
  });
}

export function ticketClosed(detail: string): HttpProblem {
  return new HttpProblem({ type: problemType('ticket-closed'), title: 'Ticket closed', status: 409, detail });
}

/** How long a client should wait before trying again when a server the API needs is away. */
export const RETRY_AFTER_SECONDS = 5;

/** A refusal of a request that was fine, which the same request after Retry-After may get past. */
function retryLater(problem: Problem, retryAfterSeconds: number = RETRY_AFTER_SECONDS): HttpProblem {
  return new HttpProblem(problem, { 'retry-after': String(retryAfterSeconds) });
}

/** A server the API needs (PostgreSQL, Temporal) is away: the request was fine and may be sent again later. */
export function unavailable(detail: string, extensions: Record<string, unknown> = {}): HttpProblem {
  return retryLater({
    type: problemType('unavailable'),
    title: 'Service unavailable',
    status: 503,
    detail,
    ...extensions,
  });
}

/**
 * The workers are behind (api/back-pressure.ts): Temporal and the API are up, and the request was fine, but new work
 * would wait longer than promised. Its own type, so that a client backs off instead of reporting an outage.
 */
export function workersBusy(detail: string): HttpProblem {
  return retryLater({ type: problemType('busy'), title: 'Busy', status: 503, detail });
}

export function tooManyRequests(detail: string, retryAfterSeconds: number): HttpProblem {
  return retryLater(
    { type: problemType('rate-limited'), title: 'Too many requests', status: 429, detail },
    retryAfterSeconds,
  );
}

/** Temporal takes no more Updates on this ticket for the moment (its in-flight limit): the same action shortly will do. */
export function ticketBusy(detail: string): HttpProblem {
  return retryLater({ type: problemType('ticket-busy'), title: 'Ticket busy', status: 429, detail }, 1);
}

/** Its type, which the console's pages tell from other conflicts (api/web/page.ts). */
export const REQUEST_IN_PROGRESS = problemType('request-in-progress');

/**
 * A twin of the request (the same Idempotency-Key) is still being served: this one waited for it a while
 * (db/idempotency.ts's KEY_WAIT_MS) and is let go rather than hold a connection longer. Sent again later, it gets the
 * twin's answer. Its own type, so that a client retries the same request instead of reporting a conflict.
 */
export function requestInProgress(detail: string): HttpProblem {
  return retryLater({ type: REQUEST_IN_PROGRESS, title: 'Request in progress', status: 409, detail });
}

export function payloadTooLarge(limitBytes: number): HttpProblem {
  const detail = `the request body is larger than the ${limitBytes} bytes this route accepts`;
  return new HttpProblem({
    type: problemType('payload-too-large'),
    title: 'Request body too large',
    status: 413,
    detail,
  });
}

/** A body in an encoding the route does not read (JSON other than UTF-8): refused rather than misread. */
export function unsupportedMediaType(detail: string): HttpProblem {
  return new HttpProblem({
    type: problemType('unsupported-media-type'),
    title: 'Unsupported media type',
    status: 415,
    detail,
  });
}

// Workflow rule codes (domain errors carried as ApplicationFailure types) and the HTTP answer each one gets.
const RULE_STATUS: Record<string, { status: number; slug: string; title: string }> = {
  INVALID_TRANSITION: { status: 409, slug: 'invalid-transition', title: 'Action not allowed in the ticket status' },
  INVALID_ARGUMENT: { status: 422, slug: 'invalid-argument', title: 'Invalid request' },
  ALREADY_DONE: { status: 409, slug: 'already-done', title: 'Already done' },
  TIME_IN_FUTURE: { status: 422, slug: 'time-in-future', title: 'Time not yet worked' },
  RATE_UNKNOWN: { status: 422, slug: 'rate-unknown', title: 'No rate for this work under the contract' },
  WORK_EXCLUDED: { status: 422, slug: 'work-excluded', title: 'Work outside the contract' },
  QUOTE_PENDING: { status: 409, slug: 'quote-pending', title: 'Waiting for the customer to accept a quote' },
  QUOTE_REQUIRED: { status: 409, slug: 'quote-required', title: 'More time needs a quote the customer accepted' },
  TOO_MANY_PEOPLE: { status: 409, slug: 'too-many-people', title: 'Too many people on the ticket' },
  NO_QUOTE: { status: 409, slug: 'no-quote', title: 'No quote to decide on' },
  NOT_A_CHANGE: { status: 409, slug: 'not-a-change', title: 'Only change requests have a release date' },
};

// Account refusals (the store's AccountError codes); unknown ids in a path are answered 404 by the route itself.
const ACCOUNT_STATUS: Record<AccountErrorCode, { status: number; slug: string; title: string }> = {
  CUSTOMER_EXISTS: { status: 409, slug: 'customer-exists', title: 'Customer already exists' },
  CUSTOMER_UNKNOWN: { status: 422, slug: 'unknown-customer', title: 'Unknown customer' },
  POLICY_UNKNOWN: { status: 422, slug: 'unknown-policy', title: 'Unknown policy' },
  POLICY_VERSION_UNKNOWN: { status: 422, slug: 'unknown-policy-version', title: 'Unknown policy version' },
  CONTRACT_DATES: { status: 422, slug: 'invalid-contract-dates', title: 'Invalid contract dates' },
  KEY_CUSTOMER_MISMATCH: {
    status: 422,
    slug: 'key-customer-mismatch',
    title: 'A customer key names its customer, and only a customer key does',
  },
  CONTACT_ACCOUNT_TAKEN: {
    status: 409,
    slug: 'contact-account-taken',
    title: "The contact's address already signs someone else in",
  },
  INVALID_FIELD: { status: 422, slug: 'invalid-request', title: 'Invalid request' },
};

/** Shaped like a schema validation problem (`errors` naming the body field), with the store's code. */
function fromAccountError(error: AccountError): Problem {
  const { status, slug, title } = ACCOUNT_STATUS[error.code];
  const field = `body.${error.field}`;
  return {
    type: problemType(slug),
    title,
    status,
    detail: `${field}: ${error.message}`,
    code: error.code,
    errors: [{ field, message: error.message }],
  };
}

// Refusals of a policy version being published (api/routes/policies.ts).
const POLICY_STATUS: Record<
  PolicyPublishErrorCode | 'POLICY_INVALID',
  { status: number; slug: string; title: string }
> = {
  POLICY_INVALID: { status: 422, slug: 'invalid-policy', title: 'Invalid policy' },
  POLICY_EFFECTIVE_DATE: { status: 422, slug: 'invalid-effective-date', title: 'Effective date not allowed' },
  POLICY_VERSION_NOT_NEXT: {
    status: 409,
    slug: 'policy-version-not-next',
    title: 'Not the next version of the policy',
  },
  POLICY_VERSION_EXISTS: { status: 409, slug: 'policy-version-exists', title: 'Policy version already published' },
  POLICY_BREAKS_CONTRACTS: {
    status: 409,
    slug: 'policy-breaks-contracts',
    title: 'Contracts following the policy would break under this version',
  },
};

/**
 * One error per wrong field, named as schema problems name them: the document's fields under `body` (its JSON
 * pointer in `path`), and a broken contract by its id (`contracts.12.rates.hourlyCentsByRole.technician`).
 */
function fromPolicyError(error: PolicyValidationError | PolicyPublishError): Problem {
  const { status, slug, title } = POLICY_STATUS[error.code];
  const errors = error.issues.map(({ path, message }) => {
    const dotted = path === '/' ? '' : path.replaceAll('/', '.');
    return { field: path.startsWith('/contracts/') ? dotted.slice(1) : `body${dotted}`, path, message };
  });
  return {
    type: problemType(slug),
    title,
    status,
    detail: errors.map(({ field, message }) => `${field}: ${message}`).join('; '),
    code: error.code,
    errors,
  };
}

/**
 * A choice among literals (TypeBox's Union of Literals: `P1 | P2 | P3 | P4`) that fails is one `const` issue per
 * literal, then an `anyOf` issue, which read "must be equal to constant" once per literal and named no value: they are
 * told as one issue listing the values allowed. An `anyOf` with other alternatives than literals is left as it is.
 */
function withChoices(issues: readonly FastifySchemaValidationError[]): FastifySchemaValidationError[] {
  const told: FastifySchemaValidationError[] = [];
  for (const issue of issues) {
    const prefix = `${issue.schemaPath}/`;
    let first = told.length;
    while (first > 0 && told[first - 1]!.schemaPath.startsWith(prefix)) first--;
    const members = told.slice(first);
    const literals =
      issue.keyword === 'anyOf' &&
      members.length > 0 &&
      members.every((member) => member.keyword === 'const' && member.instancePath === issue.instancePath);
    if (!literals) {
      told.push(issue);
      continue;
    }
    const values = members.map((member) => String(member.params.allowedValue));
    told.splice(first, members.length, { ...issue, message: `must be one of ${values.join(', ')}` });
  }
  return told;
}

function fromValidation(error: FastifyError): Problem {
  const errors = withChoices(error.validation ?? []).map((issue) => {
    const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const params = issue.params as { missingProperty?: string; additionalProperty?: string; pattern?: string };
    // The property at fault, where Ajv names it beside the path rather than in it.
    const named =
      issue.keyword === 'required'
        ? params.missingProperty
        : issue.keyword === 'additionalProperties'
          ? params.additionalProperty
          : undefined;
    const field = [error.validationContext, path, named].filter(Boolean).join('.');
    const message =
      issue.keyword === 'additionalProperties'
        ? 'is not a field of this request'
        : (textPatternMessage(params.pattern) ?? issue.message ?? 'is invalid');
    return { field, message };
  });
  return {
    type: problemType('invalid-request'),
    title: 'Invalid request',
    status: 422,
    detail: errors.map(({ field, message }) => `${field} ${message}`).join('; '),
    errors,
  };
}

function fromWorkflowRefusal(error: WorkflowUpdateFailedError): Problem | undefined {
  const cause = error.cause;
  if (!(cause instanceof ApplicationFailure) || !cause.type) return undefined;
  const rule = RULE_STATUS[cause.type];
  if (!rule) return undefined;
  // A rule's figures (the minutes left before a quote is needed, the people already counted) come as members of the problem.
  const [details] = cause.details ?? [];
  const figures =
    details !== null && typeof details === 'object' && !Array.isArray(details)
      ? (details as Record<string, unknown>)
      : {};
  return {
    ...figures,
    type: problemType(rule.slug),
    title: rule.title,
    status: rule.status,
    detail: cause.message,
    code: cause.type,
  };
}

export function toProblem(error: unknown): Problem {
  if (error instanceof HttpProblem) return error.problem;
  if ((error as FastifyError).validation) return fromValidation(error as FastifyError);
  if (error instanceof AccountError) return fromAccountError(error);
  if (error instanceof PolicyValidationError || error instanceof PolicyPublishError) return fromPolicyError(error);
  if (error instanceof WorkflowUpdateFailedError) {
    const refusal = fromWorkflowRefusal(error);
    if (refusal) return refusal;
  }
  if (error instanceof WorkflowNotFoundError) {
    return {
      type: problemType('not-found'),
      title: 'Not found',
      status: 404,
      detail: `no ticket runs as workflow ${error.workflowId}`,
    };
  }
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) {
    return { type: problemType('bad-request'), title: 'Bad request', status, detail: (error as Error).message };
  }
  return {
    type: problemType('internal'),
    title: 'Internal error',
    status: 500,
    detail: 'the request failed; the error is in the server log',
  };
}

/** The request's id goes in the body too, so that a user reporting an error hands over the key to its log lines. */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply
    .status(problem.status)
    .type('application/problem+json')
    .send({ ...problem, requestId: reply.request.id });
}

/** Errors whose answer depends on the request (its route's body limit) or carries headers (Retry-After). */
function asHttpProblem(error: unknown, request: FastifyRequest): HttpProblem | undefined {
  if (error instanceof HttpProblem) return error;
  if ((error as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return payloadTooLarge(request.routeOptions.bodyLimit);
  const failure = dependencyFailure(error);
  if (failure)
    return failure.status === 429
      ? ticketBusy(`${failure.reason}; try again in a second`)
      : unavailable(`${failure.reason}; try again in a few seconds`);
  return undefined;
}

export function problemErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const known = asHttpProblem(error, request);
  const problem = known?.problem ?? toProblem(error);
  if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
  if (known) void reply.headers(known.headers);
  return sendProblem(reply, problem);
}
