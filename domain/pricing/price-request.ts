import { SURCHARGE_TRIGGERS } from '../policy';
import type { Policy, SurchargeTrigger } from '../policy';
import { allocateMinutes } from './band-allocation';
import type { BilledPart } from './band-allocation';
import type { BillingRules } from './billing-rules';
import { multiplierOf, priceMinutes } from './by-started-minute';
import { localSpan } from './describe';
import { PricingError } from './errors';
import { billedMinutes } from './increments';
import { feeLine, totalOf } from './lines';
import type { PriceLine } from './lines';
import { PrepaidHours } from './prepaid';
import type { PrepaidBalance } from './prepaid';
import { hourlyRateOf } from './rates';
import type { ItemRate, RateKeys } from './rates';
import type { Band } from './time-bands';
import { travelLines } from './travel';
import type { Trip } from './travel';

/** One intervention on one request: instants in epoch ms, facts as flags. */
export interface PricingItem extends RateKeys, Readonly<Partial<Record<SurchargeTrigger, boolean>>> {
  readonly start: number;
  readonly end: number;
  readonly onSite?: boolean;
  readonly remoteToolMissing?: boolean;
}

export interface PricingRequest {
  /** Opened through the emergency channel: the policy's emergency fee applies. */
  readonly emergency?: boolean;
  /** Travel fees already priced, always their own line: no contract covers them. */
  readonly travelCents?: number;
  /** Trips priced by the policy's travel rule, after the work. */
  readonly trips?: readonly Trip[];
  /** The prepaid balance before this request, where the policy draws on prepaid hours. */
  readonly prepaidMinutes?: number;
  readonly items: readonly PricingItem[];
}

export interface Price {
  readonly lines: readonly PriceLine[];
  readonly totalCents: number;
  /** Null unless the policy draws on prepaid hours. */
  readonly prepaid: PrepaidBalance | null;
}

export function billingOf(policy: Policy): BillingRules {
  if (!policy.billing) throw new PricingError('BILLING_UNDEFINED', '/', `policy ${policy.id} has no billing rules`);
  return policy.billing;
}

function wholeAmount(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new PricingError('PRICING_INPUT_INVALID', field, `expected a non-negative whole number, got ${value}`);
  return value;
}

function assertSpan({ start, end }: PricingItem, index: number): void {
  if (!Number.isFinite(start)) throw new PricingError('PRICING_INPUT_INVALID', `/items/${index}/start`, 'expected an epoch-millisecond instant');
  if (!Number.isFinite(end)) throw new PricingError('PRICING_INPUT_INVALID', `/items/${index}/end`, 'expected an epoch-millisecond instant');
  if (end < start) throw new PricingError('PRICING_INPUT_INVALID', `/items/${index}/end`, 'the item ends before it starts');
}

function minimumOf({ document }: BillingRules, item: PricingItem): number {
  const minimum = document.minimumMinutes;
  if (!minimum) return 0;
  return item.remoteToolMissing ? Math.max(minimum.perRequest, minimum.whenRemoteToolMissing ?? 0) : minimum.perRequest;
}

function surchargesOf({ document }: BillingRules, item: PricingItem): Band[] {
  return SURCHARGE_TRIGGERS.flatMap((trigger) => {
    const surcharge = document.surcharges?.[trigger];
    return item[trigger] && surcharge ? [surcharge] : [];
  });
}

interface ItemContext {
  readonly rules: BillingRules;
  readonly index: number;
  readonly rate: ItemRate;
  readonly onSite: boolean;
  readonly surcharges: readonly Band[];
  readonly prepaid: PrepaidHours | null;
}

function describePart({ rules, index, rate, onSite }: ItemContext, part: BilledPart, labels: readonly string[]): string {
  const what = [rate.name, onSite ? 'on site' : undefined].filter(Boolean).join(', ');
  const head = `Intervention ${index + 1}${what ? ` (${what})` : ''}`;
  return [head, localSpan(rules.zone, part.start, part.end), ...labels].join(', ');
}

/** The part's lines: what prepaid hours cover (at no charge), then the rest at its band and surcharges. */
function partLines(context: ItemContext, part: BilledPart): PriceLine[] {
  const covered = context.prepaid?.draw(part.minutes) ?? 0;
  const charged = part.minutes - covered;
  const lines: PriceLine[] = [];
  if (covered > 0) {
    lines.push({ description: describePart(context, part, ['from prepaid hours']), minutes: covered, rateCents: 0, multiplier: 1, amountCents: 0 });
  }
  if (charged > 0) {
    const coefficients = [...(part.band ? [part.band] : []), ...context.surcharges];
    const percents = coefficients.map((coefficient) => coefficient.percent);
    lines.push({
      description: describePart(context, part, coefficients.map((coefficient) => coefficient.label)),
      minutes: charged,
      rateCents: context.rate.cents,
      multiplier: multiplierOf(percents),
      amountCents: priceMinutes(charged, context.rate.cents, percents),
    });
  }
  return lines;
}

function itemLines(rules: BillingRules, item: PricingItem, index: number, prepaid: PrepaidHours | null): PriceLine[] {
  const { increments } = rules.document;
  const onSite = item.onSite === true;
  const increment = (onSite ? increments.onSite : undefined) ?? increments.remote;
  const billed = billedMinutes(item.end - item.start, increment, minimumOf(rules, item));
  const context: ItemContext = { rules, index, rate: hourlyRateOf(rules, item, index), onSite, surcharges: surchargesOf(rules, item), prepaid };
  return allocateMinutes(rules.bands, item.start, item.end, billed).flatMap((part) => partLines(context, part));
}

/**
 * Prices one request under `policy`: the emergency fee first (charged at opening), then every item in time
 * order (prepaid hours are drawn by the earliest work first), then travel.
 */
export function priceRequest(policy: Policy, request: PricingRequest): Price {
  const rules = billingOf(policy);
  const travelCents = wholeAmount(request.travelCents ?? 0, '/travelCents');
  const prepaid = rules.document.drawsOnPrepaidHours ? new PrepaidHours(wholeAmount(request.prepaidMinutes ?? 0, '/prepaidMinutes')) : null;
  request.items.forEach(assertSpan);
  const inTimeOrder = request.items.map((item, index) => ({ item, index })).sort((a, b) => a.item.start - b.item.start || a.index - b.index);
  const emergencyCents = rules.document.fees?.emergencyCents;
  const lines = [
    ...(request.emergency && emergencyCents !== undefined ? [feeLine('Emergency fee, charged at ticket opening', emergencyCents)] : []),
    ...inTimeOrder.flatMap(({ item, index }) => itemLines(rules, item, index, prepaid)),
    ...travelLines(rules, request.trips ?? []),
    ...(travelCents > 0 ? [feeLine('Travel fees', travelCents)] : []),
  ];
  return { lines, totalCents: totalOf(lines), prepaid: prepaid?.balance ?? null };
}
