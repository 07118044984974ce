import type { InvoiceLanguage } from './languages';

/**
 * How the desks write a duration's units in each language Vigil writes in: "13 h 20 min", French "13 h 20",
 * "13 Std. 20 Min.", "13 u 20 min". An invoice's quantities (texts.ts `minutes`) and the console's figures
 * (api/web/i18n.ts formatMinutes) both read them from here.
 */
const UNITS: Record<InvoiceLanguage, { hours: string; minutes: string; minutesAfterHours: string }> = {
  en: { hours: 'h', minutes: 'min', minutesAfterHours: ' min' },
  // French writes the minutes after the hours bare, as a time is written: "13 h 20".
  fr: { hours: 'h', minutes: 'min', minutesAfterHours: '' },
  de: { hours: 'Std.', minutes: 'Min.', minutesAfterHours: ' Min.' },
  nl: { hours: 'u', minutes: 'min', minutesAfterHours: ' min' },
};

/** Whole minutes as hours and minutes both, as an invoice's column of quantities aligns them: 45 → "0 h 45 min". */
export function hoursAndMinutes(minutes: number, language: InvoiceLanguage): string {
  const units = UNITS[language];
  return `${Math.floor(minutes / 60)} ${units.hours} ${String(minutes % 60).padStart(2, '0')}${units.minutesAfterHours}`;
}

/**
 * Whole minutes as a desk reads them, without a zero part: 1200 → "20 h", 800 → "13 h 20 min" (French "13 h 20"),
 * 45 → "45 min", 65 → "1 h 05 min". A negative figure (a prepaid hours' draw) keeps its sign, U+2212.
 */
export function durationInWords(minutes: number, language: InvoiceLanguage): string {
  const units = UNITS[language];
  const whole = Math.abs(minutes);
  const hours = Math.floor(whole / 60);
  const rest = whole % 60;
  const words =
    hours === 0
      ? `${rest} ${units.minutes}`
      : rest === 0
        ? `${hours} ${units.hours}`
        : `${hours} ${units.hours} ${String(rest).padStart(2, '0')}${units.minutesAfterHours}`;
  return `${minutes < 0 ? '−' : ''}${words}`;
}
