import { consoleHarness } from '../support/api/console-harness';
import { expectProblem, NOW } from '../support/api/harness';

type Harness = Awaited<ReturnType<typeof consoleHarness>>;

// People who sign in to the console, managed through /v1/admin/users (api/routes/users.ts) by admins only.
describe('the admin API of people', () => {
  let harness: Harness;
  beforeEach(async () => (harness = await consoleHarness()));

  const admin = (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) =>
    harness.call('admin', method, url, body);

  it.each([
    ['GET', '/v1/admin/users/1'],
    ['PATCH', '/v1/admin/users/1'],
    ['POST', '/v1/admin/users/1/enable'],
    ['POST', '/v1/admin/users/1/password-reset'],
    ['POST', '/v1/admin/users/1/sign-in-link'],
  ] as const)('%s %s answers 403 to agents, managers and customers', async (method, url) => {
    for (const caller of ['agent', 'manager', 'customer'] as const) {
      const response = await harness.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${harness.tokens[caller]}` },
        ...(method === 'PATCH' ? { payload: { name: 'X' } } : {}),
      });
      expectProblem(response, 403, 'forbidden');
    }
  });

  it("lists one customer's contacts, and shows one person with the links an admin acts by", async () => {
    const listed = await admin('GET', '/v1/admin/users?customer=acme');
    expect(listed.json().users.map((user: { email: string }) => user.email)).toEqual(['carla@acme.lu']);
    const carla = harness.staff.customer;
    expect((await admin('GET', `/v1/admin/users/${carla.id}`)).json()).toMatchObject({
      email: 'carla@acme.lu',
      links: {
        self: `/v1/admin/users/${carla.id}`,
        enable: `/v1/admin/users/${carla.id}/enable`,
        signInLink: `/v1/admin/users/${carla.id}/sign-in-link`,
      },
    });
    expect((await admin('GET', `/v1/admin/users/${harness.staff.agent.id}`)).json().links.signInLink).toBeUndefined();
    expectProblem(await admin('GET', '/v1/admin/users/999'), 404, 'not-found');
  });

  it('refuses the name of a person of white space alone, on adding them and on renaming them, naming it', async () => {
    const rule =
      'must be one line of text other than white space and invisible characters alone, without control characters, bidirectional controls or unpaired surrogates';
    const added = await harness.call(
      'admin',
      'POST',
      '/v1/admin/users',
      { email: 'dan@acme.lu', name: ' \u00a0 ', role: 'customer', customerId: 'acme' },
      { 'idempotency-key': 'dan' },
    );
    expectProblem(added, 422, 'invalid-request');
    expect(added.json().errors).toEqual([{ field: 'body.name', message: rule }]);
    const renamed = await admin('PATCH', `/v1/admin/users/${harness.staff.customer.id}`, { name: '\u3000' });
    expect(renamed.json().errors).toEqual([{ field: 'body.name', message: rule }]);
    const listed = await admin('GET', '/v1/admin/users?customer=acme');
    expect(listed.json().users.map((user: { email: string; name: string }) => user.email)).toEqual(['carla@acme.lu']);
  });

  it('changes a role: a staff role alone takes the company away, a customer role needs one that exists', async () => {
    const { id } = harness.staff.customer;
    const agent = (await admin('PATCH', `/v1/admin/users/${id}`, { role: 'agent' })).json();
    expect([agent.role, agent.customerId]).toEqual(['agent', undefined]);
    expectProblem(
      await admin('PATCH', `/v1/admin/users/${id}`, { role: 'customer' }),
      422,
      'invalid-request',
      'body.customerId',
    );
    expectProblem(
      await admin('PATCH', `/v1/admin/users/${id}`, { role: 'customer', customerId: 'nobody' }),
      422,
      'invalid-request',
      'body.customerId',
    );
    expectProblem(
      await admin('PATCH', `/v1/admin/users/${id}`, { customerId: 'acme' }),
      422,
      'invalid-request',
      'body.customerId',
    );
    expect(
      (
        await admin('PATCH', `/v1/admin/users/${id}`, {
          role: 'customer',
          customerId: 'globex',
          language: 'fr',
          name: ' Carla C. ',
        })
      ).json(),
    ).toMatchObject({
      role: 'customer',
      customerId: 'globex',
      language: 'fr',
      name: 'Carla C.',
    });
    expect((await admin('PATCH', `/v1/admin/users/${id}`, { language: null })).json().language).toBeUndefined();
    expectProblem(await admin('PATCH', `/v1/admin/users/${id}`, {}), 422, 'invalid-request');
    expectProblem(await admin('PATCH', `/v1/admin/users/${id}`, { email: 'x@y.lu' }), 422, 'invalid-request');
    // The new role applies to the person's next request: the session reads it.
    const session = await harness.people.sessions.resolve(harness.staff.customer.cookie.split('=')[1]!, NOW);
    expect(session).toMatchObject({ role: 'customer', customerId: 'globex' });
  });

  it('disables and enables a person; disabling ends their sessions, enabling starts none', async () => {
    const { id, cookie } = harness.staff.agent;
    expect((await admin('POST', `/v1/admin/users/${id}/disable`)).json().disabledAt).toEqual(expect.any(String));
    expect((await harness.page(harness.staff.agent, 'GET', '/console/')).statusCode).toBe(303);
    const enabled = await admin('POST', `/v1/admin/users/${id}/enable`);
    expect([enabled.statusCode, enabled.json().disabledAt]).toEqual([200, undefined]);
    expect(await harness.people.sessions.resolve(cookie.split('=')[1]!, NOW)).toBeUndefined();
    expectProblem(await admin('POST', '/v1/admin/users/999/enable'), 404, 'not-found');
  });

  it('mails a password reset or, to a customer contact, a sign-in link: the answer never holds the link', async () => {
    const carla = harness.staff.customer;
    const reset = await admin('POST', `/v1/admin/users/${harness.staff.agent.id}/password-reset`);
    expect(reset.statusCode).toBe(202);
    expect(reset.json()).toEqual({
      userId: harness.staff.agent.id,
      sentTo: 'ines@desk.test',
      expiresAt: new Date(NOW + 60 * 60_000).toISOString(),
    });
    const link = await admin('POST', `/v1/admin/users/${carla.id}/sign-in-link`);
    expect([link.statusCode, link.json().expiresAt]).toEqual([202, new Date(NOW + 15 * 60_000).toISOString()]);
    expect(harness.people.mails.map(({ kind, recipient }) => [kind, recipient])).toEqual([
      ['console-password-reset', 'ines@desk.test'],
      ['console-sign-in-link', 'carla@acme.lu'],
    ]);
    const token = /\/console\/link\/([A-Za-z0-9_-]{43})/.exec(harness.people.mails[1]!.body)![1]!;
    expect(link.body).not.toContain(token);
    expect(await harness.people.signInTokens.isLive(token, 'sign-in', NOW)).toBe(true);
    // The contact's company speaks French: so does the mail, the person having chosen no language.
    await harness.accounts.updateCustomer('acme', { language: 'fr' });
    await admin('POST', `/v1/admin/users/${carla.id}/sign-in-link`);
    expect(harness.people.mails[2]!.subject).toBe('Votre lien de connexion au support Vigil');

    const staffLink = await admin('POST', `/v1/admin/users/${harness.staff.agent.id}/sign-in-link`);
    expectProblem(staffLink, 409, 'not-a-customer-contact');
    await admin('POST', `/v1/admin/users/${carla.id}/disable`);
    expectProblem(await admin('POST', `/v1/admin/users/${carla.id}/password-reset`), 409, 'user-disabled');
    expect(harness.people.mails).toHaveLength(3);
  });

  it('mails one link per Idempotency-Key: the retry gets the first answer again, marked replayed', async () => {
    const reset = () =>
      harness.call('admin', 'POST', `/v1/admin/users/${harness.staff.agent.id}/password-reset`, undefined, {
        'idempotency-key': 'reset-1',
      });
    const first = await reset();
    const again = await reset();
    expect([first.statusCode, again.statusCode, again.headers['idempotent-replayed']]).toEqual([202, 202, 'true']);
    expect(again.json()).toEqual(first.json());
    expect(harness.people.mails).toHaveLength(1);
  });

  it('refuses the key of a link sent again for another person or link, 422 asking for a new key for a new link', async () => {
    const send = (id: string, link: string) =>
      harness.call('admin', 'POST', `/v1/admin/users/${id}/${link}`, undefined, { 'idempotency-key': 'link-1' });
    expect((await send(harness.staff.agent.id, 'password-reset')).statusCode).toBe(202);
    for (const [id, link] of [
      [harness.staff.manager.id, 'password-reset'],
      [harness.staff.customer.id, 'sign-in-link'],
    ] as const) {
      const other = await send(id, link);
      expect([other.statusCode, other.json().errors]).toEqual([
        422,
        [
          {
            field: 'headers.idempotency-key',
            message: 'link-1 was already used with a different request: use a new key for a new link',
          },
        ],
      ]);
    }
    expect(harness.people.mails).toHaveLength(1);
  });
});
