import { InvalidTransitionError, TICKET_ACTIONS, TICKET_STATUSES, transition } from '../../domain/ticket/lifecycle';
import { formatTicketNumber, TICKET_NUMBER_PATTERN } from '../../domain/ticket/ticket-number';

describe('ticket lifecycle', () => {
  it.each([
    ['request', 'acknowledge', 'acknowledgement'],
    ['request', 'take-charge', 'support'],
    ['acknowledgement', 'take-charge', 'support'],
    ['support', 'propose-resolution', 'validation'],
    ['validation', 'validate', 'closed'],
  ] as const)('%s --%s--> %s', (from, action, to) => {
    expect(transition(from, action)).toBe(to);
  });

  it('refuses every other move with a stable code and a reason', () => {
    const allowed = new Set(['request acknowledge', 'request take-charge', 'acknowledgement take-charge', 'support propose-resolution', 'validation validate']);
    for (const status of TICKET_STATUSES) {
      for (const action of TICKET_ACTIONS) {
        if (allowed.has(`${status} ${action}`)) continue;
        const attempt = () => transition(status, action);
        expect(attempt).toThrow(InvalidTransitionError);
        expect(attempt).toThrow(`cannot ${action} a ticket in status '${status}'`);
      }
    }
    expect(() => transition('closed', 'validate')).toThrow(expect.objectContaining({ code: 'INVALID_TRANSITION' }) as Error);
  });
});

describe('ticket numbers', () => {
  it('are zero-padded and match the pattern the API accepts', () => {
    expect(formatTicketNumber(42)).toBe('VIG-000042');
    expect(formatTicketNumber(1_234_567)).toBe('VIG-1234567');
    expect(new RegExp(TICKET_NUMBER_PATTERN).test(formatTicketNumber(7))).toBe(true);
    expect(new RegExp(TICKET_NUMBER_PATTERN).test('VIG-42')).toBe(false);
  });

  it('refuse a sequence that is not a positive integer', () => {
    expect(() => formatTicketNumber(0)).toThrow(RangeError);
    expect(() => formatTicketNumber(1.5)).toThrow(RangeError);
  });
});
