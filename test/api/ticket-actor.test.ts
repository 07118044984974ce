import { apiHarness } from '../support/api/harness';

// Who acts is who is authenticated: the workflow gets the API key's label as the actor of every action, whatever
// the body says (test/support/api/harness.ts labels its keys '<role or customer> key').
describe('the actor of an action is the API key, never the body', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;
  const sent = (number: string) => harness.temporal.updates.filter((update) => update.ticketNumber === number).map(({ update, command }) => ({ update, command }));

  beforeEach(async () => {
    harness = await apiHarness();
  });

  it('ignores an actor the body names: an agent key cannot act as "marc", nor a customer key validate as another contact', async () => {
    harness.ticketOf('acme', 'VIG-000001', 'acknowledgement');
    expect((await harness.call('agent', 'POST', '/v1/tickets/VIG-000001/take-charge', { agent: 'marc' })).statusCode).toBe(200);
    harness.ticketOf('acme', 'VIG-000002', 'validation');
    expect((await harness.call('acme', 'POST', '/v1/tickets/VIG-000002/validate', { contact: 'boss@acme.lu', comment: 'fine' })).statusCode).toBe(200);
    harness.ticketOf('acme', 'VIG-000003');
    expect((await harness.call('manager', 'POST', '/v1/tickets/VIG-000003/cancel', { by: 'the-ceo', reason: 'duplicate' })).statusCode).toBe(200);
    expect([...sent('VIG-000001'), ...sent('VIG-000002'), ...sent('VIG-000003')]).toEqual([
      { update: 'take-charge', command: { actor: 'agent key' } },
      { update: 'validate', command: { actor: 'acme key', comment: 'fine' } },
      { update: 'cancel', command: { actor: 'manager key', reason: 'duplicate' } },
    ]);
  });

  it("takes reassign's agent as the one the ticket goes to, the key as the one who hands it over", async () => {
    harness.ticketOf('acme', 'VIG-000004');
    expect((await harness.call('manager', 'POST', '/v1/tickets/VIG-000004/reassign', { agent: 'julie', by: 'someone-else' })).statusCode).toBe(200);
    expect(sent('VIG-000004')).toEqual([{ update: 'reassign', command: { agent: 'julie', actor: 'manager key' } }]);
  });

  it('takes a body without any actor, and documents the old actor fields as deprecated', async () => {
    harness.ticketOf('acme', 'VIG-000005', 'acknowledgement');
    expect((await harness.call('agent', 'POST', '/v1/tickets/VIG-000005/take-charge', {})).statusCode).toBe(200);
    await harness.app.ready();
    const document = harness.app.swagger() as unknown as { paths: Record<string, { post: { requestBody: { content: Record<string, { schema: { properties: Record<string, { deprecated?: boolean }> } }> } } }> };
    const body = document.paths['/v1/tickets/{number}/take-charge']!.post.requestBody.content['application/json']!.schema;
    expect(body.properties.agent).toMatchObject({ deprecated: true });
  });
});
