import { composeInvoice } from '../../domain/invoicing/document';
import { invoiceLayout } from '../../domain/invoicing/layout';
import { lineText } from '../../domain/invoicing/line-texts';
import { INVOICE_LANGUAGES } from '../../domain/invoicing/texts';
import { monthlyContractFeeLine, priceRequest, type PriceLine } from '../../domain/pricing';
import type { LineLabel } from '../../domain/pricing/line-labels';
import { describeLine } from '../../domain/pricing/line-wording';
import { purchaseLine } from '../../domain/pricing/prepaid-hours';
import { findPolicy } from '../../policies/registry';
import { DEMO_SELLER } from '../../infra/seller';
import { BUYERS } from '../support/invoicing/documents';
import { item } from '../support/pricing';

// Lines of every kind pricing writes: bands and surcharges, contract rates, the request's minimum and its reason,
// prepaid hours, travel, the emergency fee, a monthly fee and a purchase of maintenance hours.
const priced: PriceLine[] = [
  ...priceRequest(findPolicy('care-solutions'), {
    items: [item('2026-05-13T16:30:00+02:00', '2026-05-13T17:30:00+02:00', { service: 'remote-assistance' })],
  }).lines,
  ...priceRequest(findPolicy('econnect'), {
    emergency: true,
    items: [item('2026-05-16T10:00:00+02:00', '2026-05-16T10:30:00+02:00')],
  }).lines,
  ...priceRequest(findPolicy('tm-minimum'), {
    items: [item('2026-05-13T10:00:00+02:00', '2026-05-13T10:05:00+02:00', { remoteToolMissing: true, urgent: true })],
    trips: [{ item: 0, minutes: 20 }],
  }).lines,
  ...priceRequest(
    findPolicy('tm-minimum'),
    { items: [item('2026-05-13T10:00:00+02:00', '2026-05-13T10:05:00+02:00')] },
    { hourlyCents: 9000, travel: { hourlyCents: 5000 } },
  ).lines,
  ...priceRequest(
    findPolicy('mixvoip-standard'),
    {
      travelCents: 4250,
      items: [item('2026-05-13T19:30:00+02:00', '2026-05-13T20:30:00+02:00', { role: 'technician', onSite: true })],
    },
    { outOfHoursPercent: 175 },
  ).lines,
  ...priceRequest(findPolicy('econnect-maintenance'), {
    prepaidMinutes: 20,
    items: [item('2026-05-13T23:50:00+02:00', '2026-05-14T00:30:00+02:00')],
  }).lines,
  monthlyContractFeeLine(findPolicy('mixvoip-standard'), '2026-10')!,
  purchaseLine(600, 9500, 2026),
];
// A purchase under a contract's own rate, as activities/invoicing.ts (purchasePriceLine) labels it.
const contractPurchase: LineLabel = {
  kind: 'prepaid-purchase',
  minutes: 90,
  year: 2026,
  listRateCents: 9500,
  discountPercent: 5,
  contractRate: true,
  contractId: '12',
};

describe("an invoice line's words, from its label, in the customer's language", () => {
  it('says in English exactly what pricing wrote: the label carries everything the description says', () => {
    expect(priced.length).toBeGreaterThan(10);
    for (const line of priced) expect(lineText(line.label, 'en')).toBe(line.description);
    // The kinds no preset prices here: a per-trip fee (a contract's or policy's) and work billed at its quote (activities/billing.ts).
    expect(describeLine({ kind: 'travel-fee', intervention: 2, contractRate: true })).toBe(
      'Travel fee, intervention 2, contract rate',
    );
    expect(lineText({ kind: 'travel-fee', intervention: 2, contractRate: true }, 'nl')).toBe(
      'Verplaatsingsforfait, interventie 2, contracttarief',
    );
    expect(lineText({ kind: 'quoted-work' }, 'fr')).toBe('Travaux hors contrat, selon le devis accepté');
    expect(describeLine(contractPurchase)).toBe(
      '1 h 30 min maintenance hours for 2026, 95.00 EUR/h less 5%, contract rate (contract 12)',
    );
    expect(lineText(contractPurchase, 'fr')).toBe(
      'Heures de maintenance pour 2026 : 1 h 30 à 95,00 EUR/h moins 5 %, tarif du contrat (contrat 12)',
    );
    expect(lineText(contractPurchase, 'de')).toBe(
      'Wartungsstunden für 2026: 1 Std. 30 Min. zu 95,00 EUR/h abzüglich 5 %, Vertragssatz (Vertrag 12)',
    );
    // Every kind and every note is there.
    const kinds = new Set(priced.map((line) => line.label.kind));
    expect([...kinds].sort()).toEqual(
      ['emergency-fee', 'intervention', 'monthly-fee', 'prepaid-purchase', 'travel-fees', 'travel-time'].sort(),
    );
    const notes = new Set(
      priced.flatMap((line) => (line.label.kind === 'intervention' ? line.label.notes.map((note) => note.kind) : [])),
    );
    expect([...notes].sort()).toEqual([
      'band',
      'contract-rate',
      'from-prepaid',
      'remote-tool-installed',
      'request-minimum',
    ]);
  });

  it('words every line in French, German and Dutch, with no English left', () => {
    const words = (language: 'fr' | 'de' | 'nl') => priced.map((line) => lineText(line.label, language));
    expect(words('fr')).toEqual([
      'Intervention 1 (assistance à distance), 13/05/2026 16:30–17:00, heures de bureau',
      'Intervention 1 (assistance à distance), 13/05/2026 17:00–17:30, hors heures de bureau',
      "Forfait d'urgence, facturé à l'ouverture du ticket",
      'Intervention 1, 16/05/2026 10:00–10:30',
      "Intervention 1, 13/05/2026 10:00–10:05, outil de prise en main à distance installé d'abord, traitement urgent, minimum de la demande 1 h 00 : +0 h 55",
      'Temps de déplacement, intervention 1',
      'Intervention 1, 13/05/2026 10:00–10:05, tarif du contrat, minimum de la demande 0 h 15 : +0 h 10',
      'Intervention 1 (technicien, sur site), 13/05/2026 19:30–20:00, tarif de semaine',
      'Intervention 1 (technicien, sur site), 13/05/2026 20:00–20:30, hors heures de semaine (tarif du contrat)',
      'Frais de déplacement',
      'Intervention 1, 13/05/2026 23:50–14/05/2026 00:30, sur les heures prépayées',
      'Intervention 1, 13/05/2026 23:50–14/05/2026 00:30',
      'Redevance mensuelle du contrat, contrat de support Mixvoip Standard, octobre 2026',
      'Heures de maintenance pour 2026 : 10 h 00 à 100,00 EUR/h moins 5 %',
    ]);
    expect(words('de')).toEqual([
      'Einsatz 1 (Fernwartung), 13.05.2026 16:30–17:00, Bürozeiten',
      'Einsatz 1 (Fernwartung), 13.05.2026 17:00–17:30, außerhalb der Bürozeiten',
      'Notfallpauschale, bei Eröffnung des Tickets berechnet',
      'Einsatz 1, 16.05.2026 10:00–10:30',
      'Einsatz 1, 13.05.2026 10:00–10:05, Fernwartungssoftware zuerst installiert, dringende Bearbeitung, Mindestdauer je Anfrage 1 Std. 00 Min.: +0 Std. 55 Min.',
      'Fahrzeit, Einsatz 1',
      'Einsatz 1, 13.05.2026 10:00–10:05, Vertragssatz, Mindestdauer je Anfrage 0 Std. 15 Min.: +0 Std. 10 Min.',
      'Einsatz 1 (Techniker, vor Ort), 13.05.2026 19:30–20:00, Werktagssatz',
      'Einsatz 1 (Techniker, vor Ort), 13.05.2026 20:00–20:30, außerhalb der Werktagszeiten (Vertragssatz)',
      'Reisekosten',
      'Einsatz 1, 13.05.2026 23:50–14.05.2026 00:30, aus dem Stundenkontingent',
      'Einsatz 1, 13.05.2026 23:50–14.05.2026 00:30',
      'Monatliche Vertragsgebühr, Mixvoip Standard Supportvertrag, Oktober 2026',
      'Wartungsstunden für 2026: 10 Std. 00 Min. zu 100,00 EUR/h abzüglich 5 %',
    ]);
    expect(words('nl')).toEqual([
      'Interventie 1 (hulp op afstand), 13-05-2026 16:30–17:00, kantooruren',
      'Interventie 1 (hulp op afstand), 13-05-2026 17:00–17:30, buiten de kantooruren',
      'Urgentievergoeding, aangerekend bij de opening van het ticket',
      'Interventie 1, 16-05-2026 10:00–10:30',
      'Interventie 1, 13-05-2026 10:00–10:05, software voor hulp op afstand eerst geïnstalleerd, dringende behandeling, minimum per aanvraag 1 u 00 min: +0 u 55 min',
      'Verplaatsingstijd, interventie 1',
      'Interventie 1, 13-05-2026 10:00–10:05, contracttarief, minimum per aanvraag 0 u 15 min: +0 u 10 min',
      'Interventie 1 (technicus, ter plaatse), 13-05-2026 19:30–20:00, weekdagtarief',
      'Interventie 1 (technicus, ter plaatse), 13-05-2026 20:00–20:30, buiten de weekdaguren (contracttarief)',
      'Verplaatsingskosten',
      'Interventie 1, 13-05-2026 23:50–14-05-2026 00:30, van de vooruitbetaalde uren',
      'Interventie 1, 13-05-2026 23:50–14-05-2026 00:30',
      'Maandelijkse contractvergoeding, Mixvoip Standard supportcontract, oktober 2026',
      'Onderhoudsuren voor 2026: 10 u 00 min aan EUR 100,00/h min 5 %',
    ]);
    const english =
      /\b(Monthly|maintenance hours|contract rate|from prepaid|request minimum|Travel|Emergency|on site|outside|office hours|remote-control)\b/;
    for (const language of ['fr', 'de', 'nl'] as const)
      for (const text of words(language)) expect(text).not.toMatch(english);
  });

  it.each([
    ['fr', 'Redevance mensuelle du contrat, contrat de support Mixvoip Standard, octobre 2026'],
    ['de', 'Monatliche Vertragsgebühr, Mixvoip Standard Supportvertrag, Oktober 2026'],
    ['nl', 'Maandelijkse contractvergoeding, Mixvoip Standard supportcontract, oktober 2026'],
    ['en', 'Monthly contract fee, Mixvoip Standard support contract, 2026-10'],
  ] as const)('words the monthly fee in %s', (language, text) => {
    expect(
      lineText({ kind: 'monthly-fee', plan: 'Mixvoip Standard support contract', month: '2026-10' }, language),
    ).toBe(text);
  });

  it("prints a desk's own words as it wrote them", () => {
    const label: LineLabel = {
      kind: 'intervention',
      intervention: 2,
      rateName: 'Netzwerk-Audit',
      onSite: true,
      span: { date: '2026-12-31', from: '23:30', toDate: '2027-01-01', to: '00:15' },
      notes: [{ kind: 'band', label: 'Silvester', contractRate: true }],
    };
    expect(lineText(label, 'fr')).toBe(
      'Intervention 2 (Netzwerk-Audit, sur site), 31/12/2026 23:30–01/01/2027 00:15, Silvester (tarif du contrat)',
    );
    expect(lineText(label, 'de')).toBe(
      'Einsatz 2 (Netzwerk-Audit, vor Ort), 31.12.2026 23:30–01.01.2027 00:15, Silvester (Vertragssatz)',
    );
  });

  it('composes the worded line into the document, and keeps the text of a line billed before labels', () => {
    const fee = monthlyContractFeeLine(findPolicy('mixvoip-standard'), '2026-10')!;
    const compose = (language: string) =>
      composeInvoice({
        number: 'INV-2026-000042',
        issueDate: '2026-11-02',
        periodStart: '2026-10-01',
        periodEnd: '2026-10-31',
        seller: DEMO_SELLER,
        buyer: BUYERS.FR,
        language,
        lines: [
          {
            ticketNumber: 'VIG-000001',
            description: 'VIG-000001: remote assistance',
            minutes: 37,
            rateCents: 10000,
            multiplier: 1.5,
            amountCents: 9251,
          },
          { ...fee, ticketNumber: null },
        ],
        ticketTitles: { 'VIG-000001': 'Printer down' },
      });
    for (const language of INVOICE_LANGUAGES) {
      const document = compose(language);
      expect(document.contractLines[0]).toMatchObject({ description: lineText(fee.label, language), label: fee.label });
      expect(document.tickets[0]!.lines[0]!.description).toBe('VIG-000001: remote assistance');
    }
    // Stored as issued: the document read back later prints what it said then, whatever the wording has become since.
    const stored = JSON.parse(
      JSON.stringify({
        ...compose('fr'),
        contractLines: [{ ...compose('fr').contractLines[0]!, description: 'Redevance (wording of 2026)' }],
      }),
    );
    expect(invoiceLayout(stored).groups.at(-1)!.rows[0]!.description).toBe('Redevance (wording of 2026)');
    expect(invoiceLayout(compose('lb')).groups.at(-1)!.rows[0]!.description).toBe(
      'Redevance mensuelle du contrat, contrat de support Mixvoip Standard, octobre 2026',
    );
  });
});
