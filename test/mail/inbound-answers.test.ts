import { MAIL_LANGUAGES } from '../../mail/format';
import { renderInboundAnswer } from '../../mail/render';

const reader = (language: (typeof MAIL_LANGUAGES)[number]) => ({ language, zone: 'Europe/Luxembourg' });

describe('answers to mail received', () => {
  it('tells a stranger the mail is kept, in each language', () => {
    const subjects = MAIL_LANGUAGES.map(
      (language) =>
        renderInboundAnswer(
          { kind: 'inbound-triage', subject: 'Devis', senderName: 'Jo', why: { reason: 'not-a-contact' } },
          reader(language),
        ).subject,
    );
    expect(subjects).toEqual([
      'We received your e-mail: Devis',
      'Nous avons bien reçu votre courriel : Devis',
      'Wir haben Ihre E-Mail erhalten: Devis',
      'We hebben uw e-mail ontvangen: Devis',
    ]);
  });

  // Each mail kept for the desk says why in its own words: a contact of a contract is never told it is none.
  it.each([
    [{ reason: 'not-a-contact' } as const, 'is not one of the contacts named in a support contract'],
    [{ reason: 'several-contracts' } as const, 'is a contact of several support contracts'],
    [{ reason: 'not-opened' } as const, 'could not open a ticket from it automatically'],
    [
      { reason: 'not-its-contact', ticketNumber: 'VIG-000009' } as const,
      'names ticket VIG-000009, of which your address',
    ],
    [{ reason: 'ticket-ended', ticketNumber: 'VIG-000009' } as const, 'Ticket VIG-000009 is no longer open'],
  ])('tells why a mail was kept for the desk: %j', (why, words) => {
    const { body } = renderInboundAnswer(
      { kind: 'inbound-triage', subject: 'Écran noir', senderName: 'Jo', why },
      reader('en'),
    );
    expect(body).toContain(words);
    const others = [
      'is not one of the contacts',
      'several support contracts',
      'could not open',
      'names ticket',
      'no longer open',
    ];
    expect(others.filter((other) => body.includes(other))).toHaveLength(1);
  });

  it('tells the sender of a reply to an ended ticket how to report a new problem, in each language', () => {
    const bodies = MAIL_LANGUAGES.map(
      (language) =>
        renderInboundAnswer(
          {
            kind: 'inbound-triage',
            subject: 'Re: [VIG-000009] VPN',
            senderName: 'Jo',
            why: { reason: 'ticket-ended', ticketNumber: 'VIG-000009' },
          },
          reader(language),
        ).body,
    );
    expect(bodies.map((body) => body.includes('VIG-000009'))).toEqual([true, true, true, true]);
    expect(bodies[1]).toContain("Le ticket VIG-000009 n'est plus ouvert");
  });

  it('answers a reply awaiting validation with how to validate, never taking it for one', () => {
    const { subject, body } = renderInboundAnswer(
      {
        kind: 'inbound-not-a-validation',
        ticketNumber: 'VIG-000123',
        title: 'VPN',
        contactName: 'Ana',
        actionsUrl: 'https://desk.test/v1/tickets/VIG-000123',
      },
      reader('fr'),
    );
    expect(subject).toBe('[VIG-000123] Votre message a été ajouté au ticket : VPN');
    expect(body).toContain('Une réponse par courriel ne vaut pas validation');
    // The ticket's page first, where the contact signs in; then the calls, whose bodies name no contact (ignored).
    expect(body).toContain(
      [
        '  sur la page du ticket, une fois connecté : https://desk.test/console/tickets/VIG-000123',
        '  validate: POST https://desk.test/v1/tickets/VIG-000123/validate  {}',
        '  reject: POST https://desk.test/v1/tickets/VIG-000123/reject  {"reason": "<raison>"}',
      ].join('\n'),
    );
    expect(body).not.toContain('"contact"');
  });
});
