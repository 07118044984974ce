import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app';
import { ticketWorkflowId, type OpenTicketInput, TICKET_UPDATES } from '../../messages/ticket';
import { apiStores } from '../../db/api-stores';
import type { IdempotencyStore } from '../../db/idempotency';
import { ticketNumberAllocator } from '../../db/ticket-numbers';
import { ticketWorkflow } from '../../workflows';
import { E2E_TEMPORAL_DEADLINE_MS, eventually, type Stack, startStack } from '../support/e2e/stack';

jest.setTimeout(180_000);

// On the real dev server: an action sent again under its Idempotency-Key (a client's retry, a
// concurrent twin, a retry after a 5xx, a retry after the ticket continued as new) is applied once.
describe('Idempotency-Key on the ticket actions', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('action-idempotency');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function post(
    path: string,
    body: unknown,
    key?: string,
    as: 'agent' | 'customer' = 'agent',
    baseUrl = stack.baseUrl,
  ) {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: {
        ...stack.auth(as),
        'content-type': 'application/json',
        ...(key === undefined ? {} : { 'idempotency-key': key }),
      },
      body: JSON.stringify(body),
    });
    const { requestId: _own, ...answer } = (await response.json()) as Record<string, unknown>;
    return { status: response.status, replayed: response.headers.get('idempotent-replayed') === 'true', body: answer };
  }

  const ticketOf = async (number: string) =>
    (await (await fetch(`${stack.baseUrl}/tickets/${number}`, { headers: stack.auth('agent') })).json()) as Record<
      string,
      any
    >;

  const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
  const entry = { agent: 'marc', start: hoursAgo(3), end: hoursAgo(2), note: 'replaced the toner' };

  /** A ticket taken in charge; with a history budget, it continues as new every few actions. */
  async function ticketInSupport(historyEventsBeforeContinueAsNew?: number): Promise<string> {
    const ticketNumber = await ticketNumberAllocator(stack.db)();
    const input: OpenTicketInput = {
      ticketNumber,
      customerId: stack.customerId,
      policyId: 'econnect',
      kind: 'incident',
      priority: 'P3',
      title: 'Printer down',
      description: 'Blank pages.',
      contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
    };
    const handle = await stack.temporal.workflow.start(ticketWorkflow, {
      taskQueue: stack.taskQueue,
      workflowId: ticketWorkflowId(ticketNumber),
      args: [input, undefined, { historyEventsBeforeContinueAsNew }],
    });
    await handle.executeUpdate(TICKET_UPDATES['take-charge'], { args: [{ actor: 'marc' }] });
    return ticketNumber;
  }

  const runIdOf = async (number: string) =>
    (await stack.temporal.workflow.getHandle(ticketWorkflowId(number)).describe()).runId;

  /** Keyless actions until the ticket's run has continued as new. */
  async function continueAsNew(number: string): Promise<void> {
    const before = await runIdOf(number);
    let round = 0;
    const after = await eventually(
      async () => {
        expect(
          (await post(`/tickets/${number}/reassign`, { agent: `agent-${(round += 1)}`, by: 'desk-lead' })).status,
        ).toBe(200);
        return runIdOf(number);
      },
      (runId) => runId !== before,
    );
    expect(after).not.toBe(before);
  }

  it('applies the same time entry POSTed 20 times at once with one key once, and answers every POST the same', async () => {
    const number = await ticketInSupport();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => post(`/tickets/${number}/time-entries`, entry, 'entry-20')),
    );

    expect(answers.map(({ status }) => status)).toEqual(Array.from({ length: 20 }, () => 200));
    expect(new Set(answers.map(({ body }) => JSON.stringify(body))).size).toBe(1);
    expect(answers.filter(({ replayed }) => !replayed)).toHaveLength(1);
    expect((await ticketOf(number)).timeEntries).toHaveLength(1);
  });

  it('refuses the same key with another body (422), and replays a refusal as it was', async () => {
    const number = await ticketInSupport();
    expect((await post(`/tickets/${number}/time-entries`, entry, 'entry-a')).status).toBe(200);
    const reused = await post(`/tickets/${number}/time-entries`, { ...entry, note: 'another' }, 'entry-a');
    expect(reused).toMatchObject({
      status: 422,
      body: {
        type: 'https://vigil.dev/problems/idempotency-key-reused',
        errors: [{ field: 'headers.idempotency-key' }],
      },
    });

    // Refused by the workflow's validator, which Temporal does not keep: the key keeps the refusal.
    const refused = await post(`/tickets/${number}/validate`, { contact: 'ana@acme.lu' }, 'validate-early', 'customer');
    expect(refused.status).toBe(409);
    expect(
      (await post(`/tickets/${number}/propose-resolution`, { agent: 'marc', resolution: 'Replaced the toner' })).status,
    ).toBe(200);
    expect(await post(`/tickets/${number}/validate`, { contact: 'ana@acme.lu' }, 'validate-early', 'customer')).toEqual(
      { ...refused, replayed: true },
    );
    expect(await ticketOf(number)).toMatchObject({ status: 'validation', timeEntries: [expect.anything()] });
  });

  describe('after an attempt that failed', () => {
    const apps: FastifyInstance[] = [];

    /** The same API on the same servers, but for a fault in recording the action's key. */
    async function faultyApi(fault: (keys: IdempotencyStore) => Partial<IdempotencyStore>): Promise<string> {
      const stores = apiStores(stack.db);
      const app = buildApp({
        temporal: stack.temporal,
        ...stores,
        idempotency: { ...stores.idempotency, ...fault(stores.idempotency) },
        taskQueue: stack.taskQueue,
        temporalDeadlineMs: E2E_TEMPORAL_DEADLINE_MS,
      });
      apps.push(app);
      await app.listen({ host: '127.0.0.1', port: 0 });
      return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1`;
    }
    // The Update was applied and the client got a 500: the retry must not apply the action a second time.
    const answerLost = () =>
      faultyApi(() => ({
        answerAction: () => Promise.reject(new Error('connection lost before the answer was recorded')),
      }));

    afterAll(async () => {
      await Promise.all(apps.map((app) => app.close()));
    });

    it('applies the retry once', async () => {
      const number = await ticketInSupport();
      expect((await post(`/tickets/${number}/time-entries`, entry, 'lost-1', 'agent', await answerLost())).status).toBe(
        500,
      );
      const retry = await post(`/tickets/${number}/time-entries`, entry, 'lost-1');
      expect(retry).toMatchObject({ status: 200, replayed: true, body: { timeEntries: [expect.anything()] } });
      expect((await ticketOf(number)).timeEntries).toHaveLength(1);
    });

    it('applies the retry once when the ticket continued as new in between: the run that applied it answers', async () => {
      const number = await ticketInSupport(40);
      expect((await post(`/tickets/${number}/time-entries`, entry, 'lost-2', 'agent', await answerLost())).status).toBe(
        500,
      );
      await continueAsNew(number);

      const retry = await post(`/tickets/${number}/time-entries`, entry, 'lost-2');
      expect(retry).toMatchObject({ status: 200, body: { timeEntries: [expect.anything()] } });
      expect((await ticketOf(number)).timeEntries).toHaveLength(1);
    });

    it('applies the retry in the next run when the first attempt died before its Update left', async () => {
      const number = await ticketInSupport(40);
      // The first attempt pinned its Update to the run of the moment, and died before sending it.
      const diedAfterPinning = await faultyApi((keys) => ({
        pinActionRun: async (...pin) => {
          await keys.pinActionRun(...pin);
          throw new Error('process killed');
        },
      }));
      expect((await post(`/tickets/${number}/time-entries`, entry, 'lost-3', 'agent', diedAfterPinning)).status).toBe(
        500,
      );
      const pinnedRun = async () =>
        (await stack.db.query<{ run_id: string }>("SELECT run_id FROM action_idempotency_keys WHERE key = 'lost-3'"))
          .rows[0]?.run_id;
      const before = await pinnedRun();
      expect(before).toBe(await runIdOf(number));
      await continueAsNew(number);

      const retry = await post(`/tickets/${number}/time-entries`, entry, 'lost-3');
      expect(retry).toMatchObject({ status: 200, replayed: true });
      expect((await ticketOf(number)).timeEntries).toHaveLength(1);
      // The Update moved to the run that continued the one it was pinned to, once that one had ended without it.
      expect(await pinnedRun()).toBe(await runIdOf(number));
    });

    it('applies a retry once after the client gave up mid-flight', async () => {
      const number = await ticketInSupport();
      const aborted = new AbortController();
      const first = fetch(`${stack.baseUrl}/tickets/${number}/time-entries`, {
        method: 'POST',
        headers: { ...stack.auth('agent'), 'content-type': 'application/json', 'idempotency-key': 'gave-up' },
        body: JSON.stringify(entry),
        signal: aborted.signal,
      });
      setTimeout(() => aborted.abort(), 5);
      await first.catch(() => undefined);

      expect((await post(`/tickets/${number}/time-entries`, entry, 'gave-up')).status).toBe(200);
      expect((await ticketOf(number)).timeEntries).toHaveLength(1);
    });
  });
});
