/** Rounds to the cent, half away from zero, exactly: BigInt never loses a digit. */
function divideRoundingHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const remainder = numerator - quotient * denominator;
  const magnitude = remainder < 0n ? -remainder : remainder;
  if (2n * magnitude >= denominator) return numerator < 0n ? quotient - 1n : quotient + 1n;
  return quotient;
}

function assertWhole(value: number, name: string, minimum: number): void {
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new RangeError(`${name} must be ${minimum === 0 ? 'a non-negative' : 'a positive'} integer, got ${value}`);
  }
}

/**
 * Billed minutes at an hourly rate, times every coefficient (whole percentages, multiplied together), in
 * integer cents rounded once at the end, so that stacked coefficients never round twice.
 */
export function priceMinutes(minutes: number, hourlyRateCents: number, percents: readonly number[] = []): number {
  assertWhole(minutes, 'minutes', 0);
  assertWhole(hourlyRateCents, 'hourlyRateCents', 0);
  percents.forEach((percent) => assertWhole(percent, 'percent', 1));
  const numerator = percents.reduce(
    (product, percent) => product * BigInt(percent),
    BigInt(minutes) * BigInt(hourlyRateCents),
  );
  const denominator = percents.reduce((product) => product * 100n, 60n);
  return Number(divideRoundingHalfAwayFromZero(numerator, denominator));
}

/** The factor the percentages stand for, for display (x1.5 for [150]). */
export function multiplierOf(percents: readonly number[]): number {
  return percents.reduce((factor, percent) => (factor * percent) / 100, 1);
}
