import { priceMinutes } from '../../domain/pricing/by-started-minute';

describe('time billed by the started minute', () => {
  it.each([
    [0, 10_000, 0],
    [1, 10_000, 167], // 166.67 rounds up
    [37, 10_000, 6_167], // 6 166.67
    [60, 10_000, 10_000],
    [1, 9_500, 158], // 158.33 rounds down
    [30, 10_001, 5_001], // exactly half a cent rounds away from zero
    [90, 9_500, 14_250],
  ])('%i min at %i c/h = %i c', (minutes, rate, cents) => {
    expect(priceMinutes(minutes, rate)).toBe(cents);
  });

  it('refuses fractional or negative minutes and rates', () => {
    expect(() => priceMinutes(1.5, 10_000)).toThrow('minutes must be a non-negative integer');
    expect(() => priceMinutes(-1, 10_000)).toThrow('minutes must be a non-negative integer');
    expect(() => priceMinutes(1, 99.5)).toThrow('hourlyRateCents must be a non-negative integer');
  });
});
