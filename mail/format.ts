import { DateTime } from 'luxon';

/** The languages the notices are written in; a customer's `lb` reads French (the desks' written language in Luxembourg). */
export const MAIL_LANGUAGES = ['en', 'fr', 'de', 'nl'] as const;
export type MailLanguage = (typeof MAIL_LANGUAGES)[number];

export function mailLanguage(language: string | undefined): MailLanguage {
  if (language === 'lb') return 'fr';
  return (MAIL_LANGUAGES as readonly string[]).includes(language ?? '') ? (language as MailLanguage) : 'en';
}

/** Who reads the notice: in which language, and in which zone its dates and times are told. */
export interface Reader {
  language: MailLanguage;
  zone: string;
}

// British English: day before month and a 24-hour clock, as the desks' customers in Europe read them.
const LOCALES: Record<MailLanguage, string> = { en: 'en-GB', fr: 'fr', de: 'de', nl: 'nl' };

/** An instant in words in the reader's zone and language: "mardi 1 décembre 2026 à 11:30". */
export function instantInWords(epochMs: number, { language, zone }: Reader): string {
  return DateTime.fromMillis(epochMs, { zone }).setLocale(LOCALES[language]).toLocaleString({
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
}

/** A civil date (YYYY-MM-DD, an invoice's) in words in the reader's language: "mercredi 2 décembre 2026". */
export function dateInWords(isoDate: string, { language }: Pick<Reader, 'language'>, withWeekday = true): string {
  return DateTime.fromISO(isoDate, { zone: 'UTC' })
    .setLocale(LOCALES[language])
    .toLocaleString({
      ...(withWeekday ? { weekday: 'long' } : {}),
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
}

/** Integer cents in the reader's currency format: "1 234,50 €", "€1,234.50". */
export function amount(cents: number, { language }: Reader, currency = 'EUR'): string {
  return new Intl.NumberFormat(LOCALES[language], { style: 'currency', currency }).format(cents / 100);
}

/**
 * A size in the reader's words, in binary units as mail limits are set (INBOUND_MAX_BYTES, 10 MiB, reads "10 MB"):
 * kilobytes, rounded up, below a megabyte; megabytes to a tenth above.
 */
export function sizeInWords(bytes: number, { language }: Pick<Reader, 'language'>): string {
  const [value, unit] =
    bytes < 1024 * 1024
      ? [Math.ceil(bytes / 1024), 'kilobyte']
      : [Math.round((bytes / (1024 * 1024)) * 10) / 10, 'megabyte'];
  return new Intl.NumberFormat(LOCALES[language], { style: 'unit', unit, maximumFractionDigits: 1 }).format(value);
}

/** Whole minutes as hours and minutes, "8 h 30 min", the same in the four languages. */
export function minutesInWords(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
