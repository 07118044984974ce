import fc from 'fast-check';
import { vatOf, vatTotals, vatTreatment, type VatTreatment } from '../../domain/invoicing/vat';

describe('which VAT an invoice of services carries', () => {
  it('charges the desk country rate at home: LU 17 %, BE 21 %, FR 20 %', () => {
    expect(vatTreatment({ sellerCountry: 'LU', buyerCountry: 'LU', buyerVatNumber: 'LU15027442' })).toEqual({
      category: 'S',
      rateBp: 1700,
    });
    expect(vatTreatment({ sellerCountry: 'BE', buyerCountry: 'BE' })).toEqual({ category: 'S', rateBp: 2100 });
    expect(vatTreatment({ sellerCountry: 'FR', buyerCountry: 'FR', buyerVatNumber: 'FR40303265045' })).toEqual({
      category: 'S',
      rateBp: 2000,
    });
  });

  it('reverses the charge for a business in another member state, and says so', () => {
    expect(vatTreatment({ sellerCountry: 'LU', buyerCountry: 'BE', buyerVatNumber: 'BE0403170701' })).toEqual({
      category: 'AE',
      rateBp: 0,
      exemption: 'reverse-charge',
    });
  });

  it("charges the desk's rate to a consumer elsewhere in the EU, and none outside it", () => {
    expect(vatTreatment({ sellerCountry: 'LU', buyerCountry: 'FR' })).toEqual({ category: 'S', rateBp: 1700 });
    expect(vatTreatment({ sellerCountry: 'LU', buyerCountry: 'CH', buyerVatNumber: 'CHE123456789' })).toEqual({
      category: 'O',
      rateBp: 0,
      exemption: 'outside-scope',
    });
  });
});

describe('VAT amounts, integer cents', () => {
  it('rounds half a cent away from zero', () => {
    expect(vatOf(50, 1700)).toBe(9); // 8.5
    expect(vatOf(-50, 1700)).toBe(-9);
    expect(vatOf(10, 2100)).toBe(2); // 2.1
    expect(vatOf(2, 2500)).toBe(1); // 0.5
    expect(vatOf(0, 2100)).toBe(0);
  });

  it('taxes the sum of the lines once per rate (EN 16931 BR-CO-17), not each line', () => {
    const S21: VatTreatment = { category: 'S', rateBp: 2100 };
    // Three lines of 0.10 EUR: per line 0.021 -> 0.02 each, 0.06 in all; on the sum 0.30 -> 0.063 -> 0.06. And 0.50 x3:
    // per line 0.105 -> 0.11 each (0.33), on the sum 1.50 -> 0.315 -> 0.32: the rule decides the cent.
    const totals = vatTotals([50, 50, 50].map((amountCents) => ({ amountCents, vat: S21 })));
    expect(totals).toEqual({
      breakdown: [{ ...S21, netCents: 150, vatCents: 32 }],
      netCents: 150,
      vatCents: 32,
      grossCents: 182,
    });
  });

  // The naive reference: decimal strings, no BigInt, no cleverness; what an accountant does by hand.
  function referenceVat(netCents: number, rateBp: number): number {
    const exact = (Math.abs(netCents) * rateBp) / 10_000; // exact for these magnitudes: both factors are < 2^26
    const whole = Math.floor(exact);
    const fraction = Math.abs(netCents) * rateBp - whole * 10_000;
    return Math.sign(netCents) * (fraction >= 5_000 ? whole + 1 : whole) || 0;
  }

  it('agrees with a by-hand reference on every line set, and the total is net plus VAT', () => {
    const rate = fc.constantFrom(1700, 2000, 2100, 550, 2550, 0);
    fc.assert(
      fc.property(
        fc.array(fc.record({ amountCents: fc.integer({ min: -5_000_000, max: 5_000_000 }), rateBp: rate }), {
          maxLength: 30,
        }),
        (lines) => {
          const totals = vatTotals(
            lines.map(({ amountCents, rateBp }) => ({ amountCents, vat: { category: 'S', rateBp } })),
          );
          for (const row of totals.breakdown) {
            const net = lines
              .filter((line) => line.rateBp === row.rateBp)
              .reduce((sum, line) => sum + line.amountCents, 0);
            expect(row.netCents).toBe(net);
            expect(row.vatCents).toBe(referenceVat(net, row.rateBp));
          }
          expect(totals.netCents).toBe(lines.reduce((sum, line) => sum + line.amountCents, 0));
          expect(totals.grossCents).toBe(totals.netCents + totals.vatCents);
          // Per-line rounding would differ from the per-rate VAT by at most half a cent a line.
          const perLine = lines.reduce((sum, line) => sum + referenceVat(line.amountCents, line.rateBp), 0);
          expect(Math.abs(perLine - totals.vatCents)).toBeLessThanOrEqual(Math.ceil(lines.length / 2));
        },
      ),
    );
  });
});
