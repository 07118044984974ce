import { ApplicationFailure } from '@temporalio/workflow';
import { DomainError } from '../domain/errors';
import { TicketRuleError } from '../domain/ticket/lifecycle';

/**
 * Update validators and handlers must refuse with an ApplicationFailure: it reaches the caller with the
 * rule's stable code as its type, where any other error would fail the workflow task instead.
 */
export function asRefusal(error: unknown): unknown {
  if (error instanceof DomainError) {
    const details = error instanceof TicketRuleError && error.details ? [error.details] : undefined;
    return ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: true, details });
  }
  return error;
}

export function refusing<Args extends unknown[]>(check: (...args: Args) => void): (...args: Args) => void {
  return (...args: Args) => {
    try {
      check(...args);
    } catch (error) {
      throw asRefusal(error);
    }
  };
}
