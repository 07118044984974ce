import type { LineLabel } from './line-labels';
import { describeLine } from './line-wording';

/** One line of a price: what it is, the billed minutes, the hourly rate, the coefficient and the amount. */
export interface PriceLine {
  /** In English; `label` says the same as data, for an invoice to word in its customer's language. */
  readonly description: string;
  readonly label: LineLabel;
  /** Billed minutes; 0 on a fee. */
  readonly minutes: number;
  /** The hourly rate before any coefficient; the fee itself on a fee line. */
  readonly rateCents: number;
  readonly multiplier: number;
  /** Rounded to the cent on its own, half away from zero. */
  readonly amountCents: number;
}

/** A fixed amount: no minutes, the fee as the rate, nothing multiplied. */
export function feeLine(label: LineLabel, cents: number): PriceLine {
  return { description: describeLine(label), label, minutes: 0, rateCents: cents, multiplier: 1, amountCents: cents };
}

/** The total is the sum of the rounded lines, never a rounding of the unrounded sum. */
export function totalOf(lines: readonly PriceLine[]): number {
  return lines.reduce((total, line) => total + line.amountCents, 0);
}

/**
 * The line as a ticket's bill and `vigil price --json` have always shown it: the label goes to billing_lines for
 * invoices (activities/billing.ts), not into the workflow's state or the command's output.
 */
export const withoutLabel = ({ description, minutes, rateCents, multiplier, amountCents }: PriceLine) => ({
  description,
  minutes,
  rateCents,
  multiplier,
  amountCents,
});
