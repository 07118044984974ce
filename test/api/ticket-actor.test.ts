import { checkCommand } from '../../domain/ticket/commands';
import { MAIL_FROM_HEADER } from '../../messages/principal';
import { apiHarness, expectProblem, openingBody } from '../support/api/harness';

// Who acts is who is authenticated: the workflow gets the caller's name, its id and the channel as the actor of every
// action, whatever the body says (test/support/api/harness.ts labels its keys '<role or customer> key').
describe('the actor of an action is the API key, never the body', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;
  const sent = (number: string) =>
    harness.temporal.updates
      .filter((update) => update.ticketNumber === number)
      .map(({ update, command }) => ({ update, command }));

  beforeEach(async () => {
    harness = await apiHarness();
  });

  it('ignores an actor the body names: an agent key cannot act as "marc", nor a customer key validate as another contact', async () => {
    harness.ticketOf('acme', 'VIG-000001', 'acknowledgement');
    expect(
      (await harness.call('agent', 'POST', '/v1/tickets/VIG-000001/take-charge', { agent: 'marc' })).statusCode,
    ).toBe(200);
    harness.ticketOf('acme', 'VIG-000002', 'validation');
    expect(
      (
        await harness.call('acme', 'POST', '/v1/tickets/VIG-000002/validate', {
          contact: 'boss@acme.lu',
          comment: 'fine',
        })
      ).statusCode,
    ).toBe(200);
    harness.ticketOf('acme', 'VIG-000003');
    expect(
      (await harness.call('manager', 'POST', '/v1/tickets/VIG-000003/cancel', { by: 'the-ceo', reason: 'duplicate' }))
        .statusCode,
    ).toBe(200);
    expect([...sent('VIG-000001'), ...sent('VIG-000002'), ...sent('VIG-000003')]).toEqual([
      { update: 'take-charge', command: harness.actingOf('agent') },
      { update: 'validate', command: { ...harness.actingOf('acme'), comment: 'fine' } },
      { update: 'cancel', command: { ...harness.actingOf('manager'), reason: 'duplicate' } },
    ]);
  });

  // A key's label or a person's name saved when a line separator was not yet a line break (domain/text.ts): the API
  // took the action, and the workflow's check of the command refused its actor, a field the caller never sent.
  it.each([
    ['a line separator', 'desk\u2028bot'],
    ['a paragraph separator', 'desk\u2029bot'],
  ])(
    'sends an actor the workflow takes for a key labelled with %s before such labels were refused',
    async (_separator, label) => {
      const { token } = await harness.accounts.createApiKey({ role: 'agent', label });
      harness.ticketOf('acme', 'VIG-000001', 'acknowledgement');
      const answer = await harness.app.inject({
        method: 'POST',
        url: '/v1/tickets/VIG-000001/take-charge',
        headers: { authorization: `Bearer ${token}` },
        payload: {},
      });
      expect(answer.statusCode).toBe(200);
      const [first] = sent('VIG-000001');
      expect(first?.command).toMatchObject({ actor: 'desk bot', channel: 'api' });
      expect(() => checkCommand('take-charge', first?.command)).not.toThrow();
    },
  );

  it("records who opened a ticket from the key, not from the body's contact", async () => {
    const opened = await harness.call('agent', 'POST', '/v1/tickets', { ...openingBody, customerId: 'acme' });
    expect(opened.statusCode).toBe(201);
    expect(harness.temporal.started[0]!.openedBy).toEqual(harness.actingOf('agent'));
    const { actor, actorId, channel } = harness.actingOf('agent');
    expect(opened.json().events[0]).toEqual({ at: expect.any(String), type: 'opened', by: actor, actorId, channel });
    expect(opened.json().contact).toEqual(openingBody.contact);
  });

  it("takes reassign's agent as the one the ticket goes to, the key as the one who hands it over", async () => {
    harness.ticketOf('acme', 'VIG-000004');
    expect(
      (await harness.call('manager', 'POST', '/v1/tickets/VIG-000004/reassign', { agent: 'julie', by: 'someone-else' }))
        .statusCode,
    ).toBe(200);
    expect(sent('VIG-000004')).toEqual([
      { update: 'reassign', command: { agent: 'julie', ...harness.actingOf('manager') } },
    ]);
  });

  it('takes a body without any actor, and documents the old actor fields as deprecated', async () => {
    harness.ticketOf('acme', 'VIG-000005', 'acknowledgement');
    expect((await harness.call('agent', 'POST', '/v1/tickets/VIG-000005/take-charge', {})).statusCode).toBe(200);
    await harness.app.ready();
    const document = harness.app.swagger() as unknown as {
      paths: Record<
        string,
        {
          post: {
            requestBody: {
              content: Record<string, { schema: { properties: Record<string, { deprecated?: boolean }> } }>;
            };
          };
        }
      >;
    };
    const body =
      document.paths['/v1/tickets/{number}/take-charge']!.post.requestBody.content['application/json']!.schema;
    expect(body.properties.agent).toMatchObject({ deprecated: true });
    // Who acts is never a field of the body.
    expect(Object.keys(body.properties).filter((field) => ['actor', 'actorId', 'channel'].includes(field))).toEqual([]);
  });
});

describe('the inbound mail key acts for the sender of the mail it relays, and no other key may', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;
  let relay: string;
  const asRelay = (method: 'POST', url: string, body: object, headers: Record<string, string>) =>
    harness.app.inject({ method, url, payload: body, headers: { authorization: `Bearer ${relay}`, ...headers } });

  beforeEach(async () => {
    harness = await apiHarness();
    relay = (await harness.accounts.createApiKey({ role: 'agent', label: 'inbound mail', mailRelay: true })).token;
  });

  it("records a mail's reply as its sender's, channel email", async () => {
    harness.ticketOf('acme', 'VIG-000001', 'waiting');
    const answer = await asRelay(
      'POST',
      '/v1/tickets/VIG-000001/customer-reply',
      { message: 'FortiClient 7.2' },
      { [MAIL_FROM_HEADER]: 'Ana@Acme.lu' },
    );
    expect(answer.statusCode).toBe(200);
    expect(harness.temporal.updates.map(({ command }) => command)).toEqual([
      { actor: 'ana@acme.lu', actorId: 'contact:ana@acme.lu', channel: 'email', message: 'FortiClient 7.2' },
    ]);
  });

  it('records a ticket opened by mail as opened by its sender', async () => {
    const opened = await asRelay(
      'POST',
      '/v1/tickets',
      { ...openingBody, customerId: 'acme' },
      { [MAIL_FROM_HEADER]: 'ana@acme.lu' },
    );
    expect(opened.statusCode).toBe(201);
    expect(harness.temporal.started[0]!.openedBy).toEqual({
      actor: 'ana@acme.lu',
      actorId: 'contact:ana@acme.lu',
      channel: 'email',
    });
  });

  it('refuses 403 the header from any other key: an agent key cannot act as a contact', async () => {
    harness.ticketOf('acme', 'VIG-000001', 'waiting');
    const refused = await harness.call(
      'agent',
      'POST',
      '/v1/tickets/VIG-000001/customer-reply',
      { message: 'ok' },
      { [MAIL_FROM_HEADER]: 'ana@acme.lu' },
    );
    expectProblem(refused, 403, 'forbidden');
    expect(refused.json().detail).toContain(MAIL_FROM_HEADER);
    expectProblem(
      await harness.call('customer', 'POST', '/v1/tickets', openingBody, { [MAIL_FROM_HEADER]: 'boss@acme.lu' }),
      403,
      'forbidden',
    );
    expect(harness.temporal.updates).toEqual([]);
    expect(harness.temporal.started).toEqual([]);
  });

  it('refuses 422 a header that is not one address, and acts as the key without it', async () => {
    harness.ticketOf('acme', 'VIG-000001', 'waiting');
    expectProblem(
      await asRelay(
        'POST',
        '/v1/tickets/VIG-000001/customer-reply',
        { message: 'ok' },
        { [MAIL_FROM_HEADER]: 'Ana <ana@acme.lu>, bo@acme.lu' },
      ),
      422,
      'invalid-request',
      `headers.${MAIL_FROM_HEADER}`,
    );
    expect(
      (await asRelay('POST', '/v1/tickets/VIG-000001/customer-reply', { message: 'by phone' }, {})).statusCode,
    ).toBe(200);
    expect(harness.temporal.updates.map(({ command }) => command)).toEqual([
      { actor: 'inbound mail', actorId: expect.stringMatching(/^key:/), channel: 'api', message: 'by phone' },
    ]);
  });

  it('keeps mail relaying to agent keys made on the command line: the admin API makes none', async () => {
    await expect(
      harness.accounts.createApiKey({ role: 'admin', label: 'relay', mailRelay: true }),
    ).rejects.toMatchObject({ code: 'INVALID_FIELD', field: 'mailRelay' });
    expectProblem(
      await harness.call('admin', 'POST', '/v1/admin/api-keys', { role: 'agent', label: 'relay', mailRelay: true }),
      422,
      'invalid-request',
    );
  });
});
