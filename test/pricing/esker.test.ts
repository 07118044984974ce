import { errorOf } from '../support/domain';
import { amounts, item, priceOf } from '../support/pricing';

const halfHour = (facts: object) => item('2026-05-13T10:00:00+02:00', '2026-05-13T10:30:00+02:00', facts);

test('esker: support is included in the contract, its minutes listed at no charge', () => {
  const price = priceOf('esker', { items: [halfHour({ service: 'support' })] });
  expect(amounts(price)).toEqual([[30, 1, 0]]);
  expect(price.totalCents).toBe(0);
});

test.each(['configuration', 'third-party', 'training', 'customer-damage'])(
  'esker: %s is excluded work, billed under a separate contract',
  (service) => {
    expect(
      errorOf(() => priceOf('esker', { items: [halfHour({ service: 'support' }), halfHour({ service })] })),
    ).toMatchObject({
      code: 'WORK_EXCLUDED',
      field: '/items/1/service',
      message: `/items/1/service: "${service}" is outside the esker contract: it is billed under a separate contract`,
    });
  },
);

test('esker: an item without a service is refused', () => {
  expect(errorOf(() => priceOf('esker', { items: [halfHour({})] }))).toMatchObject({
    code: 'RATE_UNKNOWN',
    message: '/items/0/service: missing: policy esker prices by service (expected one of support)',
  });
});
