import { DateTime } from 'luxon';
import { priceMinutes } from './by-started-minute';
import { hoursText } from './describe';
import type { PriceLine } from './lines';

/**
 * Maintenance hours bought for a calendar year (the econnect-maintenance preset: "pour l'année en cours"). Every movement counts in one
 * year of the desk's zone: a purchase in the year it is bought, a draw in the year it is drawn, an expiry in the year
 * it closes. The balance at an instant is what that instant's year holds, so drawing never touches another year's
 * hours, whether or not their expiry has been written yet.
 *
 * FIFO reading: a draw takes from the year's oldest purchase first. All of a year's purchases expire together at its
 * end, so the order never changes what is left or what expires; it only says which purchase a statement shows as used.
 */
export type PrepaidMovementKind = 'purchase' | 'draw' | 'expiry';

export interface YearMovement {
  readonly kind: PrepaidMovementKind;
  /** Positive for a purchase, negative for a draw or an expiry. */
  readonly minutes: number;
  /** The calendar year, in the desk's zone, the minutes count in. */
  readonly year: number;
  /** Epoch milliseconds; an expiry's is its year's end. */
  readonly at: number;
}

/** Discount of maintenance hours on the hourly rate (the econnect-maintenance preset: "une remise de 5% sur les tarifs horaires en vigueur"). */
export const MAINTENANCE_DISCOUNT_PERCENT = 5;

/** The calendar year an instant falls in, in `zone`. */
export function yearAt(at: number, zone: string): number {
  return DateTime.fromMillis(at, { zone }).year;
}

/** The first instant after the year: midnight of the next 1 January in `zone`, when the year's hours expire. */
export function yearEnd(year: number, zone: string): number {
  return DateTime.fromObject({ year: year + 1, month: 1, day: 1 }, { zone }).toMillis();
}

const sumOfYear = (movements: readonly YearMovement[], year: number) =>
  movements.reduce((total, movement) => (movement.year === year ? total + movement.minutes : total), 0);

/** What a draw at `at` may use: the purchases of that instant's year less what that year has drawn. Never negative. */
export function availableAt(movements: readonly YearMovement[], at: number, zone: string): number {
  return Math.max(0, sumOfYear(movements, yearAt(at, zone)));
}

/**
 * The expiries due by `at`: for each year ended by then, what its purchases still hold once its draws and any
 * expiry already written are counted. Nothing for a year fully used or already closed, so writing them is idempotent.
 */
export function expiriesDue(
  movements: readonly YearMovement[],
  at: number,
  zone: string,
): Array<{ year: number; minutes: number }> {
  const current = yearAt(at, zone);
  const years = [...new Set(movements.map((movement) => movement.year))]
    .filter((year) => year < current)
    .sort((a, b) => a - b);
  return years.flatMap((year) => {
    const minutes = sumOfYear(movements, year);
    return minutes > 0 ? [{ year, minutes }] : [];
  });
}

export interface PurchaseLot {
  /** Index of the purchase in the movements given. */
  readonly index: number;
  readonly year: number;
  readonly minutes: number;
  readonly remainingMinutes: number;
}

/** What is left of each purchase, replaying the movements in order: draws and expiries take from the oldest purchase of their year. */
export function purchaseLots(movements: readonly YearMovement[]): PurchaseLot[] {
  const lots: Array<{ index: number; year: number; minutes: number; remainingMinutes: number }> = [];
  movements.forEach((movement, index) => {
    if (movement.kind === 'purchase') {
      lots.push({ index, year: movement.year, minutes: movement.minutes, remainingMinutes: movement.minutes });
      return;
    }
    let owed = -movement.minutes;
    for (const lot of lots) {
      if (owed === 0) break;
      if (lot.year !== movement.year) continue;
      const taken = Math.min(owed, lot.remainingMinutes);
      lot.remainingMinutes -= taken;
      owed -= taken;
    }
  });
  return lots;
}

const euros = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')} EUR`;

/**
 * The invoice line of a purchase of maintenance hours. `discountedHourlyCents` is the maintenance policy's rate, which
 * is already the hourly rate less 5% (econnect-maintenance: 95 EUR/h, the preset's notes); the line names the rate
 * before the discount when it divides back exactly (100 EUR/h). Amount: minutes × rate / 60, rounded once to the cent,
 * half away from zero, like every billed line.
 */
export function purchaseLine(minutes: number, discountedHourlyCents: number, year: number): PriceLine {
  const keep = 100 - MAINTENANCE_DISCOUNT_PERCENT;
  const list =
    (discountedHourlyCents * 100) % keep === 0 ? `${euros((discountedHourlyCents * 100) / keep)}/h` : 'the hourly rate';
  return {
    description: `${hoursText(minutes)} maintenance hours for ${year}, ${list} less ${MAINTENANCE_DISCOUNT_PERCENT}%`,
    label: {
      kind: 'prepaid-purchase',
      minutes,
      year,
      listRateCents: (discountedHourlyCents * 100) % keep === 0 ? (discountedHourlyCents * 100) / keep : null,
      discountPercent: MAINTENANCE_DISCOUNT_PERCENT,
    },
    minutes,
    rateCents: discountedHourlyCents,
    multiplier: 1,
    amountCents: priceMinutes(minutes, discountedHourlyCents),
  };
}

/** What a statement or an invoice says of an expiry. */
export function expiryDescription(year: number, minutes: number): string {
  return `${hoursText(minutes)} of the maintenance hours for ${year} expired at the year's end`;
}
