import type { Policy } from './policy';

/** The gates and clock rules of a policy version that a ticket keeps for its life. */
export interface PolicyTerms {
  quoteRequiredAboveMinutes?: number;
  outOfHoursContacts: 'any' | 'authorized';
  workaroundStopsResolutionClock: boolean;
}

export function termsOf({ document }: Policy): PolicyTerms {
  const { quoteRequiredAboveMinutes, outOfHoursContacts = 'any', workaroundStopsResolutionClock } = document;
  return { quoteRequiredAboveMinutes, outOfHoursContacts, workaroundStopsResolutionClock };
}
