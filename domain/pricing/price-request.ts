import { SURCHARGE_TRIGGERS } from '../policy/billing-schema';
import type { Policy } from '../policy/policy';
import { allocateMinutes } from './band-allocation';
import type { BilledPart } from './band-allocation';
import type { BillingRules } from './billing-rules';
import { multiplierOf, priceMinutes } from './by-started-minute';
import { contractBandOf, rulesForContract } from './contract-rates';
import type { ContractRates } from './contract-rates';
import { localSpanOf } from './describe';
import { PricingError } from './errors';
import { billedMinutes } from './increments';
import type { LineLabel, LineNote } from './line-labels';
import { describeLine } from './line-wording';
import { feeLine, totalOf } from './lines';
import type { PriceLine } from './lines';
import { PrepaidHours } from './prepaid';
import type { PrepaidBalance } from './prepaid';
import { hourlyRateOf } from './rates';
import type { ItemRate, RateKeys } from './rates';
import type { InterventionFlags } from './intervention-flags';
import type { Band } from './time-bands';
import { travelLines } from './travel';
import type { Trip } from './travel';

/** One intervention on one request: instants in epoch ms, facts as flags (the same names as a time entry's). */
export interface PricingItem extends RateKeys, InterventionFlags {
  readonly start: number;
  readonly end: number;
  readonly onSite?: boolean;
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
  if (!Number.isSafeInteger(value) || value < 0)
    throw new PricingError('PRICING_INPUT_INVALID', field, `expected a non-negative whole number, got ${value}`);
  return value;
}

function assertSpan({ start, end }: PricingItem, index: number): void {
  if (!Number.isFinite(start))
    throw new PricingError('PRICING_INPUT_INVALID', `/items/${index}/start`, 'expected an epoch-millisecond instant');
  if (!Number.isFinite(end))
    throw new PricingError('PRICING_INPUT_INVALID', `/items/${index}/end`, 'expected an epoch-millisecond instant');
  if (end < start)
    throw new PricingError('PRICING_INPUT_INVALID', `/items/${index}/end`, 'the item ends before it starts');
}

/** The request's minimum and why, or null where the policy has none. */
interface RequestMinimum {
  readonly minutes: number;
  /** The remote-control tool had to be installed first on some intervention of the request. */
  readonly remoteToolMissing: boolean;
}

/**
 * The tm-minimum preset: "chaque demande" bills at least 15 minutes, and 60 when the remote-control tool had to be installed
 * first ("la durée minimale de prestation de la requête"): a minimum of the request, not of each intervention.
 * A request without any time logged has no intervention to value and bills no minimum.
 */
function requestMinimumOf({ document }: BillingRules, items: readonly PricingItem[]): RequestMinimum | null {
  const minimum = document.minimumMinutes;
  if (!minimum || items.length === 0) return null;
  const remoteToolMissing =
    minimum.whenRemoteToolMissing !== undefined && items.some((item) => item.remoteToolMissing === true);
  return {
    minutes: remoteToolMissing ? Math.max(minimum.perRequest, minimum.whenRemoteToolMissing ?? 0) : minimum.perRequest,
    remoteToolMissing,
  };
}

function surchargesOf({ document }: BillingRules, item: PricingItem): Band[] {
  return SURCHARGE_TRIGGERS.flatMap((trigger) => {
    const surcharge = document.surcharges?.[trigger];
    return item[trigger] === true && surcharge ? [surcharge] : [];
  });
}

interface ItemContext {
  readonly rules: BillingRules;
  readonly index: number;
  readonly rate: ItemRate;
  readonly onSite: boolean;
  /** Facts shown on every line of the item that are not coefficients (the remote-control tool installed first). */
  readonly facts: readonly LineNote[];
  readonly surcharges: readonly Band[];
  readonly prepaid: PrepaidHours | null;
}

function labelOfPart(
  { rules, index, rate, onSite }: ItemContext,
  part: BilledPart,
  notes: readonly LineNote[],
): LineLabel {
  return {
    kind: 'intervention',
    intervention: index + 1,
    rateName: rate.name,
    onSite,
    span: localSpanOf(rules.zone, part.start, part.end),
    notes,
  };
}

/** A line of the part: its label, and its English description worded from it. */
function partLine(
  context: ItemContext,
  part: BilledPart,
  notes: readonly LineNote[],
  figures: Omit<PriceLine, 'description' | 'label'>,
): PriceLine {
  const label = labelOfPart(context, part, notes);
  return { description: describeLine(label), label, ...figures };
}

/** The part's lines: what prepaid hours cover (at no charge), then the rest at its band and surcharges. */
function partLines(context: ItemContext, part: BilledPart, notes: readonly LineNote[]): PriceLine[] {
  const covered = context.prepaid?.draw(part.minutes) ?? 0;
  const charged = part.minutes - covered;
  const lines: PriceLine[] = [];
  if (covered > 0) {
    lines.push(
      partLine(context, part, [...context.facts, ...notes, { kind: 'from-prepaid' }], {
        minutes: covered,
        rateCents: 0,
        multiplier: 1,
        amountCents: 0,
      }),
    );
  }
  if (charged > 0) {
    const coefficients = [...(part.band ? [part.band] : []), ...context.surcharges];
    const percents = coefficients.map((coefficient) => coefficient.percent);
    const contractBand = contractBandOf(context.rules);
    const noted: LineNote[] = [
      ...(context.rate.fromContract ? [{ kind: 'contract-rate' } as const] : []),
      ...context.facts,
      ...coefficients.map((coefficient): LineNote => ({
        kind: 'band',
        label: coefficient.label,
        ...(coefficient === contractBand ? { contractRate: true } : {}),
      })),
      ...notes,
    ];
    lines.push(
      partLine(context, part, noted, {
        minutes: charged,
        rateCents: context.rate.cents,
        multiplier: multiplierOf(percents),
        amountCents: priceMinutes(charged, context.rate.cents, percents),
      }),
    );
  }
  return lines;
}

/** The item's own billed minutes: the first block, then every started step, on the whole item before any band split. */
function ownMinutes({ document: { increments } }: BillingRules, item: PricingItem): number {
  const increment = (item.onSite === true ? increments.onSite : undefined) ?? increments.remote;
  return billedMinutes(item.end - item.start, increment);
}

/** What the request's minimum adds to its last intervention, and the words that say so on that line. */
interface TopUp {
  readonly minutes: number;
  readonly minimum: RequestMinimum;
}

/** `request minimum 15 min: +10 min`; the reason for 60 is given unless the line already states it. */
function topUpNote({ minutes, minimum }: TopUp, lineSaysWhy: boolean): LineNote {
  return {
    kind: 'request-minimum',
    minimumMinutes: minimum.minutes,
    addedMinutes: minutes,
    why: minimum.remoteToolMissing && !lineSaysWhy,
  };
}

function itemLines(
  rules: BillingRules,
  item: PricingItem,
  index: number,
  prepaid: PrepaidHours | null,
  topUp: TopUp | null,
): PriceLine[] {
  const facts: LineNote[] =
    item.remoteToolMissing === true && rules.document.minimumMinutes?.whenRemoteToolMissing !== undefined
      ? [{ kind: 'remote-tool-installed' }]
      : [];
  const context: ItemContext = {
    rules,
    index,
    rate: hourlyRateOf(rules, item, index),
    onSite: item.onSite === true,
    facts,
    surcharges: surchargesOf(rules, item),
    prepaid,
  };
  const parts = allocateMinutes(rules.bands, item.start, item.end, ownMinutes(rules, item) + (topUp?.minutes ?? 0));
  // The top-up lands on the item's last part (allocateMinutes puts minutes beyond the work there): that line says so.
  const notes = topUp ? [topUpNote(topUp, facts.length > 0)] : [];
  return parts.flatMap((part, position) => partLines(context, part, position === parts.length - 1 ? notes : []));
}

/**
 * The request's shortfall below its minimum, billed once, on its last intervention in time order: at that
 * intervention's rate, band and surcharges, as it completes the last stretch of work (the rule allocateMinutes
 * follows for every minute billed beyond the work). Null when the work logged already reaches the minimum.
 */
function topUpOf(minimum: RequestMinimum | null, ownTotal: number): TopUp | null {
  if (!minimum || ownTotal >= minimum.minutes) return null;
  return { minutes: minimum.minutes - ownTotal, minimum };
}

/**
 * Prices one request under `policy`: the emergency fee first (charged at opening), then every item in time
 * order (prepaid hours are drawn by the earliest work first), the request's minimum topped up on the last one,
 * then travel. `vigil price` and the ticket's billing activity both call it: one request, one price. A contract's
 * own rates replace the policy's figures they name (rulesForContract); each line priced with one says so.
 */
export function priceRequest(policy: Policy, request: PricingRequest, contractRates?: ContractRates): Price {
  const rules = rulesForContract(billingOf(policy), contractRates);
  const travelCents = wholeAmount(request.travelCents ?? 0, '/travelCents');
  const prepaid = rules.document.drawsOnPrepaidHours
    ? new PrepaidHours(wholeAmount(request.prepaidMinutes ?? 0, '/prepaidMinutes'))
    : null;
  request.items.forEach(assertSpan);
  const inTimeOrder = request.items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => a.item.start - b.item.start || a.index - b.index);
  const emergencyCents = rules.document.fees?.emergencyCents;
  const topUp = topUpOf(
    requestMinimumOf(rules, request.items),
    request.items.reduce((total, item) => total + ownMinutes(rules, item), 0),
  );
  const lastPosition = inTimeOrder.length - 1;
  const lines = [
    ...(request.emergency && emergencyCents !== undefined ? [feeLine({ kind: 'emergency-fee' }, emergencyCents)] : []),
    ...inTimeOrder.flatMap(({ item, index }, position) =>
      itemLines(rules, item, index, prepaid, position === lastPosition ? topUp : null),
    ),
    ...travelLines(rules, request.trips ?? []),
    ...(travelCents > 0 ? [feeLine({ kind: 'travel-fees' }, travelCents)] : []),
  ];
  return { lines, totalCents: totalOf(lines), prepaid: prepaid?.balance ?? null };
}
