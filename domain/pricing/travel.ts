import type { BillingRules } from './billing-rules';
import { priceMinutes } from './by-started-minute';
import { PricingError } from './errors';
import { feeLine } from './lines';
import { describeLine } from './line-wording';
import type { PriceLine } from './lines';

/** One trip to the customer's site for an intervention: which intervention (its 0-based index) and how long the road took. */
export interface Trip {
  readonly item: number;
  readonly minutes: number;
}

/**
 * The travel lines of a request: per trip, the policy's fee and its travel time, each a line of its own.
 * Travel is never drawn from prepaid hours nor multiplied; a policy that does not bill travel gives no line.
 */
export function travelLines({ document, contract }: BillingRules, trips: readonly Trip[]): PriceLine[] {
  const travel = document.travel;
  if (!travel) return [];
  return trips.flatMap(({ item, minutes }, index) => {
    if (!Number.isSafeInteger(minutes) || minutes < 0)
      throw new PricingError(
        'PRICING_INPUT_INVALID',
        `/trips/${index}/minutes`,
        `expected a non-negative whole number, got ${minutes}`,
      );
    const lines: PriceLine[] = [];
    if (travel.perTripCents !== undefined)
      lines.push(
        feeLine(
          { kind: 'travel-fee', intervention: item + 1, contractRate: contract?.travel?.perTripCents !== undefined },
          travel.perTripCents,
        ),
      );
    if (travel.hourlyCents !== undefined && minutes > 0) {
      const label = {
        kind: 'travel-time',
        intervention: item + 1,
        contractRate: contract?.travel?.hourlyCents !== undefined,
      } as const;
      lines.push({
        description: describeLine(label),
        label,
        minutes,
        rateCents: travel.hourlyCents,
        multiplier: 1,
        amountCents: priceMinutes(minutes, travel.hourlyCents),
      });
    }
    return lines;
  });
}
