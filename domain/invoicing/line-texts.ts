/**
 * A line's description in the invoice's language, worded from its label (domain/pricing/line-labels.ts) when the
 * invoice is composed (document.ts, composeInvoice): the HTML, PDF, UBL and Factur-X all print the worded line the
 * document keeps, and an invoice once issued is never worded again. English is pricing's own wording
 * (domain/pricing/line-wording.ts), the one `vigil price` prints.
 */
import type { LineLabel, LineNote, LocalSpan } from '../pricing/line-labels';
import { describeLine } from '../pricing/line-wording';
import { formatMoney, formatMonth, TEXTS, type InvoiceLanguage } from './texts';

type Translated = Exclude<InvoiceLanguage, 'en'>;

/**
 * The presets' own words (policies/presets/*.json: the roles and services rates go by, the time bands' and
 * surcharges' labels, the plans' titles) in the other languages. A desk's own words are printed as it wrote them.
 */
const GLOSSARY: Record<string, Record<Translated, string>> = {
  'remote-assistance': { fr: 'assistance à distance', de: 'Fernwartung', nl: 'hulp op afstand' },
  settings: { fr: 'paramétrage', de: 'Einstellungen', nl: 'instellingen' },
  database: { fr: 'base de données', de: 'Datenbank', nl: 'databank' },
  development: { fr: 'développement', de: 'Entwicklung', nl: 'ontwikkeling' },
  support: { fr: 'support', de: 'Support', nl: 'ondersteuning' },
  cabling: { fr: 'câblage', de: 'Verkabelung', nl: 'bekabeling' },
  technician: { fr: 'technicien', de: 'Techniker', nl: 'technicus' },
  engineer: { fr: 'ingénieur', de: 'Ingenieur', nl: 'ingenieur' },
  consulting: { fr: 'conseil', de: 'Beratung', nl: 'consultancy' },
  'office hours': { fr: 'heures de bureau', de: 'Bürozeiten', nl: 'kantooruren' },
  'outside office hours': { fr: 'hors heures de bureau', de: 'außerhalb der Bürozeiten', nl: 'buiten de kantooruren' },
  Saturday: { fr: 'samedi', de: 'Samstag', nl: 'zaterdag' },
  Sunday: { fr: 'dimanche', de: 'Sonntag', nl: 'zondag' },
  'public holiday': { fr: 'jour férié', de: 'Feiertag', nl: 'feestdag' },
  'weekday rate': { fr: 'tarif de semaine', de: 'Werktagssatz', nl: 'weekdagtarief' },
  'outside weekday hours': {
    fr: 'hors heures de semaine',
    de: 'außerhalb der Werktagszeiten',
    nl: 'buiten de weekdaguren',
  },
  'out-of-hours intervention requested': {
    fr: 'intervention hors heures demandée',
    de: 'Einsatz außerhalb der Geschäftszeiten verlangt',
    nl: 'interventie buiten de uren gevraagd',
  },
  'urgent handling': { fr: 'traitement urgent', de: 'dringende Bearbeitung', nl: 'dringende behandeling' },
  'e-connect Support Desk': {
    fr: 'Support Desk e-connect',
    de: 'e-connect Support Desk',
    nl: 'e-connect Support Desk',
  },
  'e-connect Support Desk, maintenance contract': {
    fr: 'Support Desk e-connect, contrat de maintenance',
    de: 'e-connect Support Desk, Wartungsvertrag',
    nl: 'e-connect Support Desk, onderhoudscontract',
  },
  'Mixvoip Standard support contract': {
    fr: 'contrat de support Mixvoip Standard',
    de: 'Mixvoip Standard Supportvertrag',
    nl: 'Mixvoip Standard supportcontract',
  },
  'Mixvoip Bureau support contract': {
    fr: 'contrat de support Mixvoip Bureau',
    de: 'Mixvoip Bureau Supportvertrag',
    nl: 'Mixvoip Bureau supportcontract',
  },
  'Mixvoip Entreprises support contract': {
    fr: 'contrat de support Mixvoip Entreprises',
    de: 'Mixvoip Entreprises Supportvertrag',
    nl: 'Mixvoip Entreprises supportcontract',
  },
};

interface LineWords {
  intervention: string;
  onSite: string;
  contractRate: string;
  remoteToolInstalled: string;
  fromPrepaid: string;
  requestMinimum: (minimum: string, added: string) => string;
  emergencyFee: string;
  travelFee: string;
  travelTime: string;
  /** "intervention 1" inside a sentence (German keeps its capital). */
  ofIntervention: (n: number) => string;
  travelFees: string;
  quotedWork: string;
  monthlyFee: string;
  /** Hours bought for a year, at a rate (already worded) less a discount. */
  purchase: (time: string, year: number, rate: string, discount: number) => string;
  hourlyRate: string;
  contract: string;
  /** A civil date YYYY-MM-DD in the short numeric form of the language. */
  shortDate: (isoDate: string) => string;
}

const numeric = (separator: string) => (isoDate: string) => isoDate.split('-').reverse().join(separator);

const WORDS: Record<Translated, LineWords> = {
  fr: {
    intervention: 'Intervention',
    onSite: 'sur site',
    contractRate: 'tarif du contrat',
    remoteToolInstalled: "outil de prise en main à distance installé d'abord",
    fromPrepaid: 'sur les heures prépayées',
    requestMinimum: (minimum, added) => `minimum de la demande ${minimum} : +${added}`,
    emergencyFee: "Forfait d'urgence, facturé à l'ouverture du ticket",
    travelFee: 'Forfait de déplacement',
    travelTime: 'Temps de déplacement',
    ofIntervention: (n) => `intervention ${n}`,
    travelFees: 'Frais de déplacement',
    quotedWork: 'Travaux hors contrat, selon le devis accepté',
    monthlyFee: 'Redevance mensuelle du contrat',
    purchase: (time, year, rate, discount) =>
      `Heures de maintenance pour ${year} : ${time} à ${rate} moins ${discount} %`,
    hourlyRate: 'le tarif horaire',
    contract: 'contrat',
    shortDate: numeric('/'),
  },
  de: {
    intervention: 'Einsatz',
    onSite: 'vor Ort',
    contractRate: 'Vertragssatz',
    remoteToolInstalled: 'Fernwartungssoftware zuerst installiert',
    fromPrepaid: 'aus dem Stundenkontingent',
    requestMinimum: (minimum, added) => `Mindestdauer je Anfrage ${minimum}: +${added}`,
    emergencyFee: 'Notfallpauschale, bei Eröffnung des Tickets berechnet',
    travelFee: 'Anfahrtspauschale',
    travelTime: 'Fahrzeit',
    ofIntervention: (n) => `Einsatz ${n}`,
    travelFees: 'Reisekosten',
    quotedWork: 'Arbeiten außerhalb des Vertrags, laut angenommenem Angebot',
    monthlyFee: 'Monatliche Vertragsgebühr',
    purchase: (time, year, rate, discount) => `Wartungsstunden für ${year}: ${time} zu ${rate} abzüglich ${discount} %`,
    hourlyRate: 'dem Stundensatz',
    contract: 'Vertrag',
    shortDate: numeric('.'),
  },
  nl: {
    intervention: 'Interventie',
    onSite: 'ter plaatse',
    contractRate: 'contracttarief',
    remoteToolInstalled: 'software voor hulp op afstand eerst geïnstalleerd',
    fromPrepaid: 'van de vooruitbetaalde uren',
    requestMinimum: (minimum, added) => `minimum per aanvraag ${minimum}: +${added}`,
    emergencyFee: 'Urgentievergoeding, aangerekend bij de opening van het ticket',
    travelFee: 'Verplaatsingsforfait',
    travelTime: 'Verplaatsingstijd',
    ofIntervention: (n) => `interventie ${n}`,
    travelFees: 'Verplaatsingskosten',
    quotedWork: 'Werk buiten het contract, volgens de aanvaarde offerte',
    monthlyFee: 'Maandelijkse contractvergoeding',
    purchase: (time, year, rate, discount) => `Onderhoudsuren voor ${year}: ${time} aan ${rate} min ${discount} %`,
    hourlyRate: 'het uurtarief',
    contract: 'contract',
    shortDate: numeric('-'),
  },
};

/** A preset's word in `language`; anything else as the policy wrote it. */
export const termIn = (term: string, language: Translated): string => GLOSSARY[term]?.[language] ?? term;

function wordLine(label: LineLabel, language: Translated): string {
  const w = WORDS[language];
  const t = TEXTS[language];
  const term = (word: string) => termIn(word, language);
  const span = ({ date, from, toDate, to }: LocalSpan) =>
    `${w.shortDate(date)} ${from}–${toDate === undefined ? '' : `${w.shortDate(toDate)} `}${to}`;
  const note = (n: LineNote): string => {
    switch (n.kind) {
      case 'contract-rate':
        return w.contractRate;
      case 'remote-tool-installed':
        return w.remoteToolInstalled;
      case 'band':
        return n.contractRate ? `${term(n.label)} (${w.contractRate})` : term(n.label);
      case 'request-minimum':
        return `${w.requestMinimum(t.minutes(n.minimumMinutes), t.minutes(n.addedMinutes))}${n.why ? ` (${w.remoteToolInstalled})` : ''}`;
      case 'from-prepaid':
        return w.fromPrepaid;
    }
  };
  const contractRate = (yes: boolean) => (yes ? `, ${w.contractRate}` : '');
  switch (label.kind) {
    case 'intervention': {
      const what = [label.rateName === null ? null : term(label.rateName), label.onSite ? w.onSite : null]
        .filter(Boolean)
        .join(', ');
      return [
        `${w.intervention} ${label.intervention}${what ? ` (${what})` : ''}`,
        span(label.span),
        ...label.notes.map(note),
      ].join(', ');
    }
    case 'emergency-fee':
      return w.emergencyFee;
    case 'travel-fee':
      return `${w.travelFee}, ${w.ofIntervention(label.intervention)}${contractRate(label.contractRate)}`;
    case 'travel-time':
      return `${w.travelTime}, ${w.ofIntervention(label.intervention)}${contractRate(label.contractRate)}`;
    case 'travel-fees':
      return w.travelFees;
    case 'quoted-work':
      return w.quotedWork;
    case 'monthly-fee':
      return `${w.monthlyFee}, ${term(label.plan)}, ${formatMonth(label.month, language)}`;
    case 'prepaid-purchase': {
      const rate = label.listRateCents === null ? w.hourlyRate : `${formatMoney(label.listRateCents, language)}/h`;
      const contract = label.contractId === undefined ? '' : ` (${w.contract} ${label.contractId})`;
      return `${w.purchase(t.minutes(label.minutes), label.year, rate, label.discountPercent)}${contractRate(label.contractRate === true)}${contract}`;
    }
  }
}

/** What the line says on an invoice in `language`. */
export function lineText(label: LineLabel, language: InvoiceLanguage): string {
  return language === 'en' ? describeLine(label) : wordLine(label, language);
}
