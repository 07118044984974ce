/**
 * The Belgian structured communication ("communication structurée", "gestructureerde mededeling"): twelve digits,
 * ten of reference and two check digits (the ten modulo 97, 97 when that is 0), written +++123/4567/89002+++. Belgian
 * banks match a transfer to its invoice by it.
 *
 * The ten digits are the invoice's year and its six-digit sequence (INV-2026-000042 is 2026000042): unique per
 * invoice as long as a year issues fewer than a million, and readable back to the invoice.
 */
export function structuredCommunication(invoiceNumber: string): string {
  const match = /^[A-Z]+-(\d{4})-(\d{6})$/.exec(invoiceNumber);
  if (!match)
    throw new RangeError(
      `invoice number ${invoiceNumber} has no year and six-digit sequence to make a structured communication of`,
    );
  const reference = `${match[1]}${match[2]}`;
  const check = Number(BigInt(reference) % 97n) || 97;
  const digits = `${reference}${String(check).padStart(2, '0')}`;
  return `+++${digits.slice(0, 3)}/${digits.slice(3, 7)}/${digits.slice(7)}+++`;
}

/** Whether a communication's check digits hold: what a bank checks before taking it. */
export function isStructuredCommunication(text: string): boolean {
  const match = /^\+\+\+(\d{3})\/(\d{4})\/(\d{5})\+\+\+$/.exec(text);
  if (!match) return false;
  const digits = match.slice(1).join('');
  return (Number(BigInt(digits.slice(0, 10)) % 97n) || 97) === Number(digits.slice(10));
}
