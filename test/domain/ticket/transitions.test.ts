import {
  InvalidTransitionError,
  isTerminal,
  TICKET_ACTIONS,
  TICKET_STATUSES,
  transition,
} from '../../../domain/ticket/lifecycle';
import { formatTicketNumber, TICKET_NUMBER_PATTERN } from '../../../domain/ticket/ticket-number';

describe('ticket lifecycle', () => {
  it.each([
    ['request', 'acknowledge', 'acknowledgement'],
    ['request', 'take-charge', 'support'],
    ['acknowledgement', 'take-charge', 'support'],
    ['support', 'start-intervention', 'support'],
    ['support', 'wait-for-customer', 'waiting'],
    ['waiting', 'customer-replied', 'support'],
    ['support', 'provide-workaround', 'support'],
    ['support', 'propose-resolution', 'validation'],
    ['validation', 'reject', 'support'],
    ['validation', 'validate', 'closed'],
    ['validation', 'auto-validate', 'closed'],
    ['waiting', 'set-priority', 'waiting'],
    ['validation', 'log-time', 'validation'],
    ['acknowledgement', 'cancel', 'cancelled'],
    ['request', 'refuse', 'refused'],
    ['support', 'submit-quote', 'support'],
    ['support', 'accept-quote', 'support'],
    ['support', 'decline-quote', 'cancelled'],
    ['support', 'schedule-release', 'scheduled'],
    ['scheduled', 'release', 'support'],
    ['scheduled', 'cancel', 'cancelled'],
  ] as const)('%s --%s--> %s', (from, action, to) => {
    expect(transition(from, action)).toBe(to);
  });

  it('a closed, cancelled or refused ticket takes no action at all', () => {
    for (const status of TICKET_STATUSES.filter(isTerminal)) {
      for (const action of TICKET_ACTIONS) {
        expect(() => transition(status, action)).toThrow(InvalidTransitionError);
      }
    }
  });

  it('refuses with a stable code and names the statuses that would allow the action', () => {
    expect(() => transition('support', 'validate')).toThrow(
      "cannot validate a ticket in status 'support': only a ticket in validation can",
    );
    expect(() => transition('waiting', 'propose-resolution')).toThrow(
      expect.objectContaining({ code: 'INVALID_TRANSITION', action: 'propose-resolution', status: 'waiting' }),
    );
    expect(() => transition('request', 'log-time')).toThrow(
      'only a ticket in support, waiting, scheduled, validation can',
    );
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
