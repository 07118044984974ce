import { DEFAULT_BACKOFF, retryDelayMs } from '../../mail/backoff';

describe('the outbox retry schedule', () => {
  it('doubles from 2 s up to 15 min, then stays there', () => {
    const delays = Array.from({ length: 12 }, (_, index) => retryDelayMs(index + 1));
    expect(delays).toEqual([
      2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 512_000, 900_000, 900_000, 900_000,
    ]);
  });

  it('gives up after the last attempt: the row is then failed for good', () => {
    expect(retryDelayMs(DEFAULT_BACKOFF.maxAttempts - 1)).toBe(900_000);
    expect(retryDelayMs(DEFAULT_BACKOFF.maxAttempts)).toBeUndefined();
    expect(retryDelayMs(10_000)).toBeUndefined();
  });

  it('lets an SMTP server be away for hours before a notice fails', () => {
    const total = Array.from({ length: DEFAULT_BACKOFF.maxAttempts - 1 }, (_, index) =>
      retryDelayMs(index + 1)!,
    ).reduce((sum, delay) => sum + delay, 0);
    expect(total / 3_600_000).toBeGreaterThan(4);
    expect(total / 3_600_000).toBeLessThan(6);
  });

  it('never overflows with a large count and a policy of many attempts', () => {
    expect(retryDelayMs(5_000, { firstDelayMs: 1_000, maxDelayMs: 60_000, maxAttempts: 1_000_000 })).toBe(60_000);
  });
});
