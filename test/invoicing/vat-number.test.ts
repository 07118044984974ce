import { checkVatNumber } from '../../domain/invoicing/vat-number';
import { isStructuredCommunication, structuredCommunication } from '../../domain/invoicing/structured-communication';
import { ConfigError, configFromEnv } from '../../infra/config';
import { DEMO_SELLER, isIban, sellerFromEnv } from '../../infra/seller';

describe('VAT numbers per country', () => {
  it.each([
    ['BE0403170701', 'BE', 'BE0403170701'],
    ['be 0403.170.701', 'BE', 'BE0403170701'],
    ['LU15027442', 'LU', 'LU15027442'],
    ['FR40303265045', 'FR', 'FR40303265045'],
    ['DE123456789', 'DE', 'DE123456789'],
    ['NL123456789B01', 'NL', 'NL123456789B01'],
    ['EL123456789', 'GR', 'EL123456789'],
  ])('takes %s (%s)', (raw, country, normalised) => {
    expect(checkVatNumber(raw, country)).toEqual({ ok: true, vatNumber: normalised });
  });

  it.each([
    ['BE0403170702', 'BE', 'check digits'],
    ['LU15027443', 'LU', 'check digits'],
    ['FR41303265045', 'FR', 'check digits'],
    ['LU1502744', 'LU', 'not shaped'],
    ['BE0403170701', 'LU', 'starts with LU'],
    ['GR123456789', 'GR', 'starts with EL'],
    ['<script>', 'CH', 'not a tax number'],
  ])('refuses %s for %s, saying why', (raw, country, why) => {
    const check = checkVatNumber(raw, country);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.problem).toContain(why);
  });
});

describe('the Belgian structured communication', () => {
  it('is the invoice year and sequence with their mod 97 check digits', () => {
    // 2026000001 mod 97 = 2026000001 - 97 × 20886597 = 92.
    expect(structuredCommunication('INV-2026-000001')).toBe('+++202/6000/00192+++');
    expect(isStructuredCommunication('+++202/6000/00192+++')).toBe(true);
    expect(isStructuredCommunication('+++202/6000/00193+++')).toBe(false);
  });

  it('writes 97 when the reference is a multiple of 97', () => {
    // The first multiple of 97 after 2026000000: its check is 97, never 00.
    const multiple = (2026000000n + (97n - (2026000000n % 97n))) % 10_000_000_000n;
    const sequence = String(multiple - 2026000000n).padStart(6, '0');
    expect(structuredCommunication(`INV-2026-${sequence}`).endsWith('97+++')).toBe(true);
  });

  it('holds its check for every sequence of a year', () => {
    for (let sequence = 1; sequence < 5000; sequence += 7) {
      expect(isStructuredCommunication(structuredCommunication(`INV-2027-${String(sequence).padStart(6, '0')}`))).toBe(
        true,
      );
    }
  });
});

describe("the desk's identity, from the environment", () => {
  const env = {
    VIGIL_SELLER_NAME: 'Desk SA',
    VIGIL_SELLER_STREET: 'Rue Royale 1',
    VIGIL_SELLER_POSTAL_CODE: '1000',
    VIGIL_SELLER_CITY: 'Bruxelles',
    VIGIL_SELLER_COUNTRY: 'BE',
    VIGIL_SELLER_VAT_NUMBER: 'BE0403170701',
    VIGIL_SELLER_COMPANY_NUMBER: '0403.170.701',
    VIGIL_SELLER_IBAN: 'BE68 5390 0754 7034',
    VIGIL_SELLER_BIC: 'GKCCBEBB',
  };

  it('is the demo desk when none is configured, and the configured one otherwise', () => {
    expect(sellerFromEnv({})).toBe(DEMO_SELLER);
    expect(isIban(DEMO_SELLER.iban)).toBe(true);
    expect(sellerFromEnv(env)).toMatchObject({ country: 'BE', iban: 'BE68539007547034', paymentDays: 30 });
  });

  it.each([
    ['VIGIL_SELLER_STREET', '', 'VIGIL_SELLER_STREET is not set'],
    ['VIGIL_SELLER_VAT_NUMBER', 'BE0403170702', 'VIGIL_SELLER_VAT_NUMBER: "BE0403170702" fails the check digits'],
    ['VIGIL_SELLER_IBAN', 'BE68539007547035', 'VIGIL_SELLER_IBAN is not an IBAN'],
    ['VIGIL_SELLER_COUNTRY', 'CH', 'VIGIL_SELLER_COUNTRY must be'],
    ['VIGIL_SELLER_PAYMENT_DAYS', '-3', 'VIGIL_SELLER_PAYMENT_DAYS must be'],
    ['VIGIL_SELLER_BIC', 'GK', 'VIGIL_SELLER_BIC must be'],
  ])('refuses to start on a wrong %s, naming it', (name, value, message) => {
    expect(() => sellerFromEnv({ ...env, [name]: value })).toThrow(message);
  });

  it('stops the API and the worker at start through their configuration, naming the variable', () => {
    const start = () =>
      configFromEnv({ DATABASE_URL: 'postgres://localhost/vigil', ...env, VIGIL_SELLER_IBAN: 'LU00 0000' });
    expect(start).toThrow(ConfigError);
    expect(start).toThrow("VIGIL_SELLER_IBAN is not an IBAN (its check digits fail), got 'LU000000'");
    expect(configFromEnv({ DATABASE_URL: 'postgres://localhost/vigil', ...env }).seller.vatNumber).toBe('BE0403170701');
  });
});
