import type { MockActivityEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { createActivities } from '../../activities/ticket-activities';
import { acknowledgeTicket } from '../support/e2e/registration';
import type { TicketState } from '../../messages/ticket';
import { isPageKey, ticketQueries, type PageKey } from '../../db/ticket-queries';
import { pgTicketSnapshots } from '../../db/ticket-snapshots';
import { readModelHarness, type ReadModelHarness } from '../support/e2e/read-model-fixtures';
import { migratedPool, ticketForActivities } from '../support/e2e/stack';

jest.setTimeout(60_000);

const POISON = 'Printer \u0000down \ud800!';
const STORED = 'Printer \ufffddown \ufffd!';

// On the real PostgreSQL: whatever text reaches the writers, the read model and the outbox take it.
describe('poison text on PostgreSQL', () => {
  let db: Pool;
  let ticket: TicketState;
  let env: MockActivityEnvironment;

  beforeAll(async () => {
    db = await migratedPool();
  });

  afterAll(async () => {
    await db?.end();
  });

  beforeEach(async () => {
    ({ ticket, env } = await ticketForActivities(
      db,
      {
        customerId: 'acme',
        policyId: 'econnect',
        kind: 'incident',
        priority: 'P2',
        title: `${POISON}\r\nBcc: eve@evil.test`,
        description: `Blank pages\u0000 \udc00`,
        contact: { name: 'Ana \ud83d Lopes', email: 'ana@acme.lu' },
      },
      Date.parse('2026-03-02T08:45:00Z'),
    ));
  });

  it('is what jsonb refuses as JSON.stringify writes it: the failure the activity retried forever', async () => {
    await expect(db.query('SELECT $1::jsonb', [JSON.stringify({ title: '\u0000' })])).rejects.toMatchObject({
      code: '22P05',
    });
    await expect(db.query('SELECT $1::jsonb', [JSON.stringify({ title: '\ud800' })])).rejects.toMatchObject({
      code: '22P02',
    });
  });

  it('registers a ticket whose title holds a NUL and an unpaired surrogate, and reads its snapshot back', async () => {
    await env.run(acknowledgeTicket(db), ticket);

    const snapshot = await pgTicketSnapshots(db).find(ticket.ticketNumber);
    expect(snapshot).toEqual({
      ...ticket,
      title: `${STORED}\r\nBcc: eve@evil.test`,
      description: 'Blank pages\ufffd \ufffd',
      contact: { name: 'Ana \ufffd Lopes', email: 'ana@acme.lu' },
    });
    const { rows } = await db.query<{ title: string }>('SELECT title FROM tickets WHERE number = $1', [
      ticket.ticketNumber,
    ]);
    expect(rows).toEqual([{ title: `${STORED}\r\nBcc: eve@evil.test` }]);
  });

  it('queues the acknowledgement with its subject on one line: the injected Bcc stays in the subject text', async () => {
    await env.run(acknowledgeTicket(db), ticket);
    const { rows } = await db.query<{ subject: string; body: string }>(
      'SELECT subject, body FROM outbox WHERE ticket_number = $1',
      [ticket.ticketNumber],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.subject).toBe(
      `[${ticket.ticketNumber}] Your request is registered: Printer  down \ufffd! Bcc: eve@evil.test`,
    );
    expect(rows[0]!.body).toContain('Blank pages\ufffd \ufffd');
  });

  it('keeps the read model moving when a later action brings poison (a customer reply)', async () => {
    const { recordTicketState } = createActivities({ db });
    await env.run(acknowledgeTicket(db), ticket);
    const replied: TicketState = {
      ...ticket,
      status: 'support',
      revision: 5,
      events: [
        ...ticket.events,
        { at: ticket.openedAt + 60_000, type: 'customer-replied', by: 'ana@acme.lu', note: 'It\u0000 works \udfff' },
      ],
    };
    await env.run(recordTicketState, replied);
    const snapshot = await pgTicketSnapshots(db).find(ticket.ticketNumber);
    expect({ revision: snapshot?.revision, note: snapshot?.events.at(-1)?.note }).toEqual({
      revision: 5,
      note: 'It\ufffd works \ufffd',
    });
  });
});

// The cursor check and PostgreSQL agree on which sort keys are instants.
describe('cursor keys on PostgreSQL', () => {
  let harness: ReadModelHarness;
  let agent: string;

  beforeAll(async () => {
    harness = await readModelHarness();
    agent = await harness.staffToken('agent');
  });

  afterAll(async () => {
    await harness?.close();
  });

  const key = (at: string): PageKey => ({ order: 'arrival', at, number: 'VIG-000007' });
  const cursorOf = (value: PageKey) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it.each(['2026-02-31T00:00:00Z', '0000-01-01T00:00:00Z', '2026-02-29T00:00:00Z', '2026-05-12T10:00:00+16:00'])(
    '%s: PostgreSQL refuses it, so the API answers 422 invalid-cursor rather than 500',
    async (at) => {
      await expect(harness.db.query('SELECT $1::timestamptz', [at])).rejects.toMatchObject({
        code: expect.stringMatching(/^22/),
      });
      expect(isPageKey(key(at))).toBe(false);
      for (const path of ['/v1/tickets', '/v1/queue']) {
        const answer = await harness.get(`${path}?cursor=${cursorOf(key(at))}`, agent);
        expect({ status: answer.status, type: answer.body.type, errors: answer.body.errors }).toEqual({
          status: 422,
          type: 'https://vigil.dev/problems/invalid-cursor',
          errors: [expect.objectContaining({ field: 'querystring.cursor' })],
        });
      }
    },
  );

  it.each([
    '2024-02-29T23:59:59.999999+01:00',
    '0001-01-01T00:00:00Z',
    '9999-12-31T23:59:59-15:59',
    '1900-01-01T00:00:00+00:09:21',
    'infinity',
  ])('%s: a key both take, and a page read after it', async (at) => {
    expect(isPageKey(key(at))).toBe(true);
    await expect(
      ticketQueries(harness.db).page({ filter: {}, order: 'arrival', limit: 1, after: key(at) }),
    ).resolves.toEqual(expect.objectContaining({ items: expect.any(Array) }));
  });
});
