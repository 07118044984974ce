import { amount, instantInWords, mailLanguage, MAIL_LANGUAGES, type Reader } from '../../mail/format';
import type { Pool } from 'pg';
import type { EmergencyOpenedNotice, Notice } from '../../mail/notices';
import { renderNotice } from '../../mail/render';
import { consoleUrl, queueOpeningNotices, readerOfSide, recipientSide } from '../../activities/ticket-notices';
import type { OpeningNotice } from '../../domain/ticket/steps';
import { parseDeskRoles } from '../../mail/desk-roles';

const zone = 'Europe/Luxembourg';
const reader = (language: Reader['language']): Reader => ({ language, zone });
// 10:30 UTC is 11:30 in Luxembourg in winter.
const TUESDAY_1_DECEMBER = Date.parse('2026-12-01T10:30:00Z');

const about = { ticketNumber: 'VIG-000123', title: 'Printer down', contactName: 'Ana Lopes' };
const notices: Notice[] = [
  {
    ...about,
    kind: 'acknowledgement',
    contactEmail: 'ana@acme.lu',
    customerId: 'acme',
    registeredAt: TUESDAY_1_DECEMBER,
    ticketKind: 'incident',
    priority: 'P2',
    description: 'Blank pages.',
  },
  { ...about, kind: 'refusal', refusal: { reason: 'contact-not-authorized-out-of-hours', contact: 'ana@acme.lu' } },
  {
    ticketNumber: 'VIG-000123',
    title: 'Printer down',
    kind: 'threshold-warning',
    customerId: 'acme',
    priority: 'P2',
    metric: 'response',
    percent: 75,
    deadline: TUESDAY_1_DECEMBER,
  },
  {
    ticketNumber: 'VIG-000123',
    title: 'Printer down',
    kind: 'breach',
    customerId: 'acme',
    priority: 'P1',
    assignee: 'marc',
    metric: 'resolution',
    percent: 100,
    deadline: TUESDAY_1_DECEMBER,
  },
  { ...about, kind: 'taken-in-charge', agent: 'marc', at: TUESDAY_1_DECEMBER },
  { ...about, kind: 'waiting-for-customer', question: 'Which floor?', at: TUESDAY_1_DECEMBER },
  {
    ...about,
    kind: 'resolution-proposed',
    resolution: 'Replaced the toner',
    autoValidateAt: TUESDAY_1_DECEMBER,
    actionsUrl: 'https://vigil.desk.lu/v1/tickets/VIG-000123',
  },
  { ...about, kind: 'validated', at: TUESDAY_1_DECEMBER },
  {
    ...about,
    kind: 'quote-submitted',
    estimateMinutes: 510,
    amountCents: 123_450,
    actionsUrl: 'https://vigil.desk.lu/v1/tickets/VIG-000123',
  },
  {
    ticketNumber: 'VIG-000123',
    title: 'Printer down',
    kind: 'emergency-opened',
    audience: 'desk',
    customerId: 'acme',
    priority: 'P1',
    openedAt: TUESDAY_1_DECEMBER - 3_600_000,
    deadline: TUESDAY_1_DECEMBER,
    consoleUrl: 'https://vigil.desk.lu/console/tickets/VIG-000123',
  },
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

  it("words a refusal's reason in the customer's language, from the ticket's refusal", () => {
    const refusal = notices.find((notice) => notice.kind === 'refusal')!;
    expect(renderNotice(refusal, reader('fr')).body).toContain(
      "en dehors des heures de service, seuls les contacts nommés dans le contrat peuvent ouvrir un incident, et ana@acme.lu n'en fait pas partie",
    );
    expect(renderNotice(refusal, reader('de')).body).toContain('und ana@acme.lu gehört nicht dazu');
    for (const language of MAIL_LANGUAGES.filter((other) => other !== 'en'))
      expect(renderNotice(refusal, reader(language)).body).not.toContain('out of office hours');
  });

  it('tells dates in words, in the reader zone and language', () => {
    expect(instantInWords(TUESDAY_1_DECEMBER, reader('fr'))).toBe('mardi 1 décembre 2026 à 11:30');
    expect(instantInWords(TUESDAY_1_DECEMBER, reader('en'))).toBe('Tuesday, 1 December 2026 at 11:30');
    expect(instantInWords(TUESDAY_1_DECEMBER, reader('de'))).toBe('Dienstag, 1. Dezember 2026 um 11:30');
    expect(instantInWords(TUESDAY_1_DECEMBER, reader('nl'))).toBe('dinsdag 1 december 2026 om 11:30');
  });

  it("tells the same instant in the customer's own zone and in the desk's", () => {
    const taken = notices[4]!;
    const montreal = renderNotice(taken, { language: 'fr', zone: 'America/Montreal' });
    const luxembourg = renderNotice(taken, { language: 'fr', zone: 'Europe/Luxembourg' });
    // 10:30 UTC: 05:30 in Montreal (UTC-5 in December), 11:30 in Luxembourg (UTC+1).
    expect(montreal.body).toContain('marc a pris votre demande en charge le mardi 1 décembre 2026 à 05:30.');
    expect(luxembourg.body).toContain('marc a pris votre demande en charge le mardi 1 décembre 2026 à 11:30.');
    // Past midnight in one zone and not the other, the day changes too.
    const lateEvening = Date.parse('2026-12-01T23:30:00Z');
    expect(instantInWords(lateEvening, { language: 'en', zone: 'America/Montreal' })).toBe(
      'Tuesday, 1 December 2026 at 18:30',
    );
    expect(instantInWords(lateEvening, { language: 'en', zone: 'Europe/Luxembourg' })).toBe(
      'Wednesday, 2 December 2026 at 00:30',
    );
  });

  it("gives the customer's zone to the people its contract names, the desk's to the desk's staff, both in the customer's language", () => {
    const customer: Reader = { language: 'de', zone: 'America/Montreal' };
    const named = new Set(['chloe@acme.lu']);
    const roles = parseDeskRoles('*=desk@vigil.test');
    const readerOf = (recipient: string) => readerOfSide(recipientSide(recipient, named, roles), customer);
    expect(readerOf('Chloe@Acme.lu')).toEqual(customer);
    expect(readerOf('desk@vigil.test')).toEqual({ language: 'de', zone: 'Europe/Luxembourg' });
  });

  const invoiceReady = {
    kind: 'invoice-ready',
    invoiceNumber: 'INV-2026-000042',
    contactName: 'Acme Luxembourg S.A.',
    issueDate: '2026-11-02',
    dueDate: '2026-12-02',
    periodStart: '2026-10-01',
    periodEnd: '2026-10-31',
    netCents: 40_251,
    grossCents: 47_094,
    currency: 'EUR',
    paymentReference: '+++202/6000/00192+++',
    htmlUrl: 'https://vigil.desk.lu/v1/invoices/INV-2026-000042/html',
    pdfUrl: 'https://vigil.desk.lu/v1/invoices/INV-2026-000042/pdf',
  } as const;

  it.each([
    [
      'fr',
      'Votre facture INV-2026-000042 est disponible',
      'Montant à payer : 470,94\u00a0€ (402,51\u00a0€ HT)',
      'au plus tard le mercredi 2 décembre 2026.',
      'du 1 octobre 2026 au 31 octobre 2026',
    ],
    [
      'en',
      'Your invoice INV-2026-000042 is ready',
      'Amount due: €470.94 (€402.51 excl. VAT)',
      'by Wednesday, 2 December 2026.',
      'from 1 October 2026 to 31 October 2026',
    ],
    [
      'de',
      'Ihre Rechnung INV-2026-000042 liegt vor',
      'Zu zahlender Betrag: 470,94\u00a0€ (402,51\u00a0€ netto)',
      'bis Mittwoch, 2. Dezember 2026.',
      'vom 1. Oktober 2026 bis 31. Oktober 2026',
    ],
    [
      'nl',
      'Uw factuur INV-2026-000042 staat klaar',
      'Te betalen bedrag: €\u00a0470,94 (€\u00a0402,51 excl. btw)',
      'uiterlijk op woensdag 2 december 2026.',
      'van 1 oktober 2026 tot 31 oktober 2026',
    ],
  ] as const)(
    'an invoice ready in %s: named by its number, no ticket tag, the amount and due date the reader reads, both links',
    (language, subject, due, by, period) => {
      const mail = renderNotice(invoiceReady, reader(language));
      expect(mail.subject).toBe(subject);
      expect(mail.body).toContain(due);
      expect(mail.body).toContain(by);
      expect(mail.body).toContain(period);
      expect(mail.body).toContain('Acme Luxembourg S.A.');
      expect(mail.body).toContain('+++202/6000/00192+++');
      expect(mail.body).toContain('https://vigil.desk.lu/v1/invoices/INV-2026-000042/html');
      expect(mail.body).toContain('https://vigil.desk.lu/v1/invoices/INV-2026-000042/pdf');
    },
  );

  it("formats amounts the reader's way", () => {
    expect(amount(123_450, reader('fr'))).toBe('1\u202f234,50\u00a0€');
    expect(amount(123_450, reader('en'))).toBe('€1,234.50');
    expect(amount(123_450, reader('de'))).toBe('1.234,50\u00a0€');
    expect(amount(123_450, reader('nl'))).toBe('€\u00a01.234,50');
  });

  it('writes a breach to a French customer in French, with the deadline in words', () => {
    const { subject, body } = renderNotice(notices[3]!, reader('fr'));
    expect(subject).toBe('[VIG-000123] Délai de résolution dépassé (mardi 1 décembre 2026 à 11:30) : Printer down');
    expect(body).toContain("L'échéance de résolution du mardi 1 décembre 2026 à 11:30 est passée sans être tenue.");
  });

  it("names the ticket's kind in the reader's language in the acknowledgement", () => {
    const change = { ...notices[0]!, ticketKind: 'change' } as Notice;
    expect(renderNotice(change, reader('fr')).body).toMatch(/^Type : +changement$/m);
    expect(renderNotice(change, reader('de')).body).toMatch(/^Art: +Änderung$/m);
    expect(renderNotice({ ...change, ticketKind: 'request' } as Notice, reader('nl')).body).toMatch(
      /^Soort: +aanvraag$/m,
    );
    expect(renderNotice(change, reader('en')).body).toMatch(/^Kind: +change$/m);
  });

  it("spaces the acknowledgement's label colons in French as the rest of its French does, aligned as in English", () => {
    const table = (language: Reader['language']) =>
      renderNotice(notices[0]!, reader(language))
        .body.split('\n')
        .filter((line) => /^\S[^:]*:/.test(line) && !line.startsWith('Bonjour') && !line.startsWith('Dear'));
    expect(table('fr')).toEqual([
      'Ticket :        VIG-000123',
      'Demandeur :     Ana Lopes <ana@acme.lu> (client acme)',
      'Enregistré le : mardi 1 décembre 2026 à 11:30',
      'Type :          incident',
      'Priorité :      P2',
      'Objet :         Printer down',
    ]);
    expect(table('en')).toEqual([
      'Ticket:        VIG-000123',
      'Requester:     Ana Lopes <ana@acme.lu> (customer acme)',
      'Registered on: Tuesday, 1 December 2026 at 11:30',
      'Kind:          incident',
      'Priority:      P2',
      'Summary:       Printer down',
    ]);
  });

  it('elides "de" before the intervention clock in French, in the warning and the breach', () => {
    const intervention = { ...notices[2]!, metric: 'intervention' } as Notice;
    const warning = renderNotice(intervention, reader('fr'));
    expect(warning.subject).toBe(
      "[VIG-000123] Délai d'intervention utilisé à 75 %, échéance mardi 1 décembre 2026 à 11:30 : Printer down",
    );
    expect(warning.body).toContain("75 % du délai d'intervention est utilisé ; l'échéance est le mardi 1 décembre");
    const breach = renderNotice({ ...notices[3]!, metric: 'intervention' } as Notice, reader('fr'));
    expect(breach.subject).toBe(
      "[VIG-000123] Délai d'intervention dépassé (mardi 1 décembre 2026 à 11:30) : Printer down",
    );
    expect(breach.body).toContain("L'échéance d'intervention du mardi 1 décembre 2026 à 11:30 est passée");
    expect(`${warning.subject}${warning.body}${breach.subject}${breach.body}`).not.toContain('de intervention');
  });

  it('tells the customer how to validate or reject a resolution, and when it validates itself', () => {
    const { body } = renderNotice(notices[6]!, reader('de'));
    expect(body).toContain('POST https://vigil.desk.lu/v1/tickets/VIG-000123/validate');
    expect(body).toContain('POST https://vigil.desk.lu/v1/tickets/VIG-000123/reject');
    expect(body).toContain('am Dienstag, 1. Dezember 2026 um 11:30 als bestätigt');
  });

  it("points a contact to the ticket's page in the console, and shows API calls that name no contact", () => {
    for (const [index, kind] of [
      [6, 'resolution'],
      [8, 'quote'],
    ] as const) {
      const { body } = renderNotice(notices[index]!, reader('en'));
      expect(body).toContain(
        "  on the ticket's page, once signed in: https://vigil.desk.lu/console/tickets/VIG-000123",
      );
      expect(body).not.toContain('"contact"');
      expect(body).toContain(
        kind === 'resolution'
          ? '  validate: POST https://vigil.desk.lu/v1/tickets/VIG-000123/validate  {}'
          : '  decline: POST https://vigil.desk.lu/v1/tickets/VIG-000123/quote/decline  {"reason": "<why>"}',
      );
    }
  });

  /**
   * The emergency mail to this audience in this language, checked line by line: the ticket's line, as a warning's
   * opens, what was opened and by when, the priority, then a blank line and what the reader may do on the ticket's page.
   */
  const expectEmergencyMail = (
    audience: EmergencyOpenedNotice['audience'],
    language: Reader['language'],
    subject: string,
    opened: string,
    last: string,
  ) => {
    const mail = renderNotice({ ...(notices[9] as EmergencyOpenedNotice), audience }, reader(language));
    expect(mail.subject).toBe(subject);
    expect(mail.body.split('\n')).toEqual([
      renderNotice(notices[2]!, reader(language)).body.split('\n')[0],
      opened,
      expect.stringContaining('P1'),
      '',
      last,
    ]);
    return mail;
  };

  it.each([
    [
      'en',
      '[VIG-000123] Emergency just opened, to take in charge by Tuesday, 1 December 2026 at 11:30: Printer down',
      'An emergency was opened through the emergency channel on Tuesday, 1 December 2026 at 10:30; it must be taken in charge by Tuesday, 1 December 2026 at 11:30.',
      "Take it in charge on the ticket's page, once signed in: https://vigil.desk.lu/console/tickets/VIG-000123",
    ],
    [
      'fr',
      "[VIG-000123] Urgence ouverte à l'instant, à prendre en charge avant le mardi 1 décembre 2026 à 11:30 : Printer down",
      "Une urgence a été ouverte par le canal d'urgence le mardi 1 décembre 2026 à 10:30 ; elle doit être prise en charge avant le mardi 1 décembre 2026 à 11:30.",
      'Prenez-la en charge sur la page du ticket, une fois connecté : https://vigil.desk.lu/console/tickets/VIG-000123',
    ],
    [
      'de',
      '[VIG-000123] Notfall soeben eröffnet, zu übernehmen bis Dienstag, 1. Dezember 2026 um 11:30: Printer down',
      'Ein Notfall wurde am Dienstag, 1. Dezember 2026 um 10:30 über den Notfallkanal eröffnet; er muss bis Dienstag, 1. Dezember 2026 um 11:30 übernommen werden.',
      'Übernehmen Sie ihn auf der Seite des Tickets, nach der Anmeldung: https://vigil.desk.lu/console/tickets/VIG-000123',
    ],
    [
      'nl',
      '[VIG-000123] Noodgeval zojuist geopend, uiterlijk dinsdag 1 december 2026 om 11:30 in behandeling te nemen: Printer down',
      'Er is op dinsdag 1 december 2026 om 10:30 een noodgeval geopend via het noodkanaal; het moet uiterlijk dinsdag 1 december 2026 om 11:30 in behandeling worden genomen.',
      'Neem het in behandeling op de pagina van het ticket, na het aanmelden: https://vigil.desk.lu/console/tickets/VIG-000123',
    ],
  ] as const)(
    'tells the desk in %s of an emergency just opened: whose, by when to take it in charge, and where in the console',
    (language, subject, opened, inConsole) => {
      expectEmergencyMail('desk', language, subject, opened, inConsole);
    },
  );

  it.each([
    [
      'en',
      '[VIG-000123] Emergency just opened, the support desk must take it in charge by Tuesday, 1 December 2026 at 11:30: Printer down',
      'An emergency was opened through the emergency channel on Tuesday, 1 December 2026 at 10:30; the support desk must take it in charge by Tuesday, 1 December 2026 at 11:30. You are told for your information: nothing is asked of you.',
      "Its progress, on the ticket's page once signed in: https://vigil.desk.lu/console/tickets/VIG-000123",
    ],
    [
      'fr',
      "[VIG-000123] Urgence ouverte à l'instant, que le support doit prendre en charge avant le mardi 1 décembre 2026 à 11:30 : Printer down",
      "Une urgence a été ouverte par le canal d'urgence le mardi 1 décembre 2026 à 10:30 ; le support doit la prendre en charge avant le mardi 1 décembre 2026 à 11:30. Ce message vous en informe : rien ne vous est demandé.",
      'Son suivi, sur la page du ticket une fois connecté : https://vigil.desk.lu/console/tickets/VIG-000123',
    ],
    [
      'de',
      '[VIG-000123] Notfall soeben eröffnet, vom Support zu übernehmen bis Dienstag, 1. Dezember 2026 um 11:30: Printer down',
      'Ein Notfall wurde am Dienstag, 1. Dezember 2026 um 10:30 über den Notfallkanal eröffnet; der Support muss ihn bis Dienstag, 1. Dezember 2026 um 11:30 übernehmen. Diese Nachricht dient Ihrer Information: Von Ihnen wird nichts verlangt.',
      'Den Verlauf sehen Sie auf der Seite des Tickets, nach der Anmeldung: https://vigil.desk.lu/console/tickets/VIG-000123',
    ],
    [
      'nl',
      '[VIG-000123] Noodgeval zojuist geopend, door de supportdesk uiterlijk dinsdag 1 december 2026 om 11:30 in behandeling te nemen: Printer down',
      'Er is op dinsdag 1 december 2026 om 10:30 een noodgeval geopend via het noodkanaal; de supportdesk moet het uiterlijk dinsdag 1 december 2026 om 11:30 in behandeling nemen. Dit bericht is ter informatie: er wordt niets van u gevraagd.',
      'Het verloop ziet u op de pagina van het ticket, na het aanmelden: https://vigil.desk.lu/console/tickets/VIG-000123',
    ],
  ] as const)(
    'tells an escalation contact in %s of an emergency just opened and by when the desk must take it, asking nothing of them',
    (language, subject, opened, follow) => {
      const mail = expectEmergencyMail('informed', language, subject, opened, follow);
      // What the desk is asked to do, the escalation contact is not.
      const desk = renderNotice(notices[9]!, reader(language)).body.split('\n');
      expect(mail.body).not.toContain(desk[1]);
      expect(mail.body).not.toContain(desk[4]);
    },
  );

  it("asks the desk's own people to take an emergency in charge, and only tells the contract's escalation contacts", () => {
    const named = new Set(['cleo@acme.lu', 'both@desk.lu']);
    const roles = parseDeskRoles('desk=support@desk.lu;desk-manager=Both@Desk.lu');
    expect(recipientSide('Cleo@Acme.lu', named, roles)).toBe('customer');
    expect(recipientSide('support@desk.lu', named, roles)).toBe('desk');
    // An assignee, whom no contract names.
    expect(recipientSide('marc@desk.lu', named, roles)).toBe('desk');
    // A contract naming the desk's own address does not make the desk a bystander.
    expect(recipientSide('both@desk.lu', named, roles)).toBe('desk');
  });

  it("words an emergency to an address both the desk and the contract name as the desk's, and on the desk's clock", async () => {
    // The contract names for its emergency escalation the desk's own manager, whom VIGIL_DESK_ROLES lists too, and the
    // customer's manager, whom it does not; the customer reads Montreal's time, the desk Luxembourg's.
    const queued: { recipient: string; subject: string; body: string }[] = [];
    const db = {
      async query(sql: string, values: unknown[] = []) {
        if (/FROM contracts/.test(sql))
          return {
            rows: [
              {
                escalation_contacts: [
                  { level: 'emergency-escalation', name: 'Anne', email: 'Anne@Desk.lu' },
                  { level: 'emergency-escalation', name: 'Boss', email: 'boss@acme.lu' },
                ],
              },
            ],
          };
        if (/INSERT INTO outbox/.test(sql)) {
          const [, , recipient, subject, body] = values as string[];
          queued.push({ recipient: recipient!, subject: subject!, body: body! });
        }
        return { rows: [] };
      },
    } as unknown as Pool;
    const customer: Reader = { language: 'fr', zone: 'America/Montreal' };
    const deskRoles = process.env.VIGIL_DESK_ROLES;
    process.env.VIGIL_DESK_ROLES = 'desk=support@desk.lu;desk-manager=anne@desk.lu';
    try {
      const opening = { ...notices[9]!, notify: ['desk', 'emergency-escalation'] } as Notice & OpeningNotice;
      await queueOpeningNotices(db, (step) => step, opening, customer);
    } finally {
      if (deskRoles === undefined) delete process.env.VIGIL_DESK_ROLES;
      else process.env.VIGIL_DESK_ROLES = deskRoles;
    }
    const emergency = notices[9] as EmergencyOpenedNotice;
    const mail = (audience: 'desk' | 'informed', reading: Reader) => {
      const { subject, body } = renderNotice(
        { ...emergency, consoleUrl: consoleUrl(emergency.ticketNumber), audience },
        reading,
      );
      return { subject, body };
    };
    expect(queued).toEqual([
      { recipient: 'support@desk.lu', ...mail('desk', { language: 'fr', zone: 'Europe/Luxembourg' }) },
      { recipient: 'Anne@Desk.lu', ...mail('desk', { language: 'fr', zone: 'Europe/Luxembourg' }) },
      { recipient: 'boss@acme.lu', ...mail('informed', customer) },
    ]);
  });

  it('reads a quote in the locale: estimate in hours and minutes, amount in its format', () => {
    const { body } = renderNotice(notices[8]!, reader('nl'));
    expect(body).toContain('Geschatte tijd: 8 h 30 min');
    expect(body).toContain('Bedrag: €\u00a01.234,50');
  });

  it("spaces a quote's colons in French as a French reader expects (the subjects' are above)", () => {
    const quote = renderNotice(notices[8]!, reader('fr')).body;
    expect(quote).toMatch(/^[^\n:]*[^ ] : 8 h 30 min$/m);
    expect(quote).toContain(' : 1\u202f234,50\u00a0€');
  });

  it('reads Luxembourgish customers French, and an unknown language English', () => {
    expect(mailLanguage('lb')).toBe('fr');
    expect(mailLanguage('xx')).toBe('en');
    expect(mailLanguage(undefined)).toBe('en');
  });
});
