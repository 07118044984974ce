import type { Phrases } from './phrases';

export const nl: Phrases = {
  metric: { response: 'reactietijd', intervention: 'interventietijd', resolution: 'oplostijd' },
  kinds: { incident: 'incident', request: 'aanvraag', change: 'wijziging' },
  noSubject: '(geen onderwerp)',
  noText: '(geen tekst)',
  dear: (name) => `Beste ${name},`,
  signature: 'Uw supportdesk',
  nobody: 'nog niemand',
  ticketOf: (ticketNumber, customerId, title) => `Ticket ${ticketNumber} van klant ${customerId}: ${title}`,
  colon: (before, after) => `${before}: ${after}`,
  priorityAndAssignee: (priority, assignee) => `Prioriteit ${priority}; behandelaar: ${assignee}.`,
  acknowledgement: {
    headline: (title) => `Uw aanvraag is geregistreerd: ${title}`,
    registered: (ticketNumber) => `De supportdesk heeft uw aanvraag geregistreerd onder ticketnummer ${ticketNumber}.`,
    quoteTheNumber: 'Vermeld dit nummer in elk bericht hierover; een antwoord op deze e-mail behoudt het.',
    labels: {
      ticket: 'Ticket',
      requester: 'Aanvrager',
      customer: 'klant',
      registeredOn: 'Geregistreerd op',
      kind: 'Soort',
      priority: 'Prioriteit',
      summary: 'Onderwerp',
    },
  },
  refusal: {
    headline: (title) => `Uw aanvraag kon niet worden aangenomen: ${title}`,
    notTaken: (ticketNumber, reason) =>
      `De supportdesk kon uw aanvraag (geregistreerd als ${ticketNumber}) niet aannemen: ${reason}.`,
    reasons: {
      'contact-not-authorized-out-of-hours': (contact) =>
        `buiten de kantooruren mogen alleen de contactpersonen uit het contract een incident melden, en ${contact} hoort daar niet bij`,
    },
    advice: 'Vraag het aan een van de contactpersonen uit uw contract, of schrijf opnieuw tijdens de kantooruren.',
  },
  warning: {
    headline: (metric, percent, due) => `${metric} voor ${percent}% verbruikt, uiterlijk ${due}`,
    used: (metric, percent, due) => `${percent}% van de ${metric} is verbruikt; de termijn loopt af op ${due}.`,
  },
  breach: {
    headline: (metric, due) => `${metric} overschreden (${due})`,
    passed: (metric, due) => `De termijn voor de ${metric} van ${due} is verstreken zonder te zijn gehaald.`,
  },
  emergencyOpened: {
    headline: (due) => `noodgeval zojuist geopend, uiterlijk ${due} in behandeling te nemen`,
    opened: (at, due) =>
      `Er is op ${at} een noodgeval geopend via het noodkanaal; het moet uiterlijk ${due} in behandeling worden genomen.`,
    inConsole: (url) => `Neem het in behandeling op de pagina van het ticket, na het aanmelden: ${url}`,
    informed: {
      headline: (due) => `noodgeval zojuist geopend, door de supportdesk uiterlijk ${due} in behandeling te nemen`,
      opened: (at, due) =>
        `Er is op ${at} een noodgeval geopend via het noodkanaal; de supportdesk moet het uiterlijk ${due} in behandeling nemen. Dit bericht is ter informatie: er wordt niets van u gevraagd.`,
      inConsole: (url) => `Het verloop ziet u op de pagina van het ticket, na het aanmelden: ${url}`,
    },
  },
  takenInCharge: {
    headline: (title) => `In behandeling: ${title}`,
    by: (agent, at) => `${agent} heeft uw aanvraag op ${at} in behandeling genomen.`,
  },
  waiting: {
    headline: (title) => `Wij wachten op uw antwoord: ${title}`,
    needsAnswer: 'Om uw aanvraag verder te behandelen heeft de supportdesk een antwoord van u nodig:',
    paused: 'De servicetijd staat stil tot u antwoordt.',
  },
  resolution: {
    headline: (title) => `Oplossing voorgesteld, graag bevestigen of weigeren: ${title}`,
    proposes: 'De supportdesk stelt deze oplossing van uw aanvraag voor:',
    howTo: 'Als ze uw probleem oplost, bevestig ze dan; zo niet, weiger ze met de reden, en het werk gaat verder:',
    byApi: 'met de API-sleutel van uw bedrijf. Een antwoord op deze e-mail geldt niet als bevestiging.',
    autoValidates: (at) => `Zonder antwoord wordt de oplossing bevestigd op ${at}.`,
  },
  validated: {
    headline: (title) => `Afgesloten: ${title}`,
    closed: (at) => `Uw aanvraag is bevestigd en afgesloten op ${at}. Dank u.`,
  },
  quote: {
    headline: (title) => `Offerte te aanvaarden: ${title}`,
    needsAgreement: 'Dit werk heeft uw akkoord nodig voor het begint.',
    estimate: 'Geschatte tijd',
    amount: 'Bedrag',
  },
  invoiceReady: {
    headline: (invoiceNumber) => `Uw factuur ${invoiceNumber} staat klaar`,
    issued: (invoiceNumber, from, to) =>
      `Factuur ${invoiceNumber} voor de periode van ${from} tot ${to} is uitgegeven.`,
    amountDue: (gross, net) => `Te betalen bedrag: ${gross} (${net} excl. btw)`,
    dueBy: (date) => `Gelieve te betalen uiterlijk op ${date}.`,
    reference: (paymentReference) => `Mededeling bij betaling: ${paymentReference}`,
    where: 'De factuur, om te lezen of af te drukken:',
    html: (url) => `  om te lezen: ${url}`,
    pdf: (url) => `  PDF: ${url}`,
    access: 'met de API-sleutel van uw bedrijf. De bankgegevens staan op de factuur.',
  },
  inbound: {
    triage: {
      headline: (subject) => `We hebben uw e-mail ontvangen: ${subject}`,
      kept: 'Bedankt voor uw e-mail. De helpdesk heeft hem ontvangen en zal hem bekijken.',
      why: {
        notAContact:
          'Uw adres is geen van de contactpersonen uit een supportcontract, daarom is er niet automatisch een ticket geopend; de helpdesk neemt contact met u op.',
        severalContracts:
          'Uw adres is contactpersoon van meerdere supportcontracten, daarom is er niet automatisch een ticket geopend; de helpdesk kiest het juiste contract en neemt contact met u op.',
        notItsContact: (ticketNumber) =>
          `Uw e-mail noemt ticket ${ticketNumber}, waarvan uw adres geen contactpersoon is, daarom is hij er niet aan toegevoegd; de helpdesk neemt contact met u op.`,
        notOpened: 'De helpdesk kon er niet automatisch een ticket van openen; hij neemt contact met u op.',
        ticketEnded: (ticketNumber) =>
          `Ticket ${ticketNumber} is niet meer open, daarom is uw e-mail er niet aan toegevoegd; de helpdesk neemt contact met u op. Om een nieuw probleem te melden, stuurt u ons een nieuwe e-mail met een nieuw onderwerp in plaats van een antwoord.`,
      },
    },
    notAValidation: {
      headline: (title) => `Uw bericht is aan het ticket toegevoegd: ${title}`,
      kept: (ticketNumber) => `Uw bericht is aan ticket ${ticketNumber} toegevoegd.`,
      howTo:
        'Een antwoord per e-mail geldt niet als goedkeuring van de voorgestelde oplossing. Om ze goed te keuren, of met de reden af te wijzen:',
    },
    tooLarge: {
      headline: (subject) => `Uw e-mail is te groot om gelezen te worden: ${subject}`,
      notRead: (size, limit) =>
        `Bedankt voor uw e-mail. Met ${size} is hij groter dan de ${limit} die de support aanneemt; hij is niet gelezen en er is geen ticket geopend.`,
      howTo:
        'Stuur hem opnieuw zonder de grote bijlagen, of met een link ernaar. Hij blijft in de mailbox van de support, waar iemand hem kan bekijken.',
    },
  },
  inConsole: (url) => `  op de pagina van het ticket, na het aanmelden: ${url}`,
  reason: 'reden',
};
