import { interventionFlagsOf } from './intervention-flags';
import type { InterventionFlags } from './intervention-flags';
import type { PricingRequest } from './price-request';
import type { RateKeys } from './rates';

/** A time entry as pricing reads it: a ticket's (instants in epoch ms) or an item of `vigil price`'s entries file. */
export interface PricedTimeEntry extends RateKeys, InterventionFlags {
  readonly start: number;
  readonly end: number;
  readonly onSite?: boolean;
  readonly travelMinutes?: number;
}

export interface RequestFacts {
  readonly emergency?: boolean;
  readonly travelCents?: number;
  readonly prepaidMinutes?: number;
}

/**
 * One request from its time entries: each entry one intervention, its travel one trip after the work, and only the
 * flags set to true. The billing activity and `vigil price` both build their request here, then price it with
 * priceRequest, so that the same entries bill the same lines wherever they are priced.
 */
export function requestOfTimeEntries(entries: readonly PricedTimeEntry[], facts: RequestFacts = {}): PricingRequest {
  return {
    ...facts,
    items: entries.map(({ start, end, role, service, onSite, ...flags }) => ({
      start,
      end,
      ...(role === undefined ? {} : { role }),
      ...(service === undefined ? {} : { service }),
      ...(onSite === true ? { onSite } : {}),
      ...interventionFlagsOf(flags),
    })),
    trips: entries.flatMap(({ travelMinutes }, item) => (travelMinutes ? [{ item, minutes: travelMinutes }] : [])),
  };
}
