/**
 * The EU member states as VAT sees them: the standard rate each applies (in basis points, 1700 = 17 %, so no rate is
 * ever a float) and the shape of its VAT numbers. Greece writes its VAT numbers with EL, not its ISO code GR.
 * Rates as in force in 2026 (Directive 2006/112/EC lets each state set its own; Vigil bills IT support, which every
 * state taxes at its standard rate).
 */
export interface MemberState {
  /** Standard VAT rate in basis points. */
  standardRateBp: number;
  /** The VAT number's prefix: the ISO code, but EL for Greece. */
  vatPrefix: string;
  /** What follows the prefix. */
  vatBody: RegExp;
  /** A check digit rule where the state publishes one Vigil knows; absent: the shape alone is checked. */
  checksum?: (body: string) => boolean;
}

// Belgium: ten digits, the last two are 97 minus the first eight modulo 97.
const belgian = (body: string) => 97 - (Number(body.slice(0, 8)) % 97) === Number(body.slice(8));
// Luxembourg: eight digits, the last two are the first six modulo 89.
const luxembourgish = (body: string) => Number(body.slice(0, 6)) % 89 === Number(body.slice(6));
// France: a two-character key and the SIREN; a numeric key is (12 + 3 × (SIREN mod 97)) mod 97. Letter keys (new
// style) have no published rule: their shape alone is checked.
function french(body: string): boolean {
  const key = body.slice(0, 2);
  if (!/^\d\d$/.test(key)) return true;
  return (12 + 3 * (Number(body.slice(2)) % 97)) % 97 === Number(key);
}

export const MEMBER_STATES: Readonly<Record<string, MemberState>> = {
  AT: { standardRateBp: 2000, vatPrefix: 'AT', vatBody: /^U\d{8}$/ },
  BE: { standardRateBp: 2100, vatPrefix: 'BE', vatBody: /^[01]\d{9}$/, checksum: belgian },
  BG: { standardRateBp: 2000, vatPrefix: 'BG', vatBody: /^\d{9,10}$/ },
  CY: { standardRateBp: 1900, vatPrefix: 'CY', vatBody: /^\d{8}[A-Z]$/ },
  CZ: { standardRateBp: 2100, vatPrefix: 'CZ', vatBody: /^\d{8,10}$/ },
  DE: { standardRateBp: 1900, vatPrefix: 'DE', vatBody: /^\d{9}$/ },
  DK: { standardRateBp: 2500, vatPrefix: 'DK', vatBody: /^\d{8}$/ },
  EE: { standardRateBp: 2400, vatPrefix: 'EE', vatBody: /^\d{9}$/ },
  ES: { standardRateBp: 2100, vatPrefix: 'ES', vatBody: /^[A-Z0-9]\d{7}[A-Z0-9]$/ },
  FI: { standardRateBp: 2550, vatPrefix: 'FI', vatBody: /^\d{8}$/ },
  FR: { standardRateBp: 2000, vatPrefix: 'FR', vatBody: /^[A-HJ-NP-Z0-9]{2}\d{9}$/, checksum: french },
  GR: { standardRateBp: 2400, vatPrefix: 'EL', vatBody: /^\d{9}$/ },
  HR: { standardRateBp: 2500, vatPrefix: 'HR', vatBody: /^\d{11}$/ },
  HU: { standardRateBp: 2700, vatPrefix: 'HU', vatBody: /^\d{8}$/ },
  IE: { standardRateBp: 2300, vatPrefix: 'IE', vatBody: /^(\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W])$/ },
  IT: { standardRateBp: 2200, vatPrefix: 'IT', vatBody: /^\d{11}$/ },
  LT: { standardRateBp: 2100, vatPrefix: 'LT', vatBody: /^(\d{9}|\d{12})$/ },
  LU: { standardRateBp: 1700, vatPrefix: 'LU', vatBody: /^\d{8}$/, checksum: luxembourgish },
  LV: { standardRateBp: 2100, vatPrefix: 'LV', vatBody: /^\d{11}$/ },
  MT: { standardRateBp: 1800, vatPrefix: 'MT', vatBody: /^\d{8}$/ },
  NL: { standardRateBp: 2100, vatPrefix: 'NL', vatBody: /^\d{9}B\d{2}$/ },
  PL: { standardRateBp: 2300, vatPrefix: 'PL', vatBody: /^\d{10}$/ },
  PT: { standardRateBp: 2300, vatPrefix: 'PT', vatBody: /^\d{9}$/ },
  RO: { standardRateBp: 2100, vatPrefix: 'RO', vatBody: /^\d{2,10}$/ },
  SE: { standardRateBp: 2500, vatPrefix: 'SE', vatBody: /^\d{10}01$/ },
  SI: { standardRateBp: 2200, vatPrefix: 'SI', vatBody: /^\d{8}$/ },
  SK: { standardRateBp: 2300, vatPrefix: 'SK', vatBody: /^\d{10}$/ },
};

export const isMemberState = (country: string): boolean => Object.hasOwn(MEMBER_STATES, country);

/** ISO 3166-1 alpha-2: two capital letters. Whether the country exists is not Vigil's to know beyond the EU. */
export const COUNTRY_CODE = /^[A-Z]{2}$/;
