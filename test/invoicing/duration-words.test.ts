import { durationInWords, hoursAndMinutes, INVOICE_LANGUAGES } from '../../domain/invoicing';

describe('a duration in words, as the desks write it', () => {
  it.each([
    ['en', ['20 h', '13 h 20 min', '45 min', '1 h 05 min']],
    ['fr', ['20 h', '13 h 20', '45 min', '1 h 05']],
    ['de', ['20 Std.', '13 Std. 20 Min.', '45 Min.', '1 Std. 05 Min.']],
    ['nl', ['20 u', '13 u 20 min', '45 min', '1 u 05 min']],
  ] as const)('in %s, without a zero part', (language, said) => {
    expect([1200, 800, 45, 65].map((minutes) => durationInWords(minutes, language))).toEqual(said);
  });

  it('says no time as minutes, and keeps a negative figure’s sign', () => {
    expect(INVOICE_LANGUAGES.map((language) => durationInWords(0, language))).toEqual([
      '0 min',
      '0 min',
      '0 Min.',
      '0 min',
    ]);
    expect(durationInWords(-90, 'en')).toBe('−1 h 30 min');
    expect(durationInWords(-90, 'fr')).toBe('−1 h 30');
  });

  // An invoice's column keeps both parts, in the same units, so that its figures align.
  it('writes both parts for an invoice, in the same units', () => {
    expect(INVOICE_LANGUAGES.map((language) => hoursAndMinutes(45, language))).toEqual([
      '0 h 45 min',
      '0 h 45',
      '0 Std. 45 Min.',
      '0 u 45 min',
    ]);
    expect(hoursAndMinutes(1200, 'fr')).toBe('20 h 00');
  });
});
