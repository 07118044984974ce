import { consoleHarness } from '../support/api/console-harness';
import {
  accepted,
  estimateSubmission,
  HOUR,
  quoteSubmission,
  registered,
  T0,
  type QuoteSubmission,
} from '../support/ticket-lifecycle';

// An estimate's and a quote's figures as the domain records them (domain/ticket/decide.ts), through the API's ticket
// view (api/schemas/ticket.ts, whose serializer keeps only the fields it names) to the ticket page's history.
describe("a quote's figures, from the domain to the ticket page's history", () => {
  const inSupport = accepted(registered(), { action: 'take-charge', command: { actor: 'marc' } }, T0 + HOUR);
  const recorded = (submission: QuoteSubmission) =>
    accepted(inSupport, { action: 'submit-quote', command: submission.command }, T0 + 2 * HOUR).events.at(-1)!;
  const estimate = recorded(estimateSubmission);
  const quote = recorded(quoteSubmission);

  it('reaches the API as data beside the English note, and the page words it in French', async () => {
    const harness = await consoleHarness();
    const ticket = harness.ticketOf('acme', 'VIG-000001');
    ticket.events.push(estimate, quote);

    const view = (await harness.call('agent', 'GET', '/v1/tickets/VIG-000001')).json();
    expect(view.events.slice(-2)).toEqual([
      { at: new Date(estimate.at).toISOString(), ...estimateSubmission.event },
      { at: new Date(quote.at).toISOString(), ...quoteSubmission.event },
    ]);

    const page = await harness.page(harness.staff.agent, 'GET', '/console/tickets/VIG-000001?lang=fr');
    expect(page.statusCode).toBe(200);
    const history = page.body.split('<ol class="history">')[1] ?? '';
    expect(history).toContain('2 h estimées : pas besoin de devis ; one printer');
    expect(history).toContain('13 h 20 · 1\u202f234,50\u00a0€ (intervention longue)');
    expect(history).not.toContain('cents');
  });
});
