import { ServiceError } from '@temporalio/client';
import type { LightMyRequestResponse } from 'fastify';
import { actionUpdateId } from '../../api/idempotent-actions';
import { ActionBodies } from '../../api/schemas/ticket';
import { apiHarness, expectProblem, type Caller } from '../support/api/harness';

const TICKET = 'VIG-000001';
const entry = { agent: 'marc', start: '2026-05-13T09:00:00+02:00', end: '2026-05-13T09:30:00+02:00', note: 'toner' };

/** What the client throws when Temporal's answer never reaches the API (the Update may or may not have been applied). */
const deadlineExceeded = () =>
  new ServiceError('Workflow Update failed', {
    cause: Object.assign(new Error('4 DEADLINE_EXCEEDED'), { code: 4, details: 'deadline exceeded', metadata: {} }),
  });
/** What the client throws when an Update reaches a run in the very task in which it continues as new (nothing applied). */
const refusedAtTheCut = () =>
  new ServiceError('Workflow Update failed', {
    cause: Object.assign(new Error('9 FAILED_PRECONDITION'), {
      code: 9,
      details: 'Unable to perform workflow execution update due to unexpected workflow task failure.',
      metadata: {},
    }),
  });

/** The answer as a client compares it: the request's own id aside, which names this request's log lines. */
const answerOf = (response: LightMyRequestResponse) => {
  const { requestId: _own, ...body } = response.json();
  return { status: response.statusCode, body };
};

describe('Idempotency-Key on the ticket actions', () => {
  let harness: Awaited<ReturnType<typeof apiHarness>>;

  beforeEach(async () => {
    harness = await apiHarness();
    harness.ticketOf('acme', TICKET);
  });

  const act = (path: string, body: object, key?: string, caller: Caller = 'agent', ticket = TICKET) =>
    harness.call(
      caller,
      'POST',
      `/v1/tickets/${ticket}/${path}`,
      body,
      key === undefined ? {} : { 'idempotency-key': key },
    );
  const logged = () => harness.temporal.updates.filter(({ update }) => update === 'log-time');

  it('answers a retried action with the first answer, marked replayed, and applies it once', async () => {
    const first = await act('time-entries', entry, 'entry-1');
    expect(first.statusCode).toBe(200);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    // The same body, keys in another order.
    const { note, ...rest } = entry;
    const retry = await act('time-entries', { note, ...rest }, 'entry-1');
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(answerOf(retry)).toEqual(answerOf(first));
    expect(logged()).toHaveLength(1);
  });

  it('applies twenty concurrent twins once, and answers each of them the same', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => act('time-entries', entry, 'entry-2')));
    expect(new Set(answers.map((answer) => JSON.stringify(answerOf(answer))))).toEqual(
      new Set([JSON.stringify(answerOf(answers[0]!))]),
    );
    expect(answers[0]!.statusCode).toBe(200);
    expect(logged()).toHaveLength(1);
  });

  it('refuses the same key with another body, ticket or action (422 naming the header) and applies nothing more', async () => {
    await act('time-entries', entry, 'entry-3');
    harness.ticketOf('acme', 'VIG-000002');
    for (const reused of [
      await act('time-entries', { ...entry, note: 'drum' }, 'entry-3'),
      await act('time-entries', entry, 'entry-3', 'agent', 'VIG-000002'),
      await act('reassign', { agent: 'lea', by: 'marc' }, 'entry-3'),
    ]) {
      expectProblem(reused, 422, 'idempotency-key-reused', 'headers.idempotency-key');
      expect(reused.json().errors[0].message).toBe(
        'entry-3 was already used with a different request: use a new key for a new action',
      );
    }
    expect(harness.temporal.updates).toHaveLength(1);
  });

  it("scopes keys to the API key that sent them: another key's same key is another action, under another Update ID", async () => {
    await act('time-entries', entry, 'shared');
    await act('time-entries', entry, 'shared', 'manager');
    expect(logged()).toHaveLength(2);
    expect(actionUpdateId('key-a', 'shared')).not.toBe(actionUpdateId('key-b', 'shared'));
    // Hashed with a separator no key can forge: ("a\nb", "c") and ("a", "b\nc") name different Updates.
    expect(actionUpdateId('a\nb', 'c')).not.toBe(actionUpdateId('a', 'b\nc'));
  });

  it('applies every action without a key, each under an Update ID of its own', async () => {
    await act('time-entries', entry);
    await act('time-entries', entry);
    const ids = logged().map(({ updateId }) => updateId);
    expect(ids).toEqual([expect.any(String), expect.any(String)]);
    expect(new Set(ids).size).toBe(2);
  });

  it("sends the API's own retry at a continue-as-new under the same Update ID, with or without a key", async () => {
    harness.temporal.failNextUpdate(refusedAtTheCut(), { applied: false });
    expect((await act('time-entries', entry)).statusCode).toBe(200);
    harness.temporal.failNextUpdate(refusedAtTheCut(), { applied: false });
    expect((await act('time-entries', entry, 'entry-4')).statusCode).toBe(200);
    const [first, second, third, fourth] = harness.temporal.sentUpdateIds;
    expect([first === second, third === fourth, first === third]).toEqual([true, true, false]);
    expect(logged()).toHaveLength(2);
  });

  it('answers a replayed refusal with the same refusal, even once the action would be accepted', async () => {
    const refused = await act('validate', { contact: 'ana@acme.lu' }, 'validate-1', 'acme');
    expectProblem(refused, 409, 'invalid-transition');
    expect((await act('propose-resolution', { agent: 'marc', resolution: 'Replaced the toner' })).statusCode).toBe(200);

    const replayed = await act('validate', { contact: 'ana@acme.lu' }, 'validate-1', 'acme');
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(answerOf(replayed)).toEqual(answerOf(refused));
    expect(replayed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(harness.temporal.updates.map(({ update }) => update)).toEqual(['propose-resolution']);
  });

  describe('after an answer that was lost (5xx)', () => {
    it('applies the retry once: it reaches the Update the first attempt sent', async () => {
      harness.temporal.failNextUpdate(deadlineExceeded(), { applied: true });
      expect((await act('time-entries', entry, 'entry-5')).statusCode).toBeGreaterThanOrEqual(500);
      expect([...harness.idempotency.actions.values()][0]).not.toHaveProperty('answer');

      const retry = await act('time-entries', entry, 'entry-5');
      expect(retry.statusCode).toBe(200);
      expect(logged()).toHaveLength(1);
    });

    it('applies the retry once even when the ticket continued as new in between: the run that applied it answers', async () => {
      harness.temporal.failNextUpdate(deadlineExceeded(), { applied: true });
      expect((await act('time-entries', entry, 'entry-6')).statusCode).toBeGreaterThanOrEqual(500);
      harness.temporal.continueAsNew(TICKET);

      expect((await act('time-entries', entry, 'entry-6')).statusCode).toBe(200);
      expect(logged()).toHaveLength(1);
    });

    it('applies the retry in the next run when the run it was pinned to ended without it', async () => {
      harness.temporal.failNextUpdate(deadlineExceeded(), { applied: false });
      expect((await act('time-entries', entry, 'entry-7')).statusCode).toBeGreaterThanOrEqual(500);
      const pinned = harness.temporal.runIdOf(TICKET);
      harness.temporal.continueAsNew(TICKET);

      expect((await act('time-entries', entry, 'entry-7')).statusCode).toBe(200);
      expect(logged()).toHaveLength(1);
      expect([...harness.idempotency.actions.values()][0]!.runId).not.toBe(pinned);
      expect([...harness.idempotency.actions.values()][0]!.runId).toBe(harness.temporal.runIdOf(TICKET));
    });
  });

  it('answers an action on a closed ticket 409 under a key, and the same again', async () => {
    harness.temporal.close(TICKET);
    const closed = await act('time-entries', entry, 'entry-8');
    expectProblem(closed, 409, 'ticket-closed');
    expect(answerOf(await act('time-entries', entry, 'entry-8'))).toEqual(answerOf(closed));
  });

  it('records no key for a request refused before it reaches the ticket (bad body, wrong role)', async () => {
    expect((await act('time-entries', { ...entry, zzz: 1 }, 'entry-9')).statusCode).toBe(422);
    expect((await act('time-entries', entry, 'entry-9', 'acme')).statusCode).toBe(403);
    expect(harness.idempotency.actions.size).toBe(0);
    expect((await act('time-entries', entry, 'entry-9')).statusCode).toBe(200);
  });

  it('documents the header on every action in the OpenAPI document', async () => {
    await harness.app.ready();
    const { paths } = harness.app.swagger() as unknown as {
      paths: Record<string, { post?: { parameters?: object[] } }>;
    };
    const headerOf = (path: string) =>
      paths[`/v1/tickets/{number}/${path}`]?.post?.parameters?.find(
        (parameter) => (parameter as { in: string }).in === 'header',
      );
    expect(Object.keys(ActionBodies).filter((path) => !headerOf(path))).toEqual([]);
    expect(headerOf('time-entries')).toMatchObject({
      name: 'idempotency-key',
      required: false,
      schema: { maxLength: 255 },
    });
  });

  it('names the header when the key is unusable', async () => {
    const tooLong = await act('time-entries', entry, 'k'.repeat(256));
    expectProblem(tooLong, 422, 'invalid-request', 'headers.idempotency-key');
  });
});
