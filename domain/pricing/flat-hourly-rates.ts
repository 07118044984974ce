import { findPolicy, listPolicies } from '../../policies/registry';

/**
 * Interim, for the billing activity of the walking skeleton: the flat hourly rate of a preset, read from
 * its billing rules. It reaches up to the presets only until the activity prices through priceRequest;
 * then this module goes.
 */

export class UnknownRateError extends Error {
  readonly code = 'UNKNOWN_RATE';
}

function flatRateOf(policyId: string): number | undefined {
  if (!listPolicies().some(({ id }) => id === policyId)) return undefined;
  return findPolicy(policyId).billing?.document.rates.hourlyCents;
}

export function flatHourlyRateCents(policyId: string): number {
  const rate = flatRateOf(policyId);
  if (rate === undefined) throw new UnknownRateError(`no flat hourly rate is known for policy '${policyId}'`);
  return rate;
}

export const BILLABLE_POLICY_IDS = listPolicies().flatMap(({ id }) => (flatRateOf(id) === undefined ? [] : [id]));
