/**
 * An issued invoice (domain/invoicing/document.ts) as EN 16931 data, in the JSON shape @e-invoice-eu/core renders to
 * Peppol BIS Billing 3.0 UBL or to Factur-X CII (infra/e-invoice.ts). Pure: the same document always gives the same
 * data, so an e-invoice fetched in five years matches the one sent.
 *
 * Lines: an invoice line's net must equal quantity × price exactly (PEPPOL-EN16931-R120), and Vigil's amounts are
 * minutes × hourly rate × multiplier rounded once; so each line is one unit (C62) at its amount, the minutes, rate
 * and multiplier said in the item's description. The buyer reference (BT-10, required by Peppol) is the customer id.
 */
import type { Invoice } from '@e-invoice-eu/core';
import { documentLines, type InvoiceDocument } from './document';
import { invoiceLayout } from './layout';
import { TEXTS } from './texts';

export const PEPPOL_BIS_BILLING = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
export const PEPPOL_PROFILE = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

/**
 * Peppol electronic address schemes (EAS) by country, for parties addressed by their VAT number; Belgium by its
 * enterprise number (0208, the VAT number's digits), as Belgian access points register them.
 */
const VAT_ENDPOINT_SCHEMES: Readonly<Record<string, string>> = {
  AT: '9914',
  BG: '9926',
  CY: '9928',
  CZ: '9929',
  DE: '9930',
  EE: '9931',
  ES: '9920',
  FR: '9957',
  GR: '9933',
  HR: '9934',
  HU: '9910',
  IE: '9935',
  LT: '9937',
  LU: '9938',
  LV: '9939',
  MT: '9943',
  NL: '9944',
  PL: '9945',
  PT: '9946',
  RO: '9947',
  SI: '9949',
  SK: '9950',
  IT: '0211',
};

export class EInvoiceRefusal extends Error {}

/** Where Peppol delivers the buyer's invoices: its electronic address (BT-49). */
export function buyerEndpoint(document: InvoiceDocument): { scheme: string; id: string } {
  const address = endpoint(document.buyer.country, document.buyer.vatNumber, 'customer');
  return { scheme: address['cbc:EndpointID@schemeID'], id: address['cbc:EndpointID'] };
}

function endpoint(
  country: string,
  vatNumber: string | undefined,
  who: string,
): { 'cbc:EndpointID': string; 'cbc:EndpointID@schemeID': string } {
  if (!vatNumber) throw new EInvoiceRefusal(`the ${who} has no VAT number: Peppol addresses a business by it`);
  if (country === 'BE') return { 'cbc:EndpointID': vatNumber.slice(2), 'cbc:EndpointID@schemeID': '0208' };
  const scheme = VAT_ENDPOINT_SCHEMES[country];
  if (!scheme) throw new EInvoiceRefusal(`Vigil knows no Peppol address scheme for a ${who} in ${country}`);
  return { 'cbc:EndpointID': vatNumber, 'cbc:EndpointID@schemeID': scheme };
}

/** Integer cents as the decimal EN 16931 writes: "402.51", "-0.50", never through a float. */
export const decimal = (cents: number): string =>
  `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
const percent = (rateBp: number) => (rateBp / 100).toString();

const EXEMPTION = { 'reverse-charge': 'VATEX-EU-AE', 'outside-scope': 'VATEX-EU-O' } as const;

/**
 * `syntax`: 'peppol' claims Peppol BIS Billing 3.0 (the UBL sent over Peppol); 'factur-x' leaves the library its
 * Factur-X EN 16931 profile identifier, which the Factur-X rules require (FX-SCH-A-000556).
 */
export function en16931Data(document: InvoiceDocument, syntax: 'peppol' | 'factur-x'): Invoice {
  const { seller, buyer, totals, vat } = document;
  if (!buyer.street || !buyer.city || !buyer.postalCode)
    throw new EInvoiceRefusal(
      `customer ${buyer.customerId} had no invoicing address on record when ${document.number} was issued`,
    );
  const layout = invoiceLayout(document);
  const texts = TEXTS[document.language];
  // BR-O-02: an invoice outside the scope of VAT carries no VAT identifier at all.
  const withVatIds = vat.category !== 'O';
  const category = (rateBp: number) => ({
    'cbc:ID': vat.category,
    'cbc:Percent': percent(rateBp),
    'cac:TaxScheme': { 'cbc:ID': 'VAT' },
  });
  const vatId = (vatNumber: string | undefined) =>
    withVatIds && vatNumber ? { 'cbc:CompanyID': vatNumber, 'cac:TaxScheme': { 'cbc:ID': 'VAT' } } : undefined;
  // The seller's may be repeated (a VAT and a tax registration), the buyer's not: the schema says an array, an object.
  const sellerVat = vatId(seller.vatNumber);
  const buyerVat = vatId(buyer.vatNumber);
  const address = (party: { street: string; city: string; postalCode: string; country: string }) => ({
    'cbc:StreetName': party.street,
    'cbc:CityName': party.city,
    'cbc:PostalZone': party.postalCode,
    'cac:Country': { 'cbc:IdentificationCode': party.country },
  });
  const amount = (field: string, cents: number) => ({ [field]: decimal(cents), [`${field}@currencyID`]: 'EUR' });
  const terms = document.credits
    ? texts.creditTerms(document.credits.invoiceNumber)
    : texts.paymentTerms(seller.paymentDays, layout.meta[2]!.value);
  const note = [document.credits?.reason, layout.vatMention, terms].filter(Boolean).join(' ');

  return {
    'ubl:Invoice': {
      ...(syntax === 'peppol' ? { 'cbc:CustomizationID': PEPPOL_BIS_BILLING, 'cbc:ProfileID': PEPPOL_PROFILE } : {}),
      'cbc:ID': document.number,
      'cbc:IssueDate': document.issueDate,
      // A credit note (381) is due at once: it names the invoice it corrects instead (BT-25, BT-26).
      ...(document.credits ? {} : { 'cbc:DueDate': document.dueDate }),
      'cbc:InvoiceTypeCode': document.credits ? '381' : '380',
      'cbc:Note': [note],
      'cbc:DocumentCurrencyCode': 'EUR',
      'cbc:BuyerReference': buyer.customerId,
      'cac:InvoicePeriod': { 'cbc:StartDate': document.periodStart, 'cbc:EndDate': document.periodEnd },
      ...(document.credits
        ? {
            'cac:BillingReference': [
              {
                'cac:InvoiceDocumentReference': {
                  'cbc:ID': document.credits.invoiceNumber,
                  'cbc:IssueDate': document.credits.invoiceIssueDate,
                },
              },
            ],
          }
        : {}),
      // CII requires a delivery block: the services were delivered over the period, up to its last day (BT-72).
      'cac:Delivery': { 'cbc:ActualDeliveryDate': document.periodEnd },
      'cac:AccountingSupplierParty': {
        'cac:Party': {
          ...endpoint(seller.country, seller.vatNumber, 'desk'),
          'cac:PartyName': { 'cbc:Name': seller.name },
          'cac:PostalAddress': address(seller),
          ...(sellerVat ? { 'cac:PartyTaxScheme': [sellerVat] } : {}),
          'cac:PartyLegalEntity': { 'cbc:RegistrationName': seller.name, 'cbc:CompanyID': seller.companyNumber },
          ...(seller.email ? { 'cac:Contact': { 'cbc:ElectronicMail': seller.email } } : {}),
        },
      },
      'cac:AccountingCustomerParty': {
        'cac:Party': {
          ...endpoint(buyer.country, buyer.vatNumber, 'customer'),
          'cac:PartyName': { 'cbc:Name': buyer.legalName },
          'cac:PostalAddress': address(buyer),
          ...(buyerVat ? { 'cac:PartyTaxScheme': buyerVat } : {}),
          'cac:PartyLegalEntity': { 'cbc:RegistrationName': buyer.legalName },
          'cac:Contact': { 'cbc:ElectronicMail': buyer.email },
        },
      },
      'cac:PaymentMeans': [
        {
          'cbc:PaymentMeansCode': '58',
          'cbc:PaymentID': document.paymentReference,
          'cac:PayeeFinancialAccount': {
            'cbc:ID': seller.iban,
            'cbc:Name': seller.name,
            'cac:FinancialInstitutionBranch': { 'cbc:ID': seller.bic },
          },
        },
      ],
      'cac:PaymentTerms': { 'cbc:Note': terms },
      'cac:TaxTotal': [
        {
          ...amount('cbc:TaxAmount', totals.vatCents),
          'cac:TaxSubtotal': totals.breakdown.map((row) => ({
            ...amount('cbc:TaxableAmount', row.netCents),
            ...amount('cbc:TaxAmount', row.vatCents),
            'cac:TaxCategory': {
              ...category(row.rateBp),
              ...(row.exemption
                ? {
                    'cbc:TaxExemptionReasonCode': EXEMPTION[row.exemption],
                    'cbc:TaxExemptionReason': layout.vatMention,
                  }
                : {}),
            },
          })),
        },
      ],
      'cac:LegalMonetaryTotal': {
        ...amount('cbc:LineExtensionAmount', totals.netCents),
        ...amount('cbc:TaxExclusiveAmount', totals.netCents),
        ...amount('cbc:TaxInclusiveAmount', totals.grossCents),
        ...amount('cbc:PayableAmount', totals.grossCents),
      },
      'cac:InvoiceLine': documentLines(document).map((line, index) => ({
        'cbc:ID': String(index + 1),
        'cbc:InvoicedQuantity': '1',
        'cbc:InvoicedQuantity@unitCode': 'C62',
        ...amount('cbc:LineExtensionAmount', line.amountCents),
        'cac:Item': {
          ...(line.minutes > 0
            ? {
                'cbc:Description': `${texts.minutes(line.minutes)} × ${decimal(line.rateCents)} EUR/h × ${line.multiplier}`,
              }
            : {}),
          'cbc:Name':
            line.ticketNumber && !line.description.startsWith(line.ticketNumber)
              ? `${line.ticketNumber}: ${line.description}`
              : line.description,
          'cac:ClassifiedTaxCategory': category(vat.rateBp),
        },
        'cac:Price': amount('cbc:PriceAmount', line.amountCents),
      })),
    },
  } as unknown as Invoice;
}
