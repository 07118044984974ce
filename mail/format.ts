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
  return DateTime.fromMillis(epochMs, { zone })
    .setLocale(LOCALES[language])
    .toLocaleString({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** Integer cents in the reader's currency format: "1 234,50 €", "€1,234.50". */
export function amount(cents: number, { language }: Reader, currency = 'EUR'): string {
  return new Intl.NumberFormat(LOCALES[language], { style: 'currency', currency }).format(cents / 100);
}

/** Whole minutes as hours and minutes, "8 h 30 min", the same in the four languages. */
export function minutesInWords(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
