/**
 * A NUL, a lone surrogate, a CR/LF in a title are refused with 422 naming the field, and a
 * ticket opened right after still registers (before the fix, the poisoned snapshot stalled the worker's activity).
 */
import { OPENING_CONTACT, plannedAction, plannedOpening } from '../actions';
import { sleep } from '../client';
import { perform, ticketInSupport, type Scenario } from '../context';

const SCENARIO = '6 poison text';

interface Poison {
  what: string;
  path: string;
  body: Record<string, unknown>;
  field: string;
}

export const poisonText: Scenario = {
  name: SCENARIO,
  async run(context) {
    const { client, ledger, customerId } = context;
    const ticket = await ticketInSupport(context, SCENARIO);
    const opening = {
      customerId,
      priority: 'P3',
      title: 'Printer down',
      description: 'Blank pages.',
      contact: OPENING_CONTACT,
    };
    const poisons: Poison[] = [
      {
        what: 'NUL in a title',
        path: '/v1/tickets',
        body: { ...opening, title: 'Printer \u0000down' },
        field: 'body.title',
      },
      {
        what: 'lone surrogate in a description',
        path: '/v1/tickets',
        body: { ...opening, description: 'Blank \ud800pages' },
        field: 'body.description',
      },
      {
        what: 'CR/LF in a title',
        path: '/v1/tickets',
        body: { ...opening, title: 'Printer down\r\nBcc: eve@evil.test' },
        field: 'body.title',
      },
      {
        what: 'NUL in a customer reply',
        path: `/v1/tickets/${ticket}/customer-reply`,
        body: { contact: 'ana@acme.lu', message: 'It\u0000 works' },
        field: 'body.message',
      },
    ];
    for (const poison of poisons) {
      const answer = await client.send(SCENARIO, {
        method: 'POST',
        path: poison.path,
        body: poison.body,
        as: poison.path.endsWith('reply') ? 'customer' : 'agent',
      });
      const fields = ((answer.body as { errors?: { field?: string }[] } | undefined)?.errors ?? []).map(
        (error) => error.field,
      );
      ledger.expect(
        SCENARIO,
        answer.status === 422 && fields.includes(poison.field),
        `${poison.what}: expected 422 naming ${poison.field}, got ${answer.status} ${JSON.stringify(answer.body)}`,
      );
    }

    // The next ticket registers (its status leaves 'request'), and the first one still takes actions.
    const after = await perform(context, plannedOpening(SCENARIO, customerId), { retryUntil: Date.now() + 30_000 });
    const next = (after.body as { ticketNumber?: string }).ticketNumber;
    let status = 'request';
    for (
      const deadline = Date.now() + 30_000;
      next && status === 'request' && Date.now() < deadline;
      await sleep(250)
    ) {
      status =
        (
          (await client.send(SCENARIO, { method: 'GET', path: `/v1/tickets/${next}`, as: 'agent' })).body as {
            status?: string;
          }
        ).status ?? 'request';
    }
    ledger.expect(
      SCENARIO,
      status !== 'request',
      `the ticket opened after the poison (${next ?? after.status}) did not register within 30 s`,
    );
    const reply = await perform(context, plannedAction(SCENARIO, ticket, 'reassign', true), {
      retryUntil: Date.now() + 30_000,
    });
    ledger.expect(
      SCENARIO,
      reply.status === 200,
      `${ticket} refused an action after the poisoned reply: ${reply.status}`,
    );
  },
};
