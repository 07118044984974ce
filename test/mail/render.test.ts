import { amount, instantInWords, mailLanguage, MAIL_LANGUAGES, type Reader } from '../../mail/format';
import type { Notice } from '../../mail/notices';
import { renderNotice } from '../../mail/render';

const zone = 'Europe/Luxembourg';
const reader = (language: Reader['language']): Reader => ({ language, zone });
// 10:30 UTC is 11:30 in Luxembourg in winter.
const TUESDAY_1_DECEMBER = Date.parse('2026-12-01T10:30:00Z');

const about = { ticketNumber: 'VIG-000123', title: 'Printer down', contactName: 'Ana Lopes' };
const notices: Notice[] = [
  { ...about, kind: 'acknowledgement', contactEmail: 'ana@acme.lu', customerId: 'acme', registeredAt: TUESDAY_1_DECEMBER, ticketKind: 'incident', priority: 'P2', description: 'Blank pages.' },
  { ...about, kind: 'refusal', reason: 'out of hours' },
  { ticketNumber: 'VIG-000123', title: 'Printer down', kind: 'threshold-warning', customerId: 'acme', priority: 'P2', metric: 'response', percent: 75, deadline: TUESDAY_1_DECEMBER },
  { ticketNumber: 'VIG-000123', title: 'Printer down', kind: 'breach', customerId: 'acme', priority: 'P1', assignee: 'marc', metric: 'resolution', percent: 100, deadline: TUESDAY_1_DECEMBER },
  { ...about, kind: 'taken-in-charge', agent: 'marc', at: TUESDAY_1_DECEMBER },
  { ...about, kind: 'waiting-for-customer', question: 'Which floor?', at: TUESDAY_1_DECEMBER },
  { ...about, kind: 'resolution-proposed', resolution: 'Replaced the toner', autoValidateAt: TUESDAY_1_DECEMBER, actionsUrl: 'https://vigil.desk.lu/v1/tickets/VIG-000123' },
  { ...about, kind: 'validated', at: TUESDAY_1_DECEMBER },
  { ...about, kind: 'quote-submitted', estimateMinutes: 510, amountCents: 123_450, actionsUrl: 'https://vigil.desk.lu/v1/tickets/VIG-000123' },
];

describe('notices in the four languages', () => {
  it.each(MAIL_LANGUAGES.flatMap((language) => notices.map((notice) => [language, notice.kind, notice] as const)))(
    '%s %s: the ticket number leads the subject, the title follows, nothing is left untranslated',
    (language, _kind, notice) => {
      const { subject, body } = renderNotice(notice, reader(language));
      expect(subject.startsWith('[VIG-000123] ')).toBe(true);
      expect(subject).toContain('Printer down');
      expect(subject).not.toMatch(/[\r\n]/);
      expect(body).not.toContain('undefined');
      expect(body).not.toContain('NaN');
    },
  );

  it('tells dates in words, in the reader zone and language', () => {
    expect(instantInWords(TUESDAY_1_DECEMBER, reader('fr'))).toBe('mardi 1 décembre 2026 à 11:30');
    expect(instantInWords(TUESDAY_1_DECEMBER, reader('en'))).toBe('Tuesday, 1 December 2026 at 11:30');
    expect(instantInWords(TUESDAY_1_DECEMBER, reader('de'))).toBe('Dienstag, 1. Dezember 2026 um 11:30');
    expect(instantInWords(TUESDAY_1_DECEMBER, reader('nl'))).toBe('dinsdag 1 december 2026 om 11:30');
  });

  it("formats amounts the reader's way", () => {
    expect(amount(123_450, reader('fr'))).toBe('1\u202f234,50\u00a0€');
    expect(amount(123_450, reader('en'))).toBe('€1,234.50');
    expect(amount(123_450, reader('de'))).toBe('1.234,50\u00a0€');
    expect(amount(123_450, reader('nl'))).toBe('€\u00a01.234,50');
  });

  it('writes a breach to a French customer in French, with the deadline in words', () => {
    const { subject, body } = renderNotice(notices[3]!, reader('fr'));
    expect(subject).toBe('[VIG-000123] Délai de résolution dépassé (mardi 1 décembre 2026 à 11:30): Printer down');
    expect(body).toContain("L'échéance de résolution du mardi 1 décembre 2026 à 11:30 est passée sans être tenue.");
  });

  it('tells the customer how to validate or reject a resolution, and when it validates itself', () => {
    const { body } = renderNotice(notices[6]!, reader('de'));
    expect(body).toContain('POST https://vigil.desk.lu/v1/tickets/VIG-000123/validate');
    expect(body).toContain('POST https://vigil.desk.lu/v1/tickets/VIG-000123/reject');
    expect(body).toContain('am Dienstag, 1. Dezember 2026 um 11:30 als bestätigt');
  });

  it('reads a quote in the locale: estimate in hours and minutes, amount in its format', () => {
    const { body } = renderNotice(notices[8]!, reader('nl'));
    expect(body).toContain('Geschatte tijd: 8 h 30 min');
    expect(body).toContain('Bedrag: €\u00a01.234,50');
  });

  it('reads Luxembourgish customers French, and an unknown language English', () => {
    expect(mailLanguage('lb')).toBe('fr');
    expect(mailLanguage('xx')).toBe('en');
    expect(mailLanguage(undefined)).toBe('en');
  });
});
