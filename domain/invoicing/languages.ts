/**
 * The languages Vigil invoices and words durations in (texts.ts, duration-words.ts): a module of its own so that both
 * read it without importing each other.
 */
export const INVOICE_LANGUAGES = ['en', 'fr', 'de', 'nl'] as const;
export type InvoiceLanguage = (typeof INVOICE_LANGUAGES)[number];

/** A customer's language as an invoice's: Luxembourgish customers are invoiced in French, Luxembourg's language of business writing. */
export const invoiceLanguageOf = (language: string): InvoiceLanguage =>
  (INVOICE_LANGUAGES as readonly string[]).includes(language) ? (language as InvoiceLanguage) : 'fr';
