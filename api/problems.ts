import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** RFC 9457 problem details; `type` is stable per kind of error so clients can branch on it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extension: string]: unknown;
}

export class HttpProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

const problemType = (slug: string) => `https://vigil.dev/problems/${slug}`;

export function notFound(detail: string): HttpProblem {
  return new HttpProblem({ type: problemType('not-found'), title: 'Not found', status: 404, detail });
}

export function ticketClosed(detail: string): HttpProblem {
  return new HttpProblem({ type: problemType('ticket-closed'), title: 'Ticket closed', status: 409, detail });
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
  NO_QUOTE: { status: 409, slug: 'no-quote', title: 'No quote to decide on' },
  NOT_A_CHANGE: { status: 409, slug: 'not-a-change', title: 'Only change requests have a release date' },
};

function fromValidation(error: FastifyError): Problem {
  const errors = (error.validation ?? []).map((issue) => {
    const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const missing = issue.keyword === 'required' ? String((issue.params as { missingProperty?: string }).missingProperty) : undefined;
    const field = [error.validationContext, path, missing].filter(Boolean).join('.');
    return { field, message: issue.message ?? 'is invalid' };
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
  return { type: problemType(rule.slug), title: rule.title, status: rule.status, detail: cause.message, code: cause.type };
}

export function toProblem(error: unknown): Problem {
  if (error instanceof HttpProblem) return error.problem;
  if ((error as FastifyError).validation) return fromValidation(error as FastifyError);
  if (error instanceof WorkflowUpdateFailedError) {
    const refusal = fromWorkflowRefusal(error);
    if (refusal) return refusal;
  }
  if (error instanceof WorkflowNotFoundError) {
    return { type: problemType('not-found'), title: 'Not found', status: 404, detail: `no ticket runs as workflow ${error.workflowId}` };
  }
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) {
    return { type: problemType('bad-request'), title: 'Bad request', status, detail: (error as Error).message };
  }
  return { type: problemType('internal'), title: 'Internal error', status: 500, detail: 'the request failed; the error is in the server log' };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.status(problem.status).type('application/problem+json').send(problem);
}

export function problemErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = toProblem(error);
  if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
  return sendProblem(reply, problem);
}
