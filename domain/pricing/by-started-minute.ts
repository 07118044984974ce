/** Rounds to the cent, half away from zero (DOMAIN.md's rounding rule), on integers only. */
function divideRoundingHalfAwayFromZero(numerator: number, denominator: number): number {
  const quotient = Math.trunc(numerator / denominator);
  const remainder = numerator - quotient * denominator;
  if (2 * Math.abs(remainder) >= denominator) return quotient + Math.sign(numerator);
  return quotient;
}

/** Time billed by the started minute at an hourly rate, in integer cents. */
export function priceMinutes(minutes: number, hourlyRateCents: number): number {
  if (!Number.isSafeInteger(minutes) || minutes < 0) throw new RangeError(`minutes must be a non-negative integer, got ${minutes}`);
  if (!Number.isSafeInteger(hourlyRateCents) || hourlyRateCents < 0) throw new RangeError(`hourlyRateCents must be a non-negative integer, got ${hourlyRateCents}`);
  return divideRoundingHalfAwayFromZero(minutes * hourlyRateCents, 60);
}
