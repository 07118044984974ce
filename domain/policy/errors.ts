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

export type PolicyPublishErrorCode =
  'POLICY_VERSION_EXISTS' | 'POLICY_VERSION_NOT_NEXT' | 'POLICY_EFFECTIVE_DATE' | 'POLICY_BREAKS_CONTRACTS';

/**
 * A valid policy version that cannot be published as it stands: its version or effective date does not follow the
 * versions already published, or contracts following the policy would break under it. `issues` name where.
 */
export class PolicyPublishError extends DomainError {
  constructor(
    readonly code: PolicyPublishErrorCode,
    readonly issues: readonly PolicyIssue[],
  ) {
    const [first] = issues;
    super(
      first ? `${first.path}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}` : code,
    );
  }
}
