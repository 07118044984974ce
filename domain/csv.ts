/**
 * CSV that Excel and LibreOffice open as it is: UTF-8 with a byte order mark, CRLF, comma-separated. The one writer
 * of the repository's exports (the accountant's journal, domain/invoicing/journal.ts; the SLA report, api/web/reports.ts).
 *
 * A cell starting with =, +, - or @ is one a spreadsheet runs as a formula: a ticket titled "=HYPERLINK(...)" must
 * not run on the reader's machine (CSV injection), so such text cells get a leading apostrophe. Figures the code
 * wrote itself (a negative amount, a number) are cells of their own kind and keep their sign.
 */

/** Text written as it is: a figure formatted by the code (e.g. "-12.50"), never text from a request or the database. */
export interface CsvFigure {
  readonly figure: string;
}

export type CsvCell = string | number | null | CsvFigure;

export const csvFigure = (figure: string): CsvFigure => ({ figure });

export function csvCell(value: CsvCell): string {
  const text =
    value === null
      ? ''
      : typeof value === 'object'
        ? value.figure
        : typeof value === 'number'
          ? String(value)
          : /^[=+\-@\t\r]/.test(value)
            ? `'${value}`
            : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const toCsv = (rows: ReadonlyArray<readonly CsvCell[]>): string =>
  `\ufeff${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
