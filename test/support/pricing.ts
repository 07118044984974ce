import { priceRequest } from '../../domain/pricing';
import type { Price, PricingItem, PricingRequest } from '../../domain/pricing';
import { findPolicy } from '../../policies/registry';
import { at } from './domain';

type ItemFacts = Omit<PricingItem, 'start' | 'end'>;

/** An item from ISO-8601 instants with offsets. */
export function item(start: string, end: string, facts: ItemFacts = {}): PricingItem {
  return { ...facts, start: at(start), end: at(end) };
}

export function priceOf(policyId: string, request: PricingRequest): Price {
  return priceRequest(findPolicy(policyId), request);
}

/** [billed minutes, multiplier, cents] per line: what the hand computations in the tests give. */
export function amounts({ lines }: Price): Array<[number, number, number]> {
  return lines.map((line) => [line.minutes, line.multiplier, line.amountCents]);
}

/** [description, billed minutes, multiplier, cents] per line. */
export function described({ lines }: Price): Array<[string, number, number, number]> {
  return lines.map((line) => [line.description, line.minutes, line.multiplier, line.amountCents]);
}
