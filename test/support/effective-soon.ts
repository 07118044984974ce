import { DateTime } from 'luxon';
import { PolicyPublishError } from '../../domain/policy';
import { DESK_ZONE } from '../../messages/desk-zone';

/**
 * Publishes a policy version that takes effect shortly, for a test that then opens tickets under it. The server
 * refuses an effectiveFrom already past when its transaction starts (db/policy-publishing.ts), and on a loaded machine
 * a publication can take longer than any lead chosen beforehand: refused for that reason, nothing was published, and
 * the version is sent again taking effect twice as far ahead. `publish` sends the version taking effect at the
 * instant given, and answers PAST for that refusal (pastAnswer, pastError). Answers the instant it took effect at, and
 * what `publish` answered then.
 */
export async function publishEffectiveSoon<T>(
  publish: (effectiveFrom: number) => Promise<T | typeof PAST>,
  firstLeadMs = 1_000,
): Promise<{ effectiveFrom: number; published: T }> {
  for (let leadMs = firstLeadMs; ; leadMs *= 2) {
    const effectiveFrom = Date.now() + leadMs;
    const published = await publish(effectiveFrom);
    if (published !== PAST) return { effectiveFrom, published };
    if (leadMs >= MAX_LEAD_MS)
      throw new Error(`an effectiveFrom ${leadMs} ms ahead was past when the server checked it`);
  }
}

export const PAST = Symbol('effectiveFrom past when published');

/** A publication later than this is not a slow machine: something else is wrong. */
const MAX_LEAD_MS = 120_000;

/** The refusal of an effectiveFrom already past, as db/policy-publishing.ts words it. */
const isPastMessage = (message: unknown) =>
  typeof message === 'string' && message.startsWith('must not be in the past');

/** PAST for the API's answer refusing an effectiveFrom already past, else the answer. */
export function pastAnswer<A extends { status: number; body: Record<string, any> }>(answer: A): A | typeof PAST {
  const { status, body } = answer;
  return status === 422 && body.code === 'POLICY_EFFECTIVE_DATE' && isPastMessage(body.errors?.[0]?.message)
    ? PAST
    : answer;
}

/** PAST for publishPolicyVersion's refusal of an effectiveFrom already past; any other error is thrown again. */
export function pastError(error: unknown): typeof PAST {
  if (
    error instanceof PolicyPublishError &&
    error.code === 'POLICY_EFFECTIVE_DATE' &&
    isPastMessage(error.issues[0]?.message)
  )
    return PAST;
  throw error;
}

/**
 * Resolves once `instant` is past on this machine's clock, which the API, the worker, Temporal and PostgreSQL read
 * too: a ticket opened afterwards is registered after it, whatever the load.
 */
export async function untilPast(instant: number): Promise<void> {
  while (Date.now() <= instant) await new Promise((resolve) => setTimeout(resolve, instant - Date.now() + 1));
}

/**
 * The desk's date of `instant`, the first day a contract under a version taking effect then may start on
 * (db/account-input.ts): today's date, read before the version was published, is the day before once midnight in
 * the desk's zone falls between the two.
 */
export const deskDateOf = (instant: number): string => DateTime.fromMillis(instant, { zone: DESK_ZONE }).toISODate()!;
