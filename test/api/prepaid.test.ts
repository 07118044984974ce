import type { Caller } from '../support/api/harness';
import { apiHarness, expectProblem, NOW } from '../support/api/harness';

const purchase = { minutes: 600, description: '10 h for 2026' };

describe('prepaid hours of a contract', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;
  let acme: string;
  let globex: string;

  beforeAll(async () => {
    harness = await apiHarness();
    ({
      acme: { id: acme },
      globex: { id: globex },
    } = harness.contracts);
  });
  beforeEach(() => (harness.prepaid.purchases.length = 0));

  const url = (contractId: string) => `/v1/contracts/${contractId}/prepaid-hours`;
  const buy = (body: unknown, idempotencyKey?: string, caller: Caller = 'admin', contractId = acme) =>
    harness.call(
      caller,
      'POST',
      url(contractId),
      body,
      idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey },
    );

  describe('POST: record a purchase', () => {
    it('answers 201 with the account, and records a purchase once per Idempotency-Key', async () => {
      const first = await buy(purchase, 'order-2026-1');
      expect(first.statusCode).toBe(201);
      const expected = {
        contractId: acme,
        boughtMinutes: 600,
        usedMinutes: 0,
        expiredMinutes: 0,
        balanceMinutes: 600,
        balanceYear: new Date(NOW).getUTCFullYear(),
        movements: [
          {
            kind: 'purchase',
            minutes: 600,
            year: new Date(NOW).getUTCFullYear(),
            ticketNumber: null,
            description: '10 h for 2026',
            at: new Date(NOW).toISOString(),
            invoiceNumber: null,
          },
        ],
      };
      expect(first.json()).toEqual(expected);
      const retried = await buy(purchase, 'order-2026-1');
      expect({ status: retried.statusCode, body: retried.json() }).toEqual({ status: 201, body: expected });
      expect(harness.prepaid.purchases).toEqual([{ ...purchase, idempotencyKey: 'order-2026-1', contractId: acme }]);
    });

    it('answers 422 naming the header when the Idempotency-Key names another purchase, and records nothing', async () => {
      await buy(purchase, 'order-2026-9');
      expectProblem(
        await buy({ ...purchase, minutes: 1200 }, 'order-2026-9'),
        422,
        'idempotency-key-reused',
        'headers.idempotency-key',
      );
      expect(harness.prepaid.purchases.filter(({ idempotencyKey }) => idempotencyKey === 'order-2026-9')).toEqual([
        { ...purchase, idempotencyKey: 'order-2026-9', contractId: acme },
      ]);
    });

    it('records purchases without a key as distinct ones', async () => {
      await buy(purchase);
      await buy(purchase);
      expect(harness.prepaid.purchases).toHaveLength(2);
      expect(new Set(harness.prepaid.purchases.map(({ idempotencyKey }) => idempotencyKey)).size).toBe(2);
    });

    it('answers 401 without a key', async () => {
      expectProblem(await harness.call(undefined, 'POST', url(acme), purchase), 401, 'unauthorized');
      expect(harness.prepaid.purchases).toEqual([]);
    });

    it.each(['agent', 'manager', 'customer'] as Caller[])(
      'answers 403 to a %s key and records nothing',
      async (caller) => {
        const response = await buy(purchase, undefined, caller);
        expectProblem(response, 403, 'forbidden');
        expect(response.json().detail).toContain('the role admin');
        expect(harness.prepaid.purchases).toEqual([]);
      },
    );

    it('answers 404 for an unknown contract', async () => {
      expectProblem(await buy(purchase, undefined, 'admin', '999999'), 404, 'not-found');
      expect(harness.prepaid.purchases).toEqual([]);
    });

    it.each([
      [{ description: '10 h' }, 'body.minutes'],
      [{ ...purchase, minutes: 0 }, 'body.minutes'],
      [{ ...purchase, minutes: 1.5 }, 'body.minutes'],
      [{ minutes: 600 }, 'body.description'],
      [{ ...purchase, description: '' }, 'body.description'],
      [{ ...purchase, priceCents: 100 }, 'body.priceCents'],
    ])('answers 422 to %j naming %s, and records nothing', async (body, field) => {
      expectProblem(await buy(body), 422, 'invalid-request', field);
      expect(harness.prepaid.purchases).toEqual([]);
    });

    it('answers 422 naming params.id for a contract id that is no number, and headers.idempotency-key for an empty key', async () => {
      expectProblem(await buy(purchase, undefined, 'admin', 'abc'), 422, 'invalid-request', 'params.id');
      expectProblem(await buy(purchase, ''), 422, 'invalid-request', 'headers.idempotency-key');
      expect(harness.prepaid.purchases).toEqual([]);
    });
  });

  describe('GET: the balance', () => {
    it.each(['admin', 'agent', 'manager', 'customer'] as Caller[])(
      "shows the acme contract's account to a %s key",
      async (caller) => {
        const response = await harness.call(caller, 'GET', url(acme));
        expect(response.statusCode).toBe(200);
        expect(response.json()).toEqual({
          contractId: acme,
          boughtMinutes: expect.any(Number),
          usedMinutes: 0,
          expiredMinutes: 0,
          balanceMinutes: expect.any(Number),
          balanceYear: expect.any(Number),
          movements: expect.any(Array),
        });
      },
    );

    it("answers 404 to a customer key for another company's contract, exactly as for a missing one", async () => {
      const other = await harness.call('acme', 'GET', url(globex));
      const missing = await harness.call('acme', 'GET', url('999999'));
      expectProblem(other, 404, 'not-found');
      const { requestId: _other, ...seen } = other.json();
      const { requestId: _missing, ...absent } = JSON.parse(missing.body.replace('999999', globex));
      expect(seen).toEqual(absent);
      expect((await harness.call('globex', 'GET', url(globex))).statusCode).toBe(200);
    });

    it('answers 404 to staff for an unknown contract, 401 without a key, 422 naming params.id for an id no contract has', async () => {
      expectProblem(await harness.call('agent', 'GET', url('999999')), 404, 'not-found');
      expectProblem(await harness.call(undefined, 'GET', url(acme)), 401, 'unauthorized');
      expectProblem(await harness.call('agent', 'GET', url('0')), 422, 'invalid-request', 'params.id');
    });
  });
});
