import { amounts, item, priceOf } from '../support/pricing';

// econnect: 100 EUR/h by the started minute, 150 EUR emergency fee at opening.
// econnect-maintenance: 95 EUR/h, prepaid maintenance hours drawn first.

describe('econnect emergencies', () => {
  test('150 EUR at ticket opening, then the time at the standard rate', () => {
    const price = priceOf('econnect', {
      emergency: true,
      items: [item('2026-05-13T10:00:00+02:00', '2026-05-13T10:37:00+02:00')],
    });
    // 37 x 10000 / 60 = 6166.67 -> 6167, at x1.
    expect(
      price.lines.map((line) => [line.description, line.minutes, line.rateCents, line.multiplier, line.amountCents]),
    ).toEqual([
      ['Emergency fee, charged at ticket opening', 0, 15_000, 1, 15_000],
      ['Intervention 1, 2026-05-13 10:00–10:37', 37, 10_000, 1, 6167],
    ]);
    expect(price.totalCents).toBe(21_167);
    expect(price.prepaid).toBeNull();
  });

  test('no emergency, no fee; a policy without an emergency fee ignores the flag', () => {
    expect(
      amounts(priceOf('econnect', { items: [item('2026-05-13T10:00:00+02:00', '2026-05-13T10:37:00+02:00')] })),
    ).toEqual([[37, 1, 6167]]);
    expect(priceOf('tm-minimum', { emergency: true, items: [] }).lines).toEqual([]);
  });
});

describe('econnect-maintenance prepaid hours', () => {
  const morning = item('2026-05-13T09:00:00+02:00', '2026-05-13T10:00:00+02:00');
  const afternoon = item('2026-05-13T14:00:00+02:00', '2026-05-13T15:00:00+02:00');

  test('consumed before anything is billed, running out in the middle of an item', () => {
    const price = priceOf('econnect-maintenance', { prepaidMinutes: 90, items: [morning, afternoon] });
    // Morning: 60 min from the 90 prepaid. Afternoon: the last 30 prepaid, then 30 x 9500 / 60 = 4750.
    expect(price.lines.map((line) => [line.description, line.minutes, line.rateCents, line.amountCents])).toEqual([
      ['Intervention 1, 2026-05-13 09:00–10:00, from prepaid hours', 60, 0, 0],
      ['Intervention 2, 2026-05-13 14:00–15:00, from prepaid hours', 30, 0, 0],
      ['Intervention 2, 2026-05-13 14:00–15:00', 30, 9500, 4750],
    ]);
    expect(price.totalCents).toBe(4750);
    expect(price.prepaid).toEqual({ beforeMinutes: 90, usedMinutes: 90, afterMinutes: 0 });
  });

  test('the earliest work draws first, whatever the order of the items', () => {
    const price = priceOf('econnect-maintenance', { prepaidMinutes: 90, items: [afternoon, morning] });
    expect(price.lines.map((line) => [line.description, line.minutes, line.amountCents])).toEqual([
      ['Intervention 2, 2026-05-13 09:00–10:00, from prepaid hours', 60, 0],
      ['Intervention 1, 2026-05-13 14:00–15:00, from prepaid hours', 30, 0],
      ['Intervention 1, 2026-05-13 14:00–15:00', 30, 4750],
    ]);
  });

  test('the balance left is reported; fees are never drawn from it', () => {
    const price = priceOf('econnect-maintenance', {
      emergency: true,
      travelCents: 2000,
      prepaidMinutes: 600,
      items: [item('2026-05-13T09:00:00+02:00', '2026-05-13T09:44:10+02:00')],
    });
    // 45 started minutes from the 600; the 150 EUR fee and 20 EUR travel are charged.
    expect(amounts(price)).toEqual([
      [0, 1, 15_000],
      [45, 1, 0],
      [0, 1, 2000],
    ]);
    expect(price.totalCents).toBe(17_000);
    expect(price.prepaid).toEqual({ beforeMinutes: 600, usedMinutes: 45, afterMinutes: 555 });
  });

  test('without a balance every minute is billed at 95 EUR/h, and the empty balance is still reported', () => {
    const price = priceOf('econnect-maintenance', {
      items: [item('2026-05-13T09:00:00+02:00', '2026-05-13T09:01:00+02:00')],
    });
    // 9500 / 60 = 158.33 -> 158.
    expect(amounts(price)).toEqual([[1, 1, 158]]);
    expect(price.prepaid).toEqual({ beforeMinutes: 0, usedMinutes: 0, afterMinutes: 0 });
  });
});
