/** A business rule said no. `code` is stable: the edges map it (HTTP status, Temporal failure type). */
export abstract class DomainError extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that breaks a rule of shape, naming the field and what was expected. */
export class InvalidArgumentError extends DomainError {
  readonly code = 'INVALID_ARGUMENT';

  constructor(
    readonly field: string,
    readonly expected: string,
  ) {
    super(`${field}: expected ${expected}`);
  }
}
