/** Who sells and who buys, as an invoice names them (EN 16931 BG-4 and BG-7). */
import type { VatTreatment } from './vat';

export interface PostalAddress {
  street: string;
  postalCode: string;
  city: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

/** The desk: configuration (infra/seller.ts), the same on every invoice it issues. */
export interface Seller extends PostalAddress {
  name: string;
  vatNumber: string;
  /** The trade register number (RCS Luxembourg B123456, BCE/KBO 0123.456.789, SIREN). */
  companyNumber: string;
  iban: string;
  bic: string;
  /** Days between the issue date and the due date. */
  paymentDays: number;
  email?: string;
  /** VIGIL_SELLER_LOGO, read and checked at start: drawn at the head of the HTML and PDF, kept with each invoice as issued. */
  logo?: SellerLogo;
}

export interface SellerLogo {
  mediaType: 'image/png' | 'image/jpeg';
  /** The file's bytes, base64. */
  data: string;
}

/** The structured e-invoice each customer receives: Peppol BIS Billing 3.0 (UBL) or Factur-X (PDF/A-3 with CII). */
export const E_INVOICE_FORMATS = ['peppol-ubl', 'factur-x'] as const;
export type EInvoiceFormat = (typeof E_INVOICE_FORMATS)[number];

/** The customer's invoicing identity, on its record (db/accounts.ts); every field is needed by EN 16931 but the VAT number. */
export interface CustomerBilling extends PostalAddress {
  legalName: string;
  /** Absent for a consumer or a customer outside the EU without one. */
  vatNumber?: string;
  /** Where invoices are sent. */
  email: string;
  /** Overrides the format chosen by the country (eInvoiceFormatFor). */
  eInvoiceFormat?: EInvoiceFormat;
}

/** Belgian and Luxembourgish customers get Peppol BIS (Belgium's B2B mandate, Luxembourg's public buyers), French ones Factur-X. */
export function eInvoiceFormatFor(billing: Pick<CustomerBilling, 'country' | 'eInvoiceFormat'>): EInvoiceFormat {
  return billing.eInvoiceFormat ?? (billing.country === 'FR' ? 'factur-x' : 'peppol-ubl');
}

export type { VatTreatment };
