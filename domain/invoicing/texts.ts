/**
 * What an invoice says, in the four languages Vigil invoices in, with dates and amounts written as readers of each
 * expect them. Month names are spelt here rather than taken from Intl: an invoice re-rendered after a Node or ICU
 * upgrade must read the same as the one issued.
 */
import { hoursAndMinutes } from './duration-words';
import type { InvoiceLanguage } from './languages';

export { INVOICE_LANGUAGES, invoiceLanguageOf, type InvoiceLanguage } from './languages';

const MONTHS: Record<InvoiceLanguage, readonly string[]> = {
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
  fr: [
    'janvier',
    'février',
    'mars',
    'avril',
    'mai',
    'juin',
    'juillet',
    'août',
    'septembre',
    'octobre',
    'novembre',
    'décembre',
  ],
  de: [
    'Januar',
    'Februar',
    'März',
    'April',
    'Mai',
    'Juni',
    'Juli',
    'August',
    'September',
    'Oktober',
    'November',
    'Dezember',
  ],
  nl: [
    'januari',
    'februari',
    'maart',
    'april',
    'mei',
    'juni',
    'juli',
    'augustus',
    'september',
    'oktober',
    'november',
    'december',
  ],
};

/** A civil date YYYY-MM-DD as "25 November 2026", "25 novembre 2026", "25. November 2026", "25 november 2026". */
export function formatDate(isoDate: string, language: InvoiceLanguage): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const monthName = MONTHS[language][month - 1];
  return language === 'de' ? `${day}. ${monthName} ${year}` : `${day} ${monthName} ${year}`;
}

/** A month YYYY-MM as "October 2026", "octobre 2026", "Oktober 2026", "oktober 2026". */
export function formatMonth(isoMonth: string, language: InvoiceLanguage): string {
  const [year, month] = isoMonth.split('-').map(Number) as [number, number];
  return `${MONTHS[language][month - 1]} ${year}`;
}

/** Integer cents as "1,234.56 EUR" (en), "1 234,56 EUR" (fr), "1.234,56 EUR" (de), "EUR 1.234,56" (nl); never through a float. */
export function formatMoney(cents: number, language: InvoiceLanguage): string {
  const sign = cents < 0 ? '-' : '';
  const whole = String(Math.floor(Math.abs(cents) / 100));
  const fraction = String(Math.abs(cents) % 100).padStart(2, '0');
  const [group, decimal] = { en: [',', '.'], fr: ['\u202f', ','], de: ['.', ','], nl: ['.', ','] }[language];
  const amount = `${sign}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, group!)}${decimal}${fraction}`;
  return language === 'nl' ? `EUR ${amount}` : `${amount} EUR`;
}

export interface InvoiceTexts {
  invoice: string;
  seller: string;
  buyer: string;
  number: string;
  issued: string;
  due: string;
  period: string;
  vatNumber: string;
  companyNumber: string;
  ticket: string;
  contractLines: string;
  description: string;
  quantity: string;
  rate: string;
  amount: string;
  net: string;
  vat: string;
  gross: string;
  vatOn: (rate: string, net: string) => string;
  paymentTerms: (days: number, due: string) => string;
  payTo: string;
  reference: string;
  prepaidTitle: string;
  prepaidRow: (contract: string, bought: string, used: string, expired: string, left: string) => string;
  prepaidExpired: (contract: string, year: number, time: string) => string;
  reverseCharge: string;
  outsideScope: string;
  latePayment?: string;
  minutes: (minutes: number) => string;
  creditNote: string;
  credits: string;
  reason: string;
  creditTerms: (invoice: string) => string;
}

export const TEXTS: Record<InvoiceLanguage, InvoiceTexts> = {
  en: {
    invoice: 'Invoice',
    seller: 'From',
    buyer: 'Bill to',
    number: 'Invoice number',
    issued: 'Issue date',
    due: 'Due date',
    period: 'Period',
    vatNumber: 'VAT number',
    companyNumber: 'Company number',
    ticket: 'Ticket',
    contractLines: 'Contract and prepaid hours',
    description: 'Description',
    quantity: 'Time',
    rate: 'Rate',
    amount: 'Amount',
    net: 'Total excluding VAT',
    vat: 'VAT',
    gross: 'Total due',
    vatOn: (rate, net) => `VAT ${rate} on ${net}`,
    paymentTerms: (days, due) => `Payable within ${days} days, by ${due}, by bank transfer.`,
    payTo: 'Bank account',
    reference: 'Payment reference',
    prepaidTitle: 'Prepaid hours',
    prepaidRow: (c, b, u, e, l) => `Contract ${c}: bought ${b}, used ${u}, expired ${e}, left ${l}`,
    prepaidExpired: (c, year, time) =>
      `Contract ${c}: ${time} of the hours bought for ${year} unused, expired on 31 December ${year} (not billed, not refunded)`,
    reverseCharge:
      'Reverse charge: VAT to be accounted for by the customer (Article 196 of Council Directive 2006/112/EC).',
    outsideScope:
      'Outside the scope of EU VAT: services to a customer established outside the EU (Article 44 of Council Directive 2006/112/EC).',
    minutes: (minutes) => hoursAndMinutes(minutes, 'en'),
    creditNote: 'Credit note',
    credits: 'Credits invoice',
    reason: 'Reason',
    creditTerms: (invoice) =>
      `This credit note cancels the lines below of invoice ${invoice}: the amount is deducted from what is due, or refunded if it was paid.`,
  },
  fr: {
    invoice: 'Facture',
    seller: 'Émetteur',
    buyer: 'Facturé à',
    number: 'Numéro de facture',
    issued: "Date d'émission",
    due: "Date d'échéance",
    period: 'Période',
    vatNumber: 'N° TVA',
    companyNumber: "N° d'entreprise",
    ticket: 'Ticket',
    contractLines: 'Contrat et heures prépayées',
    description: 'Description',
    quantity: 'Durée',
    rate: 'Tarif',
    amount: 'Montant',
    net: 'Total HT',
    vat: 'TVA',
    gross: 'Total TTC',
    vatOn: (rate, net) => `TVA ${rate} sur ${net}`,
    paymentTerms: (days, due) => `Payable à ${days} jours, au plus tard le ${due}, par virement.`,
    payTo: 'Compte bancaire',
    reference: 'Communication',
    prepaidTitle: 'Heures prépayées',
    prepaidRow: (c, b, u, e, l) => `Contrat ${c} : achetées ${b}, utilisées ${u}, expirées ${e}, restantes ${l}`,
    prepaidExpired: (c, year, time) =>
      `Contrat ${c} : ${time} des heures achetées pour ${year} non utilisées, expirées le 31 décembre ${year} (ni facturées, ni remboursées)`,
    reverseCharge: 'Autoliquidation : TVA due par le preneur (article 196 de la directive 2006/112/CE).',
    outsideScope:
      "Hors champ de la TVA de l'UE : prestation à un preneur établi hors de l'UE (article 44 de la directive 2006/112/CE).",
    latePayment:
      "En cas de retard de paiement : pénalités au taux de la BCE majoré de 10 points et indemnité forfaitaire pour frais de recouvrement de 40 EUR (articles L441-10 et D441-5 du Code de commerce). Pas d'escompte pour paiement anticipé.",
    minutes: (minutes) => hoursAndMinutes(minutes, 'fr'),
    creditNote: 'Note de crédit',
    credits: 'Facture créditée',
    reason: 'Motif',
    creditTerms: (invoice) =>
      `Cette note de crédit annule les lignes ci-dessous de la facture ${invoice} : le montant est déduit de ce qui est dû, ou remboursé s'il a été payé.`,
  },
  de: {
    invoice: 'Rechnung',
    seller: 'Rechnungssteller',
    buyer: 'Rechnungsempfänger',
    number: 'Rechnungsnummer',
    issued: 'Rechnungsdatum',
    due: 'Fällig am',
    period: 'Leistungszeitraum',
    vatNumber: 'USt-IdNr.',
    companyNumber: 'Handelsregisternummer',
    ticket: 'Ticket',
    contractLines: 'Vertrag und Stundenkontingent',
    description: 'Beschreibung',
    quantity: 'Dauer',
    rate: 'Satz',
    amount: 'Betrag',
    net: 'Summe netto',
    vat: 'USt.',
    gross: 'Gesamtbetrag',
    vatOn: (rate, net) => `USt. ${rate} auf ${net}`,
    paymentTerms: (days, due) => `Zahlbar innerhalb von ${days} Tagen bis ${due} per Überweisung.`,
    payTo: 'Bankverbindung',
    reference: 'Verwendungszweck',
    prepaidTitle: 'Stundenkontingent',
    prepaidRow: (c, b, u, e, l) => `Vertrag ${c}: gekauft ${b}, verbraucht ${u}, verfallen ${e}, verbleibend ${l}`,
    prepaidExpired: (c, year, time) =>
      `Vertrag ${c}: ${time} der für ${year} gekauften Stunden ungenutzt, verfallen am 31. Dezember ${year} (nicht berechnet, nicht erstattet)`,
    reverseCharge:
      'Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge, Artikel 196 der Richtlinie 2006/112/EG).',
    outsideScope:
      'Nicht im Anwendungsbereich der EU-Mehrwertsteuer: Leistung an einen Empfänger außerhalb der EU (Artikel 44 der Richtlinie 2006/112/EG).',
    minutes: (minutes) => hoursAndMinutes(minutes, 'de'),
    creditNote: 'Gutschrift',
    credits: 'Zur Rechnung',
    reason: 'Grund',
    creditTerms: (invoice) =>
      `Diese Gutschrift storniert die folgenden Positionen der Rechnung ${invoice}: der Betrag wird verrechnet oder, falls bereits bezahlt, erstattet.`,
  },
  nl: {
    invoice: 'Factuur',
    seller: 'Van',
    buyer: 'Factuur aan',
    number: 'Factuurnummer',
    issued: 'Factuurdatum',
    due: 'Vervaldatum',
    period: 'Periode',
    vatNumber: 'Btw-nummer',
    companyNumber: 'Ondernemingsnummer',
    ticket: 'Ticket',
    contractLines: 'Contract en vooruitbetaalde uren',
    description: 'Omschrijving',
    quantity: 'Duur',
    rate: 'Tarief',
    amount: 'Bedrag',
    net: 'Totaal excl. btw',
    vat: 'Btw',
    gross: 'Te betalen',
    vatOn: (rate, net) => `Btw ${rate} op ${net}`,
    paymentTerms: (days, due) => `Te betalen binnen ${days} dagen, uiterlijk op ${due}, per overschrijving.`,
    payTo: 'Bankrekening',
    reference: 'Gestructureerde mededeling',
    prepaidTitle: 'Vooruitbetaalde uren',
    prepaidRow: (c, b, u, e, l) => `Contract ${c}: gekocht ${b}, gebruikt ${u}, vervallen ${e}, resterend ${l}`,
    prepaidExpired: (c, year, time) =>
      `Contract ${c}: ${time} van de voor ${year} gekochte uren ongebruikt, vervallen op 31 december ${year} (niet gefactureerd, niet terugbetaald)`,
    reverseCharge: 'Btw verlegd: verschuldigd door de medecontractant (artikel 196 van Richtlijn 2006/112/EG).',
    outsideScope:
      'Buiten het toepassingsgebied van de EU-btw: dienst aan een afnemer buiten de EU (artikel 44 van Richtlijn 2006/112/EG).',
    minutes: (minutes) => hoursAndMinutes(minutes, 'nl'),
    creditNote: 'Creditnota',
    credits: 'Gecrediteerde factuur',
    reason: 'Reden',
    creditTerms: (invoice) =>
      `Deze creditnota annuleert de onderstaande regels van factuur ${invoice}: het bedrag wordt verrekend, of terugbetaald als het al betaald is.`,
  },
};
