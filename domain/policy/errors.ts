import { DomainError } from '../errors';

/** Where in a policy document a rule is broken, and what was expected there. */
export interface PolicyIssue {
  /** JSON pointer inside the document, `/` for the whole of it. */
  readonly path: string;
  readonly message: string;
}

/** A policy document broke the schema or a rule; names the source, the path and the expectation. */
export class PolicyValidationError extends DomainError {
  readonly code = 'POLICY_INVALID';

  constructor(
    readonly source: string,
    readonly issues: readonly PolicyIssue[],
  ) {
    const [first] = issues;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(first ? `${source}: ${first.path}: ${first.message}${more}` : `${source}: invalid policy`);
  }
}

export type PolicyLookupErrorCode = 'POLICY_UNKNOWN' | 'POLICY_VERSION_UNKNOWN' | 'POLICY_NOT_IN_FORCE';

/** No policy answers the id, version or instant asked for. */
export class PolicyLookupError extends DomainError {
  constructor(
    readonly code: PolicyLookupErrorCode,
    message: string,
  ) {
    super(message);
  }
}
