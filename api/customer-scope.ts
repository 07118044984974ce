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

/** Whether the caller may see a record of `customerId`; callers answer 404 when not, so existence never leaks. */
export function mayRead(principal: Principal, customerId: string): boolean {
  return principal.role !== 'customer' || principal.customerId === customerId;
}
