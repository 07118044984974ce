import { DomainError } from '../errors';

export type PricingErrorCode =
  /** The request breaks a rule of shape or order (an item ending before it starts). */
  | 'PRICING_INPUT_INVALID'
  /** The item names no role or service the policy has a rate for. */
  | 'RATE_UNKNOWN'
  /** The work is outside the contract and billed under another one. */
  | 'WORK_EXCLUDED'
  /** The policy carries no billing rules. */
  | 'BILLING_UNDEFINED';

/** A pricing rule said no; `field` is the JSON pointer of the offending input, e.g. `/items/2/end`. */
export class PricingError extends DomainError {
  constructor(
    readonly code: PricingErrorCode,
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}
