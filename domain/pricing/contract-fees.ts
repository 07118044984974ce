import type { Policy } from '../policy/policy';
import { feeLine } from './lines';
import type { PriceLine } from './lines';
import { billingOf } from './price-request';

/**
 * The fixed fee of a contract for one month (`period` names it on the line, e.g. `2026-05`); null where
 * the contract has none. Invoicing adds one per month of its period: a request is not a month.
 */
export function monthlyContractFeeLine(policy: Policy, period: string): PriceLine | null {
  const cents = billingOf(policy).document.fees?.monthlyContractCents;
  return cents === undefined
    ? null
    : feeLine({ kind: 'monthly-fee', plan: policy.document.title, month: period }, cents);
}
