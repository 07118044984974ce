import type { Principal } from '../messages/principal';
import { forbidden } from './problems';

/**
 * A customer's key is held to its own company: no `customer` means its own, another company's is refused
 * (403, rather than an empty answer that would look like "no tickets"). Staff see every customer. Lists,
 * reports and invoices all go through here.
 */
export function customerScope(principal: Principal, requested: string | undefined): string | undefined {
  if (principal.role !== 'customer') return requested;
  if (requested !== undefined && requested !== principal.customerId) {
    throw forbidden(
      `a customer's API key sees its own company only: leave customer out or set it to ${principal.customerId}`,
    );
  }
  return principal.customerId;
}

/**
 * customerScope for a request that may name a record of one customer (a contract) instead: staff who leave the
 * customer out are taken to the record's own, which `recordsCustomer` finds; a customer's key stays held to its own
 * company whatever record it names, the record then checked against that company.
 */
export async function customerScopeOrRecord(
  principal: Principal,
  requested: string | undefined,
  recordsCustomer: () => Promise<string | undefined>,
): Promise<string | undefined> {
  const scoped = customerScope(principal, requested);
  return scoped !== undefined || principal.role === 'customer' ? scoped : recordsCustomer();
}

/** Whether the caller may see a record of `customerId`; callers answer 404 when not, so existence never leaks. */
export function mayRead(principal: Principal, customerId: string): boolean {
  return principal.role !== 'customer' || principal.customerId === customerId;
}
