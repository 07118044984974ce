/**
 * `vigil invoices export ...`: the accountant's CSV of a period, or one invoice's e-invoice, from the database
 * DATABASE_URL names, written from the documents stored at issue (the same bytes as GET /v1/invoices/export and
 * /v1/invoices/:number/ubl|facturx).
 */
import fs from 'node:fs';
import { Pool } from 'pg';
import { invoiceReader } from '../db/invoices';
import { migrate } from '../db/migrate';
import { parseIsoDate } from '../domain/calendar';
import { buyerEndpoint, EInvoiceRefusal } from '../domain/invoicing/en16931';
import {
  PeppolConfigError,
  peppolSenderFromEnv,
  PeppolRefusedError,
  PeppolUnavailableError,
  type PeppolSender,
} from '../infra/peppol-sender';
import { JOURNAL_PARTS, journalCsv, type JournalPart } from '../domain/invoicing/journal';
import { eInvoiceOf, facturX, peppolUbl } from '../infra/e-invoice';
import { UsageError, parseArgs, type ParsedArgs } from './args';
import type { CliResult } from './result';

export const INVOICES_USAGE = `  vigil invoices export --from YYYY-MM-DD --to YYYY-MM-DD [--part invoices|lines|journal] [--out FILE]
      (CSV of the invoices issued in those days, their lines, or the journal's totals per VAT rate)
  vigil invoices export --number INV-YYYY-NNNNNN [--format auto|peppol-ubl|factur-x] --out FILE
      (the invoice's e-invoice: auto is the one its customer is sent)
  vigil invoices send --number INV-YYYY-NNNNNN
      (its Peppol UBL to the customer through the access point VIGIL_PEPPOL_URL, with VIGIL_PEPPOL_API_KEY)
`;

const FORMATS = { auto: eInvoiceOf, 'peppol-ubl': peppolUbl, 'factur-x': facturX } as const;

function date(args: ParsedArgs, flag: string): string {
  const value = args.options.get(flag);
  if (value === undefined) throw new UsageError(`--${flag} is required (YYYY-MM-DD)`);
  if (!parseIsoDate(value)) throw new UsageError(`--${flag}: "${value}" is not a date YYYY-MM-DD`);
  return value;
}

function oneOf<T extends string>(args: ParsedArgs, flag: string, values: readonly T[], fallback: T): T {
  const value = args.options.get(flag) ?? fallback;
  if (!values.includes(value as T))
    throw new UsageError(`--${flag}: must be one of ${values.join(', ')} (got "${value}")`);
  return value as T;
}

type Work = (reader: ReturnType<typeof invoiceReader>) => Promise<{ text: string; file?: Buffer }>;

function exportAction(args: ParsedArgs): Work {
  const number = args.options.get('number');
  if (number !== undefined) {
    const render = FORMATS[oneOf(args, 'format', Object.keys(FORMATS) as Array<keyof typeof FORMATS>, 'auto')];
    if (!args.options.get('out')) throw new UsageError('--out FILE is required with --number: an e-invoice is a file');
    return async (reader) => {
      const invoice = await reader.find(number);
      if (!invoice) throw new UsageError(`--number: no invoice ${number}`);
      if (!invoice.document)
        throw new UsageError(
          `--number: ${number} was issued before invoices carried their seller, buyer and VAT: it has no e-invoice`,
        );
      try {
        const file = await render(invoice.document);
        return { text: `wrote ${file.format} ${file.filename}\n`, file: file.body };
      } catch (error) {
        if (error instanceof EInvoiceRefusal) throw new UsageError(`--number: ${number}: ${error.message}`);
        throw error;
      }
    };
  }
  const from = date(args, 'from');
  const to = date(args, 'to');
  if (to < from) throw new UsageError(`--to: ${to} is before --from ${from}`);
  const part = oneOf<JournalPart>(args, 'part', JOURNAL_PARTS, 'invoices');
  return async (reader) => {
    const csv = journalCsv(part, await reader.documentsIssued(from, to));
    return args.options.has('out')
      ? { text: `wrote ${part} ${from} to ${to}\n`, file: Buffer.from(csv) }
      : { text: csv };
  };
}

function sendAction(args: ParsedArgs, sender: PeppolSender | undefined): Work {
  const number = args.options.get('number');
  if (number === undefined) throw new UsageError('--number is required');
  if (!sender)
    throw new UsageError(
      'VIGIL_PEPPOL_URL and VIGIL_PEPPOL_API_KEY are not set: they name the Peppol access point that sends',
    );
  return async (reader) => {
    const invoice = await reader.find(number);
    if (!invoice?.document) throw new UsageError(`--number: no invoice ${number} with an e-invoice`);
    try {
      const { messageId } = await sender.send({
        documentNumber: number,
        receiver: buyerEndpoint(invoice.document),
        ubl: (await peppolUbl(invoice.document)).body,
      });
      return { text: `sent ${number} over Peppol: message ${messageId}\n` };
    } catch (error) {
      if (error instanceof EInvoiceRefusal || error instanceof PeppolRefusedError)
        throw new UsageError(`--number: ${number}: ${error.message}`);
      throw error;
    }
  };
}

const failed = (exitCode: number, message: string): CliResult => ({
  exitCode,
  stdout: '',
  stderr: `vigil: ${message}\n`,
});

/** Runs `vigil invoices ...`: bad input exits 2 with one line naming the flag, an unreachable database exits 1. */
export async function runInvoicesCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<CliResult> {
  let db: Pool | undefined;
  try {
    const args = parseArgs(argv, ['from', 'to', 'part', 'number', 'format', 'out'], []);
    if (!['export', 'send'].includes(args.command ?? '') || args.positionals.length > 0)
      throw new UsageError(
        `unknown invoices command "${[args.command, ...args.positionals].join(' ')}" (export, send)`,
      );
    const work = args.command === 'send' ? sendAction(args, peppolSenderFromEnv(env)) : exportAction(args);
    if (!env.DATABASE_URL) throw new UsageError('DATABASE_URL is not set: it names the PostgreSQL database');
    db = new Pool({ connectionString: env.DATABASE_URL });
    try {
      await migrate(db);
    } catch (error) {
      return failed(
        1,
        `cannot use the database DATABASE_URL names: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    const { text, file } = await work(invoiceReader(db));
    if (file) fs.writeFileSync(args.options.get('out')!, file);
    return { exitCode: 0, stdout: text, stderr: '' };
  } catch (error) {
    if (error instanceof UsageError) return failed(2, error.message);
    if (error instanceof PeppolConfigError) return failed(2, error.message);
    // Exit 1: the access point is away; the same command later sends it.
    if (error instanceof PeppolUnavailableError) return failed(1, error.message);
    throw error;
  } finally {
    await db?.end();
  }
}
