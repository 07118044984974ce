/**
 * Hourly rates of the seed providers that bill one flat rate (DOMAIN.md, Money). Until rate cards move into
 * the policy files (billing issue), only these policies can be billed.
 */
const FLAT_HOURLY_RATE_CENTS: Readonly<Record<string, number>> = {
  econnect: 10_000,
  'econnect-maintenance': 9_500,
  'tm-minimum': 10_000,
};

export class UnknownRateError extends Error {
  readonly code = 'UNKNOWN_RATE';
}

export function flatHourlyRateCents(policyId: string): number {
  const rate = FLAT_HOURLY_RATE_CENTS[policyId];
  if (rate === undefined) throw new UnknownRateError(`no flat hourly rate is known for policy '${policyId}'`);
  return rate;
}

export const BILLABLE_POLICY_IDS = Object.keys(FLAT_HOURLY_RATE_CENTS);
