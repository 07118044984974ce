import fc from 'fast-check';
import { DESK_ZONE } from '../../messages/desk-zone';
import {
  availableAt,
  expiriesDue,
  purchaseLine,
  purchaseLots,
  yearAt,
  yearEnd,
  type YearMovement,
} from '../../domain/pricing/prepaid-hours';

const at = (iso: string) => Date.parse(iso);
const purchase = (minutes: number, when: string): YearMovement => ({
  kind: 'purchase',
  minutes,
  year: yearAt(at(when), DESK_ZONE),
  at: at(when),
});
const draw = (minutes: number, when: string): YearMovement => ({
  kind: 'draw',
  minutes: -minutes,
  year: yearAt(at(when), DESK_ZONE),
  at: at(when),
});

describe('prepaid maintenance hours (econnect-maintenance: bought for the current year, at 5% off)', () => {
  it('reads the year in Luxembourg: 23:30 UTC on 31 December is already the next year there', () => {
    expect(yearAt(at('2025-12-31T22:59:59Z'), DESK_ZONE)).toBe(2025);
    expect(yearAt(at('2025-12-31T23:00:00Z'), DESK_ZONE)).toBe(2026);
    expect(new Date(yearEnd(2025, DESK_ZONE)).toISOString()).toBe('2025-12-31T23:00:00.000Z');
  });

  it("never lets a draw in January use last year's hours, even before their expiry is written", () => {
    const movements = [purchase(600, '2025-03-01T10:00:00+01:00'), draw(120, '2025-06-01T10:00:00+02:00')];
    expect(availableAt(movements, at('2025-12-31T23:59:00+01:00'), DESK_ZONE)).toBe(480);
    expect(availableAt(movements, at('2026-01-05T09:00:00+01:00'), DESK_ZONE)).toBe(0);
    const withNewHours = [...movements, purchase(60, '2026-01-02T10:00:00+01:00')];
    expect(availableAt(withNewHours, at('2026-01-05T09:00:00+01:00'), DESK_ZONE)).toBe(60);
  });

  it('expires what a year left, once: an expiry already written leaves nothing due', () => {
    const movements = [
      purchase(600, '2025-03-01T10:00:00+01:00'),
      purchase(300, '2025-09-01T10:00:00+02:00'),
      draw(700, '2025-10-01T10:00:00+02:00'),
    ];
    expect(expiriesDue(movements, at('2025-12-31T23:00:00+01:00'), DESK_ZONE)).toEqual([]);
    expect(expiriesDue(movements, yearEnd(2025, DESK_ZONE), DESK_ZONE)).toEqual([{ year: 2025, minutes: 200 }]);
    const expired: YearMovement = { kind: 'expiry', minutes: -200, year: 2025, at: yearEnd(2025, DESK_ZONE) };
    expect(expiriesDue([...movements, expired], at('2026-04-01T00:00:00+02:00'), DESK_ZONE)).toEqual([]);
    // FIFO: the March purchase was used up first; the September one holds what expired.
    expect(purchaseLots([...movements, expired]).map((lot) => lot.remainingMinutes)).toEqual([0, 0]);
    expect(purchaseLots(movements).map((lot) => lot.remainingMinutes)).toEqual([0, 200]);
  });

  it('invoices a purchase at the hourly rate less 5%, in cents rounded half away from zero', () => {
    expect(purchaseLine(600, 9500, 2026)).toEqual({
      description: '10 h maintenance hours for 2026, 100.00 EUR/h less 5%',
      label: { kind: 'prepaid-purchase', minutes: 600, year: 2026, listRateCents: 10_000, discountPercent: 5 },
      minutes: 600,
      rateCents: 9500,
      multiplier: 1,
      amountCents: 95_000,
    });
    // 7 min at 95 EUR/h: 1108.33 cents; 9 min: 1425 exactly; 1 min: 158.33.
    expect(purchaseLine(7, 9500, 2026).amountCents).toBe(1108);
    expect(purchaseLine(90, 9500, 2026).description).toBe(
      '1 h 30 min maintenance hours for 2026, 100.00 EUR/h less 5%',
    );
    expect(purchaseLine(1, 9500, 2026).amountCents).toBe(158);
    // A rate that does not divide back to a whole cent before the discount is named without a figure.
    expect(purchaseLine(60, 9999, 2026)).toMatchObject({
      description: '1 h maintenance hours for 2026, the hourly rate less 5%',
      label: { listRateCents: null },
    });
  });

  /**
   * Naive reference: every minute bought is a token stamped with its purchase's year; at each operation, tokens of
   * an earlier year than the operation's are thrown away (expired), and a draw takes the oldest tokens left.
   */
  type Operation = { type: 'buy' | 'draw'; minutes: number; at: number };
  const START = at('2024-11-01T00:00:00+01:00');
  const SPAN = 800 * 24 * 3600 * 1000;
  const operations = fc
    .array(
      fc.record({
        type: fc.constantFrom<'buy' | 'draw'>('buy', 'draw'),
        minutes: fc.integer({ min: 1, max: 600 }),
        offset: fc.integer({ min: 0, max: SPAN }),
      }),
      { maxLength: 30 },
    )
    .map((ops) =>
      ops
        .sort((a, b) => a.offset - b.offset)
        .map(({ type, minutes, offset }): Operation => ({ type, minutes, at: START + offset })),
    );

  it('draws, expires and leaves per purchase exactly what minute-by-minute tokens do', () => {
    fc.assert(
      fc.property(operations, fc.integer({ min: 0, max: 400 * 24 * 3600 * 1000 }), (ops, endOffset) => {
        const tokens: Array<{ purchase: number; year: number }> = [];
        const expiredByReference = new Map<number, number>();
        const expireTokens = (when: number) => {
          const year = yearAt(when, DESK_ZONE);
          for (let index = tokens.length - 1; index >= 0; index -= 1) {
            if (tokens[index]!.year < year) {
              expiredByReference.set(tokens[index]!.year, (expiredByReference.get(tokens[index]!.year) ?? 0) + 1);
              tokens.splice(index, 1);
            }
          }
        };
        const movements: YearMovement[] = [];
        const closeYears = (when: number) => {
          for (const { year, minutes } of expiriesDue(movements, when, DESK_ZONE))
            movements.push({ kind: 'expiry', minutes: -minutes, year, at: yearEnd(year, DESK_ZONE) });
        };

        let purchases = 0;
        for (const op of ops) {
          expireTokens(op.at);
          // Expiries are written late, or not at all, before the operation: the balance must not depend on it.
          if (op.at % 2 === 0) closeYears(op.at);
          const year = yearAt(op.at, DESK_ZONE);
          if (op.type === 'buy') {
            for (let minute = 0; minute < op.minutes; minute += 1) tokens.push({ purchase: purchases, year });
            movements.push({ kind: 'purchase', minutes: op.minutes, year, at: op.at });
            purchases += 1;
          } else {
            const available = availableAt(movements, op.at, DESK_ZONE);
            expect(available).toBe(tokens.length);
            const drawn = Math.min(op.minutes, available);
            tokens.splice(0, drawn);
            if (drawn > 0) movements.push({ kind: 'draw', minutes: -drawn, year, at: op.at });
          }
        }
        const end = (ops.at(-1)?.at ?? START) + endOffset;
        expireTokens(end);
        closeYears(end);
        closeYears(end);
        expect(availableAt(movements, end, DESK_ZONE)).toBe(tokens.length);
        const written = new Map<number, number>();
        for (const movement of movements)
          if (movement.kind === 'expiry')
            written.set(movement.year, (written.get(movement.year) ?? 0) - movement.minutes);
        expect(written).toEqual(expiredByReference);
        const left = purchaseLots(movements).map((lot) => lot.remainingMinutes);
        expect(left).toEqual(
          Array.from({ length: purchases }, (_, index) => tokens.filter((token) => token.purchase === index).length),
        );
      }),
      { numRuns: 200 },
    );
  });
});
