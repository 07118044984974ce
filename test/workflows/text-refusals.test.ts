import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { getTicketQuery, TICKET_UPDATES } from '../../messages/ticket';
import { TEXT_RULE } from '../../domain/text';
import { TicketHarness } from '../support/ticket-harness';

jest.setTimeout(180_000);

async function refusal(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  return (error as WorkflowUpdateFailedError).cause as ApplicationFailure;
}

// A client of Temporal that skips the API meets the same text rules in the Update validators, and the ticket is unchanged.
describe('poison text sent to the workflow directly', () => {
  let harness: TicketHarness | undefined;

  afterEach(async () => {
    await harness?.stop();
  });

  it('is refused by the validators, naming the field, and the ticket goes on', async () => {
    harness = await TicketHarness.start();
    const handle = await harness.open({ ticketNumber: 'VIG-000901', policyId: 'econnect', priority: 'P3' });
    expect(
      await refusal(handle.executeUpdate(TICKET_UPDATES['take-charge'], { args: [{ actor: 'marc\u0000' }] })),
    ).toMatchObject({
      type: 'INVALID_ARGUMENT',
      message: `actor: expected ${TEXT_RULE.line}: it holds a control character (U+0000) at offset 4`,
    });
    await handle.executeUpdate(TICKET_UPDATES['take-charge'], { args: [{ actor: 'marc' }] });
    const start = Date.parse('2026-01-05T09:00:00Z');
    expect(
      await refusal(
        handle.executeUpdate(TICKET_UPDATES['log-time'], {
          args: [{ actor: 'marc', start, end: start + 60_000, onSite: false, note: 'ok \ud800' }],
        }),
      ),
    ).toMatchObject({
      type: 'INVALID_ARGUMENT',
      message: `note: expected ${TEXT_RULE.multiline}: it holds an unpaired surrogate (U+D800) at offset 3`,
    });
    await handle.executeUpdate(TICKET_UPDATES['wait-for-customer'], {
      args: [{ actor: 'marc', question: 'Which printer?\r\nFloor?' }],
    });
    const before = await harness.settle(handle);

    expect(
      await refusal(
        handle.executeUpdate(TICKET_UPDATES['customer-replied'], {
          args: [{ actor: 'ana@acme.lu', message: 'Floor 2\u0000' }],
        }),
      ),
    ).toMatchObject({
      type: 'INVALID_ARGUMENT',
      message: `message: expected ${TEXT_RULE.multiline}: it holds a control character (U+0000) at offset 7`,
    });
    expect((await handle.query(getTicketQuery)).revision).toBe(before.revision);
    const replied = await handle.executeUpdate(TICKET_UPDATES['customer-replied'], {
      args: [{ actor: 'ana@acme.lu', message: 'Floor 2\r\n\tthanks' }],
    });
    // Two revisions: the reply, then the clocks' new plan (the pause given back).
    expect(replied).toMatchObject({ status: 'support', revision: before.revision + 2 });
  });
});
