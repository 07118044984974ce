import type { Policy } from '../policy/policy';
import { PricingError } from './errors';

/** What a time entry must name for the policy to price it, so that a wrong entry is refused when it is logged, not at billing. */
export interface RateCard {
  pricesBy: 'flat' | 'role' | 'service';
  names: string[];
  /** Services outside the contract: billed apart, under another contract. */
  excluded: string[];
}

export function rateCardOf(policy: Policy): RateCard | null {
  if (!policy.billing) return null;
  const { rates, excludedServices = [] } = policy.billing.document;
  if (rates.hourlyCentsByRole) return { pricesBy: 'role', names: Object.keys(rates.hourlyCentsByRole), excluded: [] };
  if (rates.hourlyCentsByService)
    return { pricesBy: 'service', names: Object.keys(rates.hourlyCentsByService), excluded: excludedServices };
  return { pricesBy: 'flat', names: [], excluded: [] };
}

/** The same refusals the pricer would make, named after the entry's field. */
export function checkEntryAgainstRateCard(
  card: RateCard | null | undefined,
  entry: { role?: string; service?: string },
): void {
  if (!card || card.pricesBy === 'flat') return;
  const field = card.pricesBy;
  const name = entry[field];
  const known = `expected one of ${card.names.join(', ')}`;
  if (name === undefined)
    throw new PricingError('RATE_UNKNOWN', field, `missing: this contract prices time by ${field} (${known})`);
  if (card.excluded.includes(name))
    throw new PricingError(
      'WORK_EXCLUDED',
      field,
      `"${name}" is outside the contract: it is billed under a separate contract`,
    );
  if (!card.names.includes(name))
    throw new PricingError('RATE_UNKNOWN', field, `unknown ${field} "${name}" (${known})`);
}
