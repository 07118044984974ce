import { ApplicationFailure } from '@temporalio/common';
import { DomainError } from '../domain/errors';
import { TicketRuleError } from '../domain/ticket/lifecycle';

/**
 * The one mapping from a domain error (domain/errors.ts) to what Temporal carries: an ApplicationFailure whose type
 * is the rule's stable code, non-retryable because a rule that said no says no again. An Update validator or handler
 * must refuse with one (any other error would fail the workflow task instead, and the caller would wait); an
 * activity throws one so that a refused price or an unknown policy fails for good rather than retrying, ops seeing
 * why. A ticket rule's details travel with it. Anything else is returned as it is.
 */
export function asRefusal(error: unknown): unknown {
  if (error instanceof DomainError) {
    const details = error instanceof TicketRuleError && error.details ? [error.details] : undefined;
    return ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: true, details });
  }
  return error;
}
