import { composeCreditNote, CreditNoteError } from '../../domain/invoicing/document';
import { renderInvoiceHtml } from '../../activities/invoice-html';
import { documentFor } from '../support/invoicing/documents';

describe('a credit note', () => {
  const invoice = documentFor('LU');

  it('cancels the whole invoice at its amounts, VAT taxed on the sum again', () => {
    const note = composeCreditNote(invoice, { number: 'CN-2026-000001', issueDate: '2026-11-20', reason: 'Cancelled' });
    expect(note.totals).toEqual(invoice.totals);
    expect(note.credits).toEqual({
      invoiceNumber: 'INV-2026-000042',
      invoiceIssueDate: '2026-11-02',
      reason: 'Cancelled',
    });
    expect(note.prepaid).toEqual([]);
  });

  it('cancels chosen lines only, keeping their ticket groups', () => {
    const note = composeCreditNote(invoice, {
      number: 'CN-2026-000002',
      issueDate: '2026-11-20',
      reason: 'Covered by the contract',
      positions: [2, 4],
    });
    // 100.00 + 185.00 at 17 %: 48.45.
    expect(note.totals).toMatchObject({ netCents: 28500, vatCents: 4845, grossCents: 33345 });
    expect(note.tickets.map((ticket) => [ticket.number, ticket.lines.length])).toEqual([['VIG-000001', 1]]);
    expect(note.contractLines).toHaveLength(1);
    const html = renderInvoiceHtml(note);
    expect(html).toContain('Note de crédit CN-2026-000002');
    expect(html).toContain('Facture créditée</dt><dd>INV-2026-000042 (2 novembre 2026)');
    expect(html).toContain('annule les lignes ci-dessous de la facture INV-2026-000042');
  });

  it.each([
    [{ positions: [5] }, 'lines.0', false, 'has lines 1 to 4'],
    [{ positions: [1, 1] }, 'lines.1', false, 'listed twice'],
    [{ positions: [0] }, 'lines.0', false, 'has lines 1 to 4'],
    [{ positions: [3], alreadyCredited: [3] }, 'lines.0', true, 'credited already'],
    [{ alreadyCredited: [1, 2, 3, 4] }, 'lines', true, 'every line'],
  ])('refuses %j, naming the field', (facts, field, conflict, message) => {
    const attempt = () =>
      composeCreditNote(invoice, { number: 'CN-2026-000003', issueDate: '2026-11-20', reason: 'x', ...facts });
    expect(attempt).toThrow(CreditNoteError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ field, conflict });
    }
  });

  it('is never credited itself', () => {
    const note = composeCreditNote(invoice, { number: 'CN-2026-000004', issueDate: '2026-11-20', reason: 'x' });
    expect(() => composeCreditNote(note, { number: 'CN-2026-000005', issueDate: '2026-11-20', reason: 'x' })).toThrow(
      'only an invoice is credited',
    );
  });
});
