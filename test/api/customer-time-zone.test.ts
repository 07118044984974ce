import { apiHarness, expectProblem } from '../support/api/harness';

// A customer's own zone (migration 0024), read by activities/ticket-notices.ts (readerOf) for the dates in its mails.
describe("a customer's time zone through the admin API", () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;
  beforeAll(async () => (harness = await apiHarness()));
  const patch = (url: string, body: unknown) =>
    harness.app.inject({
      method: 'PATCH',
      url,
      headers: { authorization: `Bearer ${harness.tokens.admin}` },
      payload: body as object,
    });

  it('is given at creation, changed by PATCH and taken back to the desk with null', async () => {
    const created = await harness.call('admin', 'POST', '/v1/admin/customers', {
      id: 'montreal',
      name: 'Québec Inc',
      language: 'fr',
      timeZone: 'America/Montreal',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ id: 'montreal', timeZone: 'America/Montreal' });

    const moved = await patch('/v1/admin/customers/montreal', { timeZone: 'Europe/Paris' });
    expect(moved.json()).toMatchObject({ timeZone: 'Europe/Paris', language: 'fr' });
    const renamed = await patch('/v1/admin/customers/montreal', { name: 'Québec SA' });
    expect(renamed.json()).toMatchObject({ name: 'Québec SA', timeZone: 'Europe/Paris' });
    const back = await patch('/v1/admin/customers/montreal', { timeZone: null });
    expect(back.statusCode).toBe(200);
    expect(back.json().timeZone).toBeUndefined();
  });

  it.each(['Mars/Olympus_Mons', '+01:00', 'CET/Somewhere', ' '])(
    'refuses %j with 422 naming body.timeZone, on POST and on PATCH',
    async (timeZone) => {
      const created = await harness.call('admin', 'POST', '/v1/admin/customers', {
        id: 'nowhere',
        name: 'Nowhere',
        timeZone,
      });
      expectProblem(created, 422, 'invalid-request', 'body.timeZone');
      expect(await harness.accounts.getCustomer('nowhere')).toBeUndefined();
      const patched = await patch('/v1/admin/customers/acme', { timeZone });
      expectProblem(patched, 422, 'invalid-request', 'body.timeZone');
      expect((await harness.accounts.getCustomer('acme'))?.timeZone).toBeUndefined();
    },
  );
});
