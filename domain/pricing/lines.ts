/** One line of a price: what it is, the billed minutes, the hourly rate, the coefficient and the amount. */
export interface PriceLine {
  readonly description: string;
  /** Billed minutes; 0 on a fee. */
  readonly minutes: number;
  /** The hourly rate before any coefficient; the fee itself on a fee line. */
  readonly rateCents: number;
  readonly multiplier: number;
  /** Rounded to the cent on its own, half away from zero. */
  readonly amountCents: number;
}

/** A fixed amount: no minutes, the fee as the rate, nothing multiplied. */
export function feeLine(description: string, cents: number): PriceLine {
  return { description, minutes: 0, rateCents: cents, multiplier: 1, amountCents: cents };
}

/** The total is the sum of the rounded lines, never a rounding of the unrounded sum. */
export function totalOf(lines: readonly PriceLine[]): number {
  return lines.reduce((total, line) => total + line.amountCents, 0);
}
