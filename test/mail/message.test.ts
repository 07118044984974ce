import { messageDomain, messageHeaders } from '../../mail/message';

describe('message identity and threading', () => {
  it("takes the domain of the From's address", () => {
    expect(messageDomain('Support desk <support@desk.lu>')).toBe('desk.lu');
    expect(messageDomain('support@desk.lu')).toBe('desk.lu');
  });

  it("roots each ticket's thread at its acknowledgement, every other mail answering it", () => {
    const ack = messageHeaders({ id: 7, kind: 'acknowledgement', ticketNumber: 'VIG-000123' }, 'desk.lu');
    const breach = messageHeaders({ id: 9, kind: 'breach', ticketNumber: 'VIG-000123' }, 'desk.lu');
    expect(ack).toEqual({ messageId: '<VIG-000123.ticket@desk.lu>' });
    expect(breach).toEqual({
      messageId: '<9.VIG-000123.outbox@desk.lu>',
      inReplyTo: ack.messageId,
      references: ack.messageId,
    });
  });

  it('gives a mail of no ticket (an invoice ready) a Message-ID of its own, answering nothing', () => {
    expect(messageHeaders({ id: 12, kind: 'invoice-ready' }, 'desk.lu')).toEqual({ messageId: '<12.outbox@desk.lu>' });
  });

  it('gives a row the same Message-ID each time it is sent, so a second delivery is recognisable', () => {
    const row = { id: 9, kind: 'breach', ticketNumber: 'VIG-000123' };
    expect(messageHeaders(row, 'desk.lu')).toEqual(messageHeaders({ ...row }, 'desk.lu'));
  });
});
