import { MAIL_LANGUAGES } from '../../mail/format';
import { renderInboundAnswer } from '../../mail/render';

const reader = (language: (typeof MAIL_LANGUAGES)[number]) => ({ language, zone: 'Europe/Luxembourg' });

describe('answers to mail received', () => {
  it('tells a stranger the mail is kept, in each language', () => {
    const subjects = MAIL_LANGUAGES.map(
      (language) =>
        renderInboundAnswer({ kind: 'inbound-triage', subject: 'Devis', senderName: 'Jo' }, reader(language)).subject,
    );
    expect(subjects).toEqual([
      'We received your e-mail: Devis',
      'Nous avons bien reçu votre courriel : Devis',
      'Wir haben Ihre E-Mail erhalten: Devis',
      'We hebben uw e-mail ontvangen: Devis',
    ]);
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
