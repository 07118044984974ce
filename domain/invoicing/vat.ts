/**
 * VAT on an invoice of IT support services, as pure rules.
 *
 * Which rate: Vigil's desks sell services, taxed where the customer is when the customer is a business
 * (Directive 2006/112/EC, article 44) and where the desk is otherwise (article 45). So:
 * - same country as the desk: the desk country's standard rate (category S);
 * - another member state, with a VAT number: no VAT charged, the customer accounts for it (reverse charge,
 *   article 196; category AE) and the invoice says so;
 * - another member state without a VAT number (a consumer): the desk country's rate (S);
 * - outside the EU: outside the scope of EU VAT (category O), the invoice says why.
 *
 * How it is rounded: EN 16931 (rules BR-CO-17 and BR-S-08) computes VAT once per rate, on the sum of the net
 * amounts of the lines at that rate, rounded to the cent; the lines carry no VAT amount of their own. Rounding each
 * line and adding would drift from what the buyer's software recomputes by up to half a cent per line, and the
 * validators refuse the invoice. Half a cent rounds away from zero (commercial rounding, also for credit notes).
 * All amounts are integer cents; rates are basis points (2100 = 21 %), so no float ever holds money.
 */
import { MEMBER_STATES, isMemberState } from './countries';

/** UNCL5305 codes EN 16931 uses for the categories Vigil issues. */
export type VatCategory = 'S' | 'AE' | 'O';

export interface VatTreatment {
  category: VatCategory;
  rateBp: number;
  /** The legal mention the invoice must carry for the category, keyed for translation (domain/invoicing/texts.ts). */
  exemption?: 'reverse-charge' | 'outside-scope';
}

export interface VatParties {
  sellerCountry: string;
  buyerCountry: string;
  /** The buyer's VAT number, when it has one: it makes the buyer a business. */
  buyerVatNumber?: string;
}

export function vatTreatment({ sellerCountry, buyerCountry, buyerVatNumber }: VatParties): VatTreatment {
  const seller = MEMBER_STATES[sellerCountry];
  if (!seller)
    throw new RangeError(`the desk's country ${sellerCountry} is not an EU member state Vigil knows the VAT of`);
  if (buyerCountry === sellerCountry) return { category: 'S', rateBp: seller.standardRateBp };
  if (!isMemberState(buyerCountry)) return { category: 'O', rateBp: 0, exemption: 'outside-scope' };
  if (buyerVatNumber) return { category: 'AE', rateBp: 0, exemption: 'reverse-charge' };
  return { category: 'S', rateBp: seller.standardRateBp };
}

/** `cents × rateBp / 10 000`, rounded half away from zero, exactly (BigInt: no float, no overflow). */
export function vatOf(netCents: number, rateBp: number): number {
  if (!Number.isSafeInteger(netCents) || !Number.isSafeInteger(rateBp) || rateBp < 0)
    throw new RangeError(`vatOf(${netCents}, ${rateBp}): integers expected`);
  const product = BigInt(Math.abs(netCents)) * BigInt(rateBp);
  const rounded = (product + 5_000n) / 10_000n;
  return Number(rounded) * Math.sign(netCents) || 0;
}

export interface VatBreakdownRow extends VatTreatment {
  /** Sum of the net amounts of the lines in this category and rate (BT-116). */
  netCents: number;
  /** VAT of the category, on that sum (BT-117). */
  vatCents: number;
}

export interface VatTotals {
  breakdown: VatBreakdownRow[];
  netCents: number;
  vatCents: number;
  grossCents: number;
}

/** Lines' net amounts, each under its treatment, summed per category and rate, then taxed once per rate. */
export function vatTotals(lines: ReadonlyArray<{ amountCents: number; vat: VatTreatment }>): VatTotals {
  const rows = new Map<string, VatBreakdownRow>();
  for (const { amountCents, vat } of lines) {
    const key = `${vat.category}/${vat.rateBp}`;
    const row = rows.get(key) ?? { ...vat, netCents: 0, vatCents: 0 };
    row.netCents += amountCents;
    rows.set(key, row);
  }
  const breakdown = [...rows.values()]
    .map((row) => ({ ...row, vatCents: vatOf(row.netCents, row.rateBp) }))
    .sort((a, b) => b.rateBp - a.rateBp || a.category.localeCompare(b.category));
  const netCents = breakdown.reduce((sum, row) => sum + row.netCents, 0);
  const vatCents = breakdown.reduce((sum, row) => sum + row.vatCents, 0);
  return { breakdown, netCents, vatCents, grossCents: netCents + vatCents };
}

/** "21 %", "5.5 %", "25.5 %": a rate for people. */
export const ratePercent = (rateBp: number): string => `${(rateBp / 100).toString()} %`;
