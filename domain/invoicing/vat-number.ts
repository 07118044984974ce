import { MEMBER_STATES, isMemberState } from './countries';

/**
 * A VAT number as written on an invoice: spaces, dots and dashes people type are dropped and letters capitalised
 * ("be 0403.170.701" is BE0403170701). Why it is wrong, in words, or the normalised number.
 */
export type VatNumberCheck = { ok: true; vatNumber: string } | { ok: false; problem: string };

export function checkVatNumber(raw: string, country: string): VatNumberCheck {
  const vatNumber = raw.replace(/[\s.-]/g, '').toUpperCase();
  if (!isMemberState(country)) {
    // Outside the EU a VAT (or GST, sales tax) number has no one shape: kept as typed, within reason.
    return /^[A-Z0-9]{2,20}$/.test(vatNumber)
      ? { ok: true, vatNumber }
      : { ok: false, problem: `"${raw}" is not a tax number (2 to 20 letters and digits)` };
  }
  const state = MEMBER_STATES[country]!;
  if (!vatNumber.startsWith(state.vatPrefix))
    return { ok: false, problem: `a VAT number of ${country} starts with ${state.vatPrefix} (got "${raw}")` };
  const body = vatNumber.slice(state.vatPrefix.length);
  if (!state.vatBody.test(body))
    return {
      ok: false,
      problem: `"${raw}" is not shaped as a VAT number of ${country} (${state.vatPrefix} then ${describe(state.vatBody)})`,
    };
  if (state.checksum && !state.checksum(body))
    return { ok: false, problem: `"${raw}" fails the check digits of ${country} VAT numbers` };
  return { ok: true, vatNumber };
}

const describe = (pattern: RegExp) => pattern.source.replace(/^\^|\$$/g, '');
