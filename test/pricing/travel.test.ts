import { PricingError } from '../../domain/pricing';
import { described, item, priceOf } from '../support/pricing';

// Travel comes on top as lines of its own: never multiplied, never drawn from prepaid hours or covered by a contract.
describe('travel', () => {
  const onSiteSunday = item('2026-05-17T10:00:00+02:00', '2026-05-17T10:40:00+02:00', {
    role: 'technician',
    onSite: true,
  });

  test('Mixvoip Standard: travel time at the technician rate by the started minute, unmultiplied on a Sunday', () => {
    const price = priceOf('mixvoip-standard', { items: [onSiteSunday], trips: [{ item: 0, minutes: 35 }] });
    // Work: first full hour on site at 104 EUR/h x1.5 outside weekday hours = 15600. Travel: 35 x 10400 / 60 = 6066.67 -> 6067.
    expect(described(price)).toEqual([
      ['Intervention 1 (technician, on site), 2026-05-17 10:00–10:40, outside weekday hours', 60, 1.5, 15_600],
      ['Travel time, intervention 1', 35, 1, 6067],
    ]);
    expect(price.totalCents).toBe(21_667);
  });

  test('tm-minimum: travel at 100 EUR/h on top of the x3 and x2 surcharges, which it does not take', () => {
    const urgent = item('2026-05-13T10:00:00+02:00', '2026-05-13T10:10:00+02:00', {
      urgent: true,
      outOfHoursRequested: true,
    });
    const price = priceOf('tm-minimum', { items: [urgent], trips: [{ item: 0, minutes: 20 }] });
    // Work: the 15-minute minimum x6 = 15 x 10000 x 6 / 60 = 15000. Travel: 20 x 10000 / 60 = 3333.33 -> 3333.
    expect(described(price).map(([, minutes, multiplier, cents]) => [minutes, multiplier, cents])).toEqual([
      [15, 6, 15_000],
      [20, 1, 3333],
    ]);
  });

  test('each trip is its own line, named after its intervention; a policy without a travel rule bills none', () => {
    const morning = item('2026-05-13T09:00:00+02:00', '2026-05-13T09:30:00+02:00', { role: 'cabling', onSite: true });
    const afternoon = item('2026-05-13T14:00:00+02:00', '2026-05-13T14:30:00+02:00', { role: 'cabling', onSite: true });
    const trips = [
      { item: 0, minutes: 12 },
      { item: 1, minutes: 1 },
    ];
    expect(described(priceOf('mixvoip-bureau', { items: [morning, afternoon], trips })).slice(2)).toEqual([
      ['Travel time, intervention 1', 12, 1, 1920],
      ['Travel time, intervention 2', 1, 1, 160],
    ]);
    expect(priceOf('econnect', { items: [], trips }).lines).toEqual([]);
  });

  test('econnect-maintenance prepaid hours never pay for travel', () => {
    const remote = item('2026-05-13T09:00:00+02:00', '2026-05-13T09:30:00+02:00');
    const price = priceOf('econnect-maintenance', {
      prepaidMinutes: 600,
      items: [remote],
      trips: [{ item: 0, minutes: 30 }],
    });
    expect(price.prepaid).toEqual({ beforeMinutes: 600, usedMinutes: 30, afterMinutes: 570 });
    expect(price.totalCents).toBe(0);
  });

  test('a trip of a negative or fractional duration is refused, naming it', () => {
    expect(() => priceOf('tm-minimum', { items: [], trips: [{ item: 0, minutes: 2.5 }] })).toThrow(PricingError);
    expect(() => priceOf('tm-minimum', { items: [], trips: [{ item: 0, minutes: -1 }] })).toThrow('/trips/0/minutes');
  });
});
