import type { Phrases } from './phrases';

export const en: Phrases = {
  metric: { response: 'response', intervention: 'intervention', resolution: 'resolution' },
  kinds: { incident: 'incident', request: 'request', change: 'change' },
  noSubject: '(no subject)',
  noText: '(no text)',
  dear: (name) => `Dear ${name},`,
  signature: 'Your support desk',
  nobody: 'none yet',
  ticketOf: (ticketNumber, customerId, title) => `Ticket ${ticketNumber} of customer ${customerId}: ${title}`,
  colon: (before, after) => `${before}: ${after}`,
  priorityAndAssignee: (priority, assignee) => `Priority ${priority}; assignee: ${assignee}.`,
  acknowledgement: {
    headline: (title) => `Your request is registered: ${title}`,
    registered: (ticketNumber) => `The support desk has registered your request under ticket number ${ticketNumber}.`,
    quoteTheNumber: 'Please quote this number in any message about it; a reply to this e-mail keeps it.',
    labels: {
      ticket: 'Ticket',
      requester: 'Requester',
      customer: 'customer',
      registeredOn: 'Registered on',
      kind: 'Kind',
      priority: 'Priority',
      summary: 'Summary',
    },
  },
  refusal: {
    headline: (title) => `Your request could not be taken: ${title}`,
    notTaken: (ticketNumber, reason) =>
      `The support desk could not take your request (recorded as ${ticketNumber}): ${reason}.`,
    reasons: {
      'contact-not-authorized-out-of-hours': (contact) =>
        `out of office hours only the contacts named in the contract may open an incident, and ${contact} is not one of them`,
    },
    advice: 'Please ask one of the contacts named in your contract, or write again during office hours.',
  },
  warning: {
    headline: (metric, percent, due) => `${metric} time ${percent}% used, due ${due}`,
    used: (metric, percent, due) => `${percent}% of the ${metric} time is used; the deadline is ${due}.`,
  },
  breach: {
    headline: (metric, due) => `${metric} deadline missed (${due})`,
    passed: (metric, due) => `The ${metric} deadline of ${due} has passed without being met.`,
  },
  emergencyOpened: {
    headline: (due) => `emergency just opened, to take in charge by ${due}`,
    opened: (at, due) =>
      `An emergency was opened through the emergency channel on ${at}; it must be taken in charge by ${due}.`,
    inConsole: (url) => `Take it in charge on the ticket's page, once signed in: ${url}`,
    informed: {
      headline: (due) => `emergency just opened, the support desk must take it in charge by ${due}`,
      opened: (at, due) =>
        `An emergency was opened through the emergency channel on ${at}; the support desk must take it in charge by ${due}. You are told for your information: nothing is asked of you.`,
      inConsole: (url) => `Its progress, on the ticket's page once signed in: ${url}`,
    },
  },
  takenInCharge: {
    headline: (title) => `Taken in charge: ${title}`,
    by: (agent, at) => `${agent} took your request in charge on ${at}.`,
  },
  waiting: {
    headline: (title) => `We are waiting for you: ${title}`,
    needsAnswer: 'To go on with your request, the support desk needs an answer from you:',
    paused: 'The service time is paused until you answer.',
  },
  resolution: {
    headline: (title) => `Resolution proposed, please validate or reject: ${title}`,
    proposes: 'The support desk proposes this resolution of your request:',
    howTo: 'If it solves your problem, please validate it; if not, reject it with the reason, and the work goes on:',
    byApi: 'with your customer API key. A reply to this e-mail is not taken as a validation.',
    autoValidates: (at) => `Without an answer, the resolution is validated on ${at}.`,
  },
  validated: {
    headline: (title) => `Closed: ${title}`,
    closed: (at) => `Your request was validated and closed on ${at}. Thank you.`,
  },
  quote: {
    headline: (title) => `Quote to accept: ${title}`,
    needsAgreement: 'This work needs your agreement before it starts.',
    estimate: 'Estimated time',
    amount: 'Amount',
  },
  invoiceReady: {
    headline: (invoiceNumber) => `Your invoice ${invoiceNumber} is ready`,
    issued: (invoiceNumber, from, to) =>
      `Invoice ${invoiceNumber} for the period from ${from} to ${to} has been issued.`,
    amountDue: (gross, net) => `Amount due: ${gross} (${net} excl. VAT)`,
    dueBy: (date) => `Please pay it by ${date}.`,
    reference: (paymentReference) => `Payment reference: ${paymentReference}`,
    where: 'The invoice, to read or to print:',
    html: (url) => `  to read: ${url}`,
    pdf: (url) => `  PDF: ${url}`,
    access: 'with your customer API key. The bank details are on the invoice.',
  },
  inbound: {
    triage: {
      headline: (subject) => `We received your e-mail: ${subject}`,
      kept: 'Thank you for your e-mail. The support desk has received it and will look at it.',
      why: {
        notAContact:
          'Your address is not one of the contacts named in a support contract, so no ticket was opened automatically; the desk will get back to you.',
        severalContracts:
          'Your address is a contact of several support contracts, so no ticket was opened automatically; the desk will choose the contract it falls under and get back to you.',
        notItsContact: (ticketNumber) =>
          `Your e-mail names ticket ${ticketNumber}, of which your address is not a contact, so it was not added to it; the desk will get back to you.`,
        notOpened: 'The desk could not open a ticket from it automatically; it will get back to you.',
        ticketEnded: (ticketNumber) =>
          `Ticket ${ticketNumber} is no longer open, so your e-mail was not added to it; the desk will get back to you. To report a new problem, please send us a new e-mail with a new subject rather than a reply.`,
      },
    },
    notAValidation: {
      headline: (title) => `Your message was added to the ticket: ${title}`,
      kept: (ticketNumber) => `Your message has been added to ticket ${ticketNumber}.`,
      howTo:
        'A reply by e-mail is not taken as a validation of the proposed resolution. To validate it, or reject it with the reason:',
    },
    tooLarge: {
      headline: (subject) => `Your e-mail is too large to be read: ${subject}`,
      notRead: (size, limit) =>
        `Thank you for your e-mail. At ${size} it is larger than the ${limit} the support desk takes in, so it was not read and no ticket was opened.`,
      howTo:
        'Please send it again without the large attachments, or with a link to them instead. It stays in the desk’s mailbox, where a person may look at it.',
    },
  },
  inConsole: (url) => `  on the ticket's page, once signed in: ${url}`,
  reason: 'why',
};
