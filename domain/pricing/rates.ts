import type { BillingRules } from './billing-rules';
import { PricingError } from './errors';

/** The hourly rate of an item and, where rates go by role or service, the one it was found under. */
export interface ItemRate {
  readonly cents: number;
  readonly name: string | null;
  /** The figure is the contract's, not the policy's. */
  readonly fromContract?: boolean;
}

/** The item fields that can pick a rate. */
export interface RateKeys {
  readonly role?: string;
  readonly service?: string;
}

/** Fields the policy does not price by are ignored: a flat rate does not care who did the work. */
export function hourlyRateOf({ policyId, document, contract }: BillingRules, item: RateKeys, index: number): ItemRate {
  const { rates, excludedServices = [] } = document;
  if (rates.hourlyCents !== undefined)
    return { cents: rates.hourlyCents, name: null, fromContract: contract?.hourlyCents !== undefined };
  const [field, table] = rates.hourlyCentsByRole
    ? (['role', rates.hourlyCentsByRole] as const)
    : (['service', rates.hourlyCentsByService ?? {}] as const);
  const path = `/items/${index}/${field}`;
  const known = `expected one of ${Object.keys(table).join(', ')}`;
  const name = item[field];
  if (name === undefined)
    throw new PricingError('RATE_UNKNOWN', path, `missing: policy ${policyId} prices by ${field} (${known})`);
  if (excludedServices.includes(name)) {
    throw new PricingError(
      'WORK_EXCLUDED',
      path,
      `"${name}" is outside the ${policyId} contract: it is billed under a separate contract`,
    );
  }
  const cents = Object.hasOwn(table, name) ? table[name] : undefined;
  if (cents === undefined)
    throw new PricingError('RATE_UNKNOWN', path, `unknown ${field} "${name}" for policy ${policyId} (${known})`);
  const override = field === 'role' ? contract?.hourlyCentsByRole : contract?.hourlyCentsByService;
  return { cents, name, fromContract: override !== undefined && Object.hasOwn(override, name) };
}
