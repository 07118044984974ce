import type { Phrases } from './phrases';

export const de: Phrases = {
  metric: { response: 'Reaktionszeit', intervention: 'Interventionszeit', resolution: 'Lösungszeit' },
  kinds: { incident: 'Störung', request: 'Anfrage', change: 'Änderung' },
  noSubject: '(kein Betreff)',
  noText: '(kein Text)',
  dear: (name) => `Guten Tag ${name},`,
  signature: 'Ihr Support',
  nobody: 'noch niemand',
  ticketOf: (ticketNumber, customerId, title) => `Ticket ${ticketNumber} des Kunden ${customerId}: ${title}`,
  colon: (before, after) => `${before}: ${after}`,
  priorityAndAssignee: (priority, assignee) => `Priorität ${priority}; zuständig: ${assignee}.`,
  acknowledgement: {
    headline: (title) => `Ihre Anfrage ist registriert: ${title}`,
    registered: (ticketNumber) => `Der Support hat Ihre Anfrage unter der Ticketnummer ${ticketNumber} registriert.`,
    quoteTheNumber:
      'Bitte geben Sie diese Nummer in jeder Nachricht dazu an; eine Antwort auf diese E-Mail behält sie.',
    labels: {
      ticket: 'Ticket',
      requester: 'Anfragende Person',
      customer: 'Kunde',
      registeredOn: 'Registriert am',
      kind: 'Art',
      priority: 'Priorität',
      summary: 'Betreff',
    },
  },
  refusal: {
    headline: (title) => `Ihre Anfrage konnte nicht angenommen werden: ${title}`,
    notTaken: (ticketNumber, reason) =>
      `Der Support konnte Ihre Anfrage (erfasst als ${ticketNumber}) nicht annehmen: ${reason}.`,
    reasons: {
      'contact-not-authorized-out-of-hours': (contact) =>
        `außerhalb der Servicezeiten dürfen nur die im Vertrag genannten Kontaktpersonen eine Störung melden, und ${contact} gehört nicht dazu`,
    },
    advice:
      'Bitte wenden Sie sich an eine der in Ihrem Vertrag genannten Kontaktpersonen oder schreiben Sie erneut während der Servicezeiten.',
  },
  warning: {
    headline: (metric, percent, due) => `${metric} zu ${percent} % verbraucht, fällig ${due}`,
    used: (metric, percent, due) => `${percent} % der ${metric} sind verbraucht; die Frist endet am ${due}.`,
  },
  breach: {
    headline: (metric, due) => `${metric} überschritten (${due})`,
    passed: (metric, due) => `Die Frist der ${metric} vom ${due} ist verstrichen, ohne eingehalten zu werden.`,
  },
  emergencyOpened: {
    headline: (due) => `Notfall soeben eröffnet, zu übernehmen bis ${due}`,
    opened: (at, due) =>
      `Ein Notfall wurde am ${at} über den Notfallkanal eröffnet; er muss bis ${due} übernommen werden.`,
    inConsole: (url) => `Übernehmen Sie ihn auf der Seite des Tickets, nach der Anmeldung: ${url}`,
    informed: {
      headline: (due) => `Notfall soeben eröffnet, vom Support zu übernehmen bis ${due}`,
      opened: (at, due) =>
        `Ein Notfall wurde am ${at} über den Notfallkanal eröffnet; der Support muss ihn bis ${due} übernehmen. Diese Nachricht dient Ihrer Information: Von Ihnen wird nichts verlangt.`,
      inConsole: (url) => `Den Verlauf sehen Sie auf der Seite des Tickets, nach der Anmeldung: ${url}`,
    },
  },
  takenInCharge: {
    headline: (title) => `In Bearbeitung: ${title}`,
    by: (agent, at) => `${agent} hat Ihre Anfrage am ${at} übernommen.`,
  },
  waiting: {
    headline: (title) => `Wir warten auf Ihre Antwort: ${title}`,
    needsAnswer: 'Um Ihre Anfrage weiter zu bearbeiten, benötigt der Support eine Antwort von Ihnen:',
    paused: 'Die Servicezeit ist bis zu Ihrer Antwort angehalten.',
  },
  resolution: {
    headline: (title) => `Lösung vorgeschlagen, bitte bestätigen oder ablehnen: ${title}`,
    proposes: 'Der Support schlägt folgende Lösung Ihrer Anfrage vor:',
    howTo:
      'Wenn sie Ihr Problem löst, bestätigen Sie sie bitte; wenn nicht, lehnen Sie sie mit Begründung ab, und die Arbeit geht weiter:',
    byApi: 'mit dem API-Schlüssel Ihres Unternehmens. Eine Antwort auf diese E-Mail gilt nicht als Bestätigung.',
    autoValidates: (at) => `Ohne Antwort gilt die Lösung am ${at} als bestätigt.`,
  },
  validated: {
    headline: (title) => `Abgeschlossen: ${title}`,
    closed: (at) => `Ihre Anfrage wurde am ${at} bestätigt und abgeschlossen. Vielen Dank.`,
  },
  quote: {
    headline: (title) => `Angebot zur Annahme: ${title}`,
    needsAgreement: 'Diese Arbeit braucht Ihre Zustimmung, bevor sie beginnt.',
    estimate: 'Geschätzte Zeit',
    amount: 'Betrag',
  },
  invoiceReady: {
    headline: (invoiceNumber) => `Ihre Rechnung ${invoiceNumber} liegt vor`,
    issued: (invoiceNumber, from, to) =>
      `Die Rechnung ${invoiceNumber} für den Zeitraum vom ${from} bis ${to} wurde ausgestellt.`,
    amountDue: (gross, net) => `Zu zahlender Betrag: ${gross} (${net} netto)`,
    dueBy: (date) => `Bitte begleichen Sie sie bis ${date}.`,
    reference: (paymentReference) => `Verwendungszweck: ${paymentReference}`,
    where: 'Die Rechnung zum Lesen oder Drucken:',
    html: (url) => `  zum Lesen: ${url}`,
    pdf: (url) => `  PDF: ${url}`,
    access: 'mit dem API-Schlüssel Ihres Unternehmens. Die Bankverbindung steht auf der Rechnung.',
  },
  inbound: {
    triage: {
      headline: (subject) => `Wir haben Ihre E-Mail erhalten: ${subject}`,
      kept: 'Vielen Dank für Ihre E-Mail. Der Support hat sie erhalten und wird sie prüfen.',
      why: {
        notAContact:
          'Ihre Adresse gehört zu keinem der in einem Supportvertrag genannten Kontakte, daher wurde kein Ticket automatisch eröffnet; der Support meldet sich bei Ihnen.',
        severalContracts:
          'Ihre Adresse ist Kontakt mehrerer Supportverträge, daher wurde kein Ticket automatisch eröffnet; der Support wählt den zutreffenden Vertrag und meldet sich bei Ihnen.',
        notItsContact: (ticketNumber) =>
          `Ihre E-Mail nennt das Ticket ${ticketNumber}, zu dessen Kontakten Ihre Adresse nicht gehört, daher wurde sie ihm nicht hinzugefügt; der Support meldet sich bei Ihnen.`,
        notOpened: 'Der Support konnte daraus nicht automatisch ein Ticket eröffnen; er meldet sich bei Ihnen.',
        ticketEnded: (ticketNumber) =>
          `Das Ticket ${ticketNumber} ist nicht mehr offen, daher wurde Ihre E-Mail ihm nicht hinzugefügt; der Support meldet sich bei Ihnen. Um ein neues Problem zu melden, schreiben Sie uns bitte eine neue E-Mail mit einem neuen Betreff statt einer Antwort.`,
      },
    },
    notAValidation: {
      headline: (title) => `Ihre Nachricht wurde dem Ticket hinzugefügt: ${title}`,
      kept: (ticketNumber) => `Ihre Nachricht wurde dem Ticket ${ticketNumber} hinzugefügt.`,
      howTo:
        'Eine Antwort per E-Mail gilt nicht als Bestätigung der vorgeschlagenen Lösung. Um sie zu bestätigen oder mit Begründung abzulehnen:',
    },
    tooLarge: {
      headline: (subject) => `Ihre E-Mail ist zu groß, um gelesen zu werden: ${subject}`,
      notRead: (size, limit) =>
        `Vielen Dank für Ihre E-Mail. Mit ${size} ist sie größer als die ${limit}, die der Support annimmt; sie wurde nicht gelesen und es wurde kein Ticket eröffnet.`,
      howTo:
        'Bitte senden Sie sie ohne die großen Anhänge erneut, oder mit einem Link darauf. Sie bleibt im Postfach des Supports, wo sie sich jemand ansehen kann.',
    },
  },
  inConsole: (url) => `  auf der Seite des Tickets, nach der Anmeldung: ${url}`,
  reason: 'Grund',
};
