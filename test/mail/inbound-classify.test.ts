import fc from 'fast-check';
import {
  addressOf,
  automaticBecause,
  isOwnMessageId,
  referencedMessageIds,
  threadRootTicket,
  ticketNumberInSubject,
} from '../../mail/inbound/classify';
import { asLine, asText, nameOr } from '../../mail/inbound/fields';
import { findUnsafeText } from '../../domain/text';

const OWN = { domain: 'desk.test', addresses: ['support@desk.test', 'urgence@desk.test'] };
const person = { from: 'ana@acme.lu', envelopeFrom: 'ana@acme.lu', messageId: '<abc@client.test>' };
const POISON = ['\u0000', '\ud800', '\udc00x', '\r\nBcc: victim@x.test', 'x'.repeat(1_000_000), '\u202e', '\u0085'];

describe('automatic mail (auto-replies, bounces, loops)', () => {
  it('a mail a person wrote is none of them', () => {
    expect(automaticBecause(person, OWN)).toBeUndefined();
    expect(automaticBecause({ ...person, autoSubmitted: 'no' }, OWN)).toBeUndefined();
    expect(automaticBecause({ ...person, autoSubmitted: ' No ' }, OWN)).toBeUndefined();
    expect(automaticBecause({ ...person, precedence: 'first-class' }, OWN)).toBeUndefined();
    expect(automaticBecause({ ...person, returnPath: '<ana@acme.lu>' }, OWN)).toBeUndefined();
    expect(automaticBecause({ from: 'ana@acme.lu' }, OWN)).toBeUndefined();
  });

  it.each([
    [{ autoSubmitted: 'auto-replied' }, 'Auto-Submitted: auto-replied'],
    [{ autoSubmitted: 'auto-generated; owner-email="x@y"' }, 'Auto-Submitted: auto-generated'],
    [{ precedence: 'Bulk' }, 'Precedence: bulk'],
    [{ precedence: 'junk' }, 'Precedence: junk'],
    [{ precedence: 'list' }, 'Precedence: list'],
    [{ xAutoreply: 'yes' }, 'X-Autoreply'],
    [{ xAutorespond: '' }, 'X-Autorespond'],
    [{ xVigilOutboxId: '7' }, 'loop'],
    [{ messageId: '<7.VIG-000123.outbox@desk.test>' }, 'loop'],
    [{ messageId: '<VIG-000123.ticket@DESK.test>' }, 'loop'],
    [{ from: 'Support <SUPPORT@desk.test>' }, 'our own address'],
    [{ envelopeFrom: '' }, 'null envelope sender'],
    [{ returnPath: '<>' }, 'empty Return-Path'],
    [{ from: 'MAILER-DAEMON@mx.acme.lu' }, 'mailer-daemon'],
    [{ envelopeFrom: 'postmaster@acme.lu' }, 'postmaster'],
  ])('%j is automatic (%s)', (headers, reason) => {
    expect(automaticBecause({ ...person, ...headers }, OWN)).toContain(reason);
  });

  it("another desk's Message-ID of the same shape is not ours", () => {
    expect(isOwnMessageId('<7.VIG-000123.outbox@other.test>', 'desk.test')).toBe(false);
    expect(automaticBecause({ ...person, messageId: '<VIG-000123.ticket@other.test>' }, OWN)).toBeUndefined();
  });

  it('poison header values never throw, and the reason carries none of their characters', () => {
    for (const poison of POISON) {
      for (const field of [
        'autoSubmitted',
        'precedence',
        'xAutoreply',
        'returnPath',
        'from',
        'envelopeFrom',
        'messageId',
      ] as const) {
        const reason = automaticBecause({ ...person, [field]: poison }, OWN);
        if (reason !== undefined) {
          expect(findUnsafeText(reason)).toBeUndefined();
          expect(reason.length).toBeLessThan(200);
        }
      }
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (autoSubmitted, from) => {
        const reason = automaticBecause({ autoSubmitted, from }, OWN);
        return reason === undefined || findUnsafeText(reason) === undefined;
      }),
    );
  });
});

describe('threading', () => {
  it('finds the ticket number of a subject as Vigil writes it, the first one', () => {
    expect(ticketNumberInSubject('Re: [VIG-000123] Imprimante')).toBe('VIG-000123');
    expect(ticketNumberInSubject('TR: Re: [VIG-000123] [VIG-000124]')).toBe('VIG-000123');
    expect(ticketNumberInSubject('VIG-000123 without brackets')).toBeUndefined();
    expect(ticketNumberInSubject('[VIG-12]')).toBeUndefined();
    expect(ticketNumberInSubject(undefined)).toBeUndefined();
    expect(ticketNumberInSubject(`${'x'.repeat(2_000)}[VIG-000123]`)).toBeUndefined();
    for (const poison of POISON) expect(ticketNumberInSubject(`${poison}[VIG-000123]`.slice(-990))).toBe('VIG-000123');
  });

  it('reads the Message-IDs a mail answers, In-Reply-To first, then References from the most recent', () => {
    expect(referencedMessageIds('<C@x>', ['<A@x>', '<B@x>'])).toEqual(['<c@x>', '<b@x>', '<a@x>']);
    expect(referencedMessageIds(undefined, '<A@x> <B@x>')).toEqual(['<b@x>', '<a@x>']);
    expect(referencedMessageIds('garbage (comment) <ok@x>', undefined)).toEqual(['<ok@x>']);
    expect(referencedMessageIds(undefined, undefined)).toEqual([]);
    expect(referencedMessageIds('<a\r\nb@x>', '\u0000<ok@x>\ud800')).toEqual(['<ok@x>']);
    const many = Array.from({ length: 5_000 }, (_, index) => `<${index}@x>`);
    expect(referencedMessageIds(undefined, many)).toHaveLength(100);
  });

  it('knows a thread root of ours and of our domain only', () => {
    expect(threadRootTicket('<vig-000123.ticket@desk.test>', 'desk.test')).toBe('VIG-000123');
    expect(threadRootTicket('<VIG-000123.ticket@other.test>', 'desk.test')).toBeUndefined();
    expect(threadRootTicket('<7.VIG-000123.outbox@desk.test>', 'desk.test')).toBeUndefined();
  });

  it('reads an address from a From header, and nothing from one without an address', () => {
    expect(addressOf('Ana Lopes <Ana@Acme.lu>')).toBe('ana@acme.lu');
    expect(addressOf('ana@acme.lu')).toBe('ana@acme.lu');
    expect(addressOf('Ana Lopes')).toBeUndefined();
    expect(addressOf('<a@b>\r\nBcc: c@d')).toBe('a@b');
    for (const poison of POISON) expect(() => addressOf(poison)).not.toThrow();
  });
});

describe('mail text into ticket fields', () => {
  it('makes any text a line or a text the API takes, within its length', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const line = asLine(text, 200, '(none)');
        const body = asText(text, 300, '(none)');
        return (
          findUnsafeText(line, 'title') === undefined &&
          findUnsafeText(body, 'multiline') === undefined &&
          Array.from(line).length <= 200 &&
          Array.from(body).length <= 300 &&
          line.length > 0
        );
      }),
    );
    expect(asLine('Re: a\r\nBcc: b', 200, '')).toBe('Re: a Bcc: b');
    expect(asText('a\r\nb\rc\u0000', 100, '')).toBe('a\nb\nc\uFFFD');
    expect(asLine('😀'.repeat(300), 200, '')).toHaveLength(2 * 199 + 1);
    // The field's length in code points, as the API counts it: 200 pairs are 400 UTF-16 units and still fit whole.
    expect(asLine('😀'.repeat(200), 200, '')).toBe('😀'.repeat(200));
    expect(asLine('😀'.repeat(201), 200, '')).toBe(`${'😀'.repeat(199)}…`);
    // A subject is a ticket's title: the API refuses bidirectional controls and white space alone, so they are taken
    // out and the placeholder stands in, rather than the mail opening no ticket.
    expect(asLine('Facture \u202efdp.exe', 200, '(no subject)')).toBe('Facture fdp.exe');
    expect(asLine(' \u2066 \u00a0\u2069 ', 200, '(no subject)')).toBe('(no subject)');
    expect(asText('\u202bשלום\u202c\nmerci', 100, '(no text)')).toBe('שלום\nmerci');
  });

  it('takes a subject of invisible characters alone as no subject, and its line breaks of every kind as spaces', () => {
    for (const blank of ['\u200b', '\u200b\u200c\u200d', ' \ufeff\u2060 ', '\u00ad', '\u2028', '\u3164\u2029\u0085'])
      expect(asLine(blank, 200, '(no subject)')).toBe('(no subject)');
    expect(asLine('Imprimante\u2028Bcc: x@evil.test', 200, '')).toBe('Imprimante Bcc: x@evil.test');
    expect(asLine('Imprimante\u2029en\u0085panne', 200, '')).toBe('Imprimante en panne');
    expect(asLine('\u200bVPN\u200c', 200, '(no subject)')).toBe('\u200bVPN\u200c');
    expect(asText('\u200b\n\ufeff', 100, '(no text)')).toBe('(no text)');
    expect(nameOr('\u200b\u200b', 'jo@elsewhere.test')).toBe('jo@elsewhere.test');
  });

  it("calls a sender by their address when their mail's name is white space alone, rather than refusing the mail", () => {
    for (const blank of [undefined, '', '   ', ' \u00a0\u3000', '\t\r\n', ' \u2066 \u2069 '])
      expect(nameOr(blank, 'jo@elsewhere.test')).toBe('jo@elsewhere.test');
    expect(nameOr('  Jo \u00a0 Lopes ', 'jo@elsewhere.test')).toBe('Jo Lopes');
    expect(findUnsafeText(nameOr('\u3000', 'jo@elsewhere.test'), 'title')).toBeUndefined();
    expect(Array.from(nameOr('J'.repeat(500), 'jo@elsewhere.test'))).toHaveLength(200);
  });
});
