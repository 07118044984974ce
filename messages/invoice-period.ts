import { DateTime } from 'luxon';
import { DESK_ZONE } from './desk-zone';

export interface InvoicePeriod {
  /** First day invoiced, YYYY-MM-DD. */
  periodStart: string;
  /** Last day invoiced, YYYY-MM-DD, included. */
  periodEnd: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function civilDate(text: string): DateTime | undefined {
  if (!ISO_DATE.test(text)) return undefined;
  const date = DateTime.fromISO(text, { zone: DESK_ZONE });
  return date.isValid ? date : undefined;
}

/** Why a period cannot be invoiced, or undefined when it can. */
export function periodProblem({ periodStart, periodEnd }: InvoicePeriod): string | undefined {
  const start = civilDate(periodStart);
  const end = civilDate(periodEnd);
  if (!start) return `periodStart ${JSON.stringify(periodStart)} is not a date YYYY-MM-DD`;
  if (!end) return `periodEnd ${JSON.stringify(periodEnd)} is not a date YYYY-MM-DD`;
  if (end < start) return `periodEnd ${periodEnd} is before periodStart ${periodStart}`;
  return undefined;
}

/** The calendar quarter before the one the instant falls in, in the issuer's zone. */
export function previousQuarter(atEpochMs: number): InvoicePeriod {
  const start = DateTime.fromMillis(atEpochMs, { zone: DESK_ZONE }).startOf('quarter').minus({ quarters: 1 });
  return { periodStart: start.toISODate()!, periodEnd: start.endOf('quarter').toISODate()! };
}

/** The calendar month before the one the instant falls in, in the issuer's zone. */
export function previousMonth(atEpochMs: number): InvoicePeriod {
  const start = DateTime.fromMillis(atEpochMs, { zone: DESK_ZONE }).startOf('month').minus({ months: 1 });
  return { periodStart: start.toISODate()!, periodEnd: start.endOf('month').toISODate()! };
}

/** The months a period touches (YYYY-MM): a monthly contract fee is due for each. */
export function monthsOf({ periodStart, periodEnd }: InvoicePeriod): string[] {
  const end = DateTime.fromISO(periodEnd, { zone: DESK_ZONE });
  const months: string[] = [];
  for (
    let month = DateTime.fromISO(periodStart, { zone: DESK_ZONE }).startOf('month');
    month <= end;
    month = month.plus({ months: 1 })
  ) {
    months.push(month.toFormat('yyyy-MM'));
  }
  return months;
}
