import { acknowledgementEmail, headerSafe } from '../../activities/acknowledgement-email';
import { thresholdEmail, type ThresholdNotice } from '../../activities/threshold-email';
import { findUnsafeText } from '../../domain/text';
import { registeredTicket } from '../support/ticket-state';

const INJECTED = 'Printer down\r\nBcc: eve@evil.test\n\tX-Priority: 1';

const ticket = registeredTicket(
  {
    ticketNumber: 'VIG-000042',
    customerId: 'acme',
    policyId: 'econnect',
    kind: 'incident',
    priority: 'P2',
    title: INJECTED,
    description: 'Line one.\r\nLine two.',
    contact: { name: 'Ana Lopes', email: 'ana@acme.lu\r\nCc: eve@evil.test' },
  },
  Date.parse('2026-05-13T08:00:00Z'),
);

const notice: ThresholdNotice = {
  ticketNumber: 'VIG-000042',
  title: INJECTED,
  customerId: 'acme',
  priority: 'P2',
  metric: 'response',
  percent: 75,
  deadline: Date.parse('2026-05-13T12:00:00Z'),
  key: 'response:75:1',
  notify: ['desk'],
};

// Item 9: whatever reached the ticket, no e-mail header it builds can carry a line of its own.
describe('e-mail headers', () => {
  it.each([
    ['the acknowledgement', () => acknowledgementEmail(ticket), 'ana@acme.lu Cc: eve@evil.test'],
    [
      'the refusal',
      () =>
        acknowledgementEmail({
          ...ticket,
          status: 'refused',
          refusal: { reason: 'contact-not-authorized-out-of-hours', contact: 'ana@acme.lu' },
        }),
      'ana@acme.lu Cc: eve@evil.test',
    ],
  ])(
    '%s: the title in the subject, and the recipient, each on one line, CR/LF and controls folded into a space',
    (_case, build, folded) => {
      const { recipient, subject } = build();
      expect(subject).toMatch(/^\[VIG-000042\] .*: Printer down Bcc: eve@evil\.test X-Priority: 1$/);
      expect(recipient).toBe(folded);
    },
  );

  it('a threshold notice: the recipient on one line', () => {
    const { recipient, subject } = thresholdEmail(notice, 'desk\r\nBcc: eve@evil.test');
    expect(recipient).toBe('desk Bcc: eve@evil.test');
    expect(findUnsafeText(subject)).toBeUndefined();
  });

  it('keeps the body as written: line breaks belong there', () => {
    expect(acknowledgementEmail(ticket).body).toContain('Line one.\r\nLine two.');
  });

  it('headerSafe, which the outbox writer applies too, changes nothing more when applied again', () => {
    const email = acknowledgementEmail(ticket);
    expect(headerSafe(email)).toEqual(email);
    expect(headerSafe({ recipient: 'a@b.lu\u0000', subject: 'x\u0007\u0008y', body: 'b\u0000' })).toEqual({
      recipient: 'a@b.lu ',
      subject: 'x y',
      body: 'b\u0000',
    });
  });
});
