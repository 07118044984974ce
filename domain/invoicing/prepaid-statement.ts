import { availableAt, yearAt, type YearMovement } from '../pricing/prepaid-hours';
import type { PrepaidStatement } from './document';

/**
 * What a contract's prepaid hours did, as the invoice prints it under its lines: bought, used and expired over the
 * contract's life, and what is left to draw at `at` (the year of `at`'s purchases less its draws). The same figures
 * as GET /v1/contracts/:id/prepaid-hours (db/prepaid.ts, accountOf), so the invoice and the API never disagree.
 */
export function prepaidStatement(contractId: string, movements: readonly YearMovement[], at: number, zone: string): PrepaidStatement {
  const total = (kind: YearMovement['kind']) => movements.reduce((sum, movement) => (movement.kind === kind ? sum + Math.abs(movement.minutes) : sum), 0);
  return {
    contractId,
    year: yearAt(at, zone),
    boughtMinutes: total('purchase'),
    usedMinutes: total('draw'),
    expiredMinutes: total('expiry'),
    leftMinutes: availableAt(movements, at, zone),
  };
}
