import { isGrpcServiceError, ServiceError } from '@temporalio/client';
import { GRPC_STATUS } from './dependency-errors';

const ATTEMPTS = 4;

/**
 * An Update that reaches a run in the very task in which it continues as new is refused by the server before the
 * workflow ever sees it ("unexpected workflow task failure": the task that carried it was rejected). Nothing was
 * applied, so sending it again reaches the next run, which applies it once.
 */
export function refusedAtContinueAsNew(error: unknown): boolean {
  return (
    error instanceof ServiceError &&
    isGrpcServiceError(error.cause) &&
    Number(error.cause.code) === GRPC_STATUS.FAILED_PRECONDITION &&
    /workflow task failure/i.test(error.cause.details)
  );
}

/** Sends an Update again, briefly, while it is refused at a continue-as-new; any other outcome is final. */
export async function withContinueAsNewRetry<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await send();
    } catch (error) {
      if (attempt >= ATTEMPTS || !refusedAtContinueAsNew(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}
