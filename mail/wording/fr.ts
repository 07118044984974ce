import type { Phrases } from './phrases';

/** "de" before a metric's name, elided before a vowel: « délai d'intervention », never « délai de intervention ». */
const de = (noun: string) => (/^[aeiouyéèêàâîôû]/i.test(noun) ? `d'${noun}` : `de ${noun}`);

export const fr: Phrases = {
  metric: { response: 'prise en charge', intervention: 'intervention', resolution: 'résolution' },
  kinds: { incident: 'incident', request: 'demande', change: 'changement' },
  noSubject: '(sans objet)',
  noText: '(sans texte)',
  dear: (name) => `Bonjour ${name},`,
  signature: 'Votre support',
  nobody: 'personne pour le moment',
  ticketOf: (ticketNumber, customerId, title) => `Ticket ${ticketNumber} du client ${customerId} : ${title}`,
  colon: (before, after) => `${before} : ${after}`,
  priorityAndAssignee: (priority, assignee) => `Priorité ${priority} ; technicien : ${assignee}.`,
  acknowledgement: {
    headline: (title) => `Votre demande est enregistrée : ${title}`,
    registered: (ticketNumber) => `Le support a enregistré votre demande sous le numéro de ticket ${ticketNumber}.`,
    quoteTheNumber: 'Merci de rappeler ce numéro dans tout message à son sujet ; une réponse à ce courriel le garde.',
    labels: {
      ticket: 'Ticket',
      requester: 'Demandeur',
      customer: 'client',
      registeredOn: 'Enregistré le',
      kind: 'Type',
      priority: 'Priorité',
      summary: 'Objet',
    },
  },
  refusal: {
    headline: (title) => `Votre demande n'a pas pu être prise : ${title}`,
    notTaken: (ticketNumber, reason) =>
      `Le support n'a pas pu prendre votre demande (enregistrée sous ${ticketNumber}) : ${reason}.`,
    reasons: {
      'contact-not-authorized-out-of-hours': (contact) =>
        `en dehors des heures de service, seuls les contacts nommés dans le contrat peuvent ouvrir un incident, et ${contact} n'en fait pas partie`,
    },
    advice:
      "Merci de passer par l'un des contacts nommés dans votre contrat, ou d'écrire à nouveau pendant les heures de service.",
  },
  warning: {
    headline: (metric, percent, due) => `délai ${de(metric)} utilisé à ${percent} %, échéance ${due}`,
    used: (metric, percent, due) => `${percent} % du délai ${de(metric)} est utilisé ; l'échéance est le ${due}.`,
  },
  breach: {
    headline: (metric, due) => `délai ${de(metric)} dépassé (${due})`,
    passed: (metric, due) => `L'échéance ${de(metric)} du ${due} est passée sans être tenue.`,
  },
  emergencyOpened: {
    headline: (due) => `urgence ouverte à l'instant, à prendre en charge avant le ${due}`,
    opened: (at, due) =>
      `Une urgence a été ouverte par le canal d'urgence le ${at} ; elle doit être prise en charge avant le ${due}.`,
    inConsole: (url) => `Prenez-la en charge sur la page du ticket, une fois connecté : ${url}`,
    informed: {
      headline: (due) => `urgence ouverte à l'instant, que le support doit prendre en charge avant le ${due}`,
      opened: (at, due) =>
        `Une urgence a été ouverte par le canal d'urgence le ${at} ; le support doit la prendre en charge avant le ${due}. Ce message vous en informe : rien ne vous est demandé.`,
      inConsole: (url) => `Son suivi, sur la page du ticket une fois connecté : ${url}`,
    },
  },
  takenInCharge: {
    headline: (title) => `Prise en charge : ${title}`,
    by: (agent, at) => `${agent} a pris votre demande en charge le ${at}.`,
  },
  waiting: {
    headline: (title) => `Nous attendons votre réponse : ${title}`,
    needsAnswer: 'Pour poursuivre le traitement de votre demande, le support a besoin de votre réponse :',
    paused: "Le délai de service est suspendu jusqu'à votre réponse.",
  },
  resolution: {
    headline: (title) => `Résolution proposée, à valider ou refuser : ${title}`,
    proposes: 'Le support propose cette résolution de votre demande :',
    howTo:
      'Si elle résout votre problème, merci de la valider ; sinon, refusez-la en donnant la raison, et le travail reprend :',
    byApi: "avec la clé d'API de votre société. Une réponse à ce courriel ne vaut pas validation.",
    autoValidates: (at) => `Sans réponse de votre part, la résolution sera validée le ${at}.`,
  },
  validated: {
    headline: (title) => `Clôturé : ${title}`,
    closed: (at) => `Votre demande a été validée et clôturée le ${at}. Merci.`,
  },
  quote: {
    headline: (title) => `Devis à accepter : ${title}`,
    needsAgreement: 'Ce travail demande votre accord avant de commencer.',
    estimate: 'Temps estimé',
    amount: 'Montant',
  },
  invoiceReady: {
    headline: (invoiceNumber) => `Votre facture ${invoiceNumber} est disponible`,
    issued: (invoiceNumber, from, to) => `La facture ${invoiceNumber} pour la période du ${from} au ${to} a été émise.`,
    amountDue: (gross, net) => `Montant à payer : ${gross} (${net} HT)`,
    dueBy: (date) => `Merci de la régler au plus tard le ${date}.`,
    reference: (paymentReference) => `Communication du paiement : ${paymentReference}`,
    where: 'La facture, à lire ou à imprimer :',
    html: (url) => `  à lire : ${url}`,
    pdf: (url) => `  PDF : ${url}`,
    access: "avec la clé d'API de votre société. Les coordonnées bancaires figurent sur la facture.",
  },
  inbound: {
    triage: {
      headline: (subject) => `Nous avons bien reçu votre courriel : ${subject}`,
      kept: "Merci pour votre courriel. Le support l'a bien reçu et va le regarder.",
      why: {
        notAContact:
          "Votre adresse ne fait pas partie des contacts nommés dans un contrat de support : aucun ticket n'a été ouvert automatiquement ; le support reviendra vers vous.",
        severalContracts:
          "Votre adresse est celle d'un contact de plusieurs contrats de support : aucun ticket n'a été ouvert automatiquement ; le support choisira le contrat concerné et reviendra vers vous.",
        notItsContact: (ticketNumber) =>
          `Votre courriel cite le ticket ${ticketNumber}, dont votre adresse n'est pas un contact : il n'y a pas été ajouté ; le support reviendra vers vous.`,
        notOpened:
          "Le support n'a pas pu ouvrir de ticket automatiquement à partir de ce courriel ; il reviendra vers vous.",
        ticketEnded: (ticketNumber) =>
          `Le ticket ${ticketNumber} n'est plus ouvert : votre courriel n'y a pas été ajouté ; le support reviendra vers vous. Pour signaler un nouveau problème, merci de nous écrire un nouveau courriel, avec un nouvel objet, plutôt qu'une réponse.`,
      },
    },
    notAValidation: {
      headline: (title) => `Votre message a été ajouté au ticket : ${title}`,
      kept: (ticketNumber) => `Votre message a été ajouté au ticket ${ticketNumber}.`,
      howTo:
        'Une réponse par courriel ne vaut pas validation de la résolution proposée. Pour la valider, ou la refuser en donnant la raison :',
    },
    tooLarge: {
      headline: (subject) => `Votre courriel est trop volumineux pour être lu : ${subject}`,
      notRead: (size, limit) =>
        `Merci pour votre courriel. Avec ${size}, il dépasse les ${limit} que le support accepte : il n'a pas été lu et aucun ticket n'a été ouvert.`,
      howTo:
        'Merci de le renvoyer sans les pièces jointes volumineuses, ou avec un lien vers elles. Il reste dans la boîte du support, où une personne pourra le consulter.',
    },
  },
  inConsole: (url) => `  sur la page du ticket, une fois connecté : ${url}`,
  reason: 'raison',
};
