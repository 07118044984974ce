import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Pool, PoolClient } from 'pg';
import { INVOICING_ZONE, monthsOf, type InvoicePeriod } from '../contracts/invoice-period';
import { withTransaction } from '../db/transaction';
import { monthlyContractFeeLine, type PriceLine } from '../domain/pricing';
import { findPolicy } from '../policies/registry';
import { toInvoiceLine, type InvoiceLine, type InvoiceLineRow } from '../db/invoices';
import { renderInvoiceHtml } from './invoice-html';

export interface InvoicingDeps {
  db: Pool;
  /** Lines locked and marked per round trip; each batch heartbeats, so a long invoice shows its progress. */
  batchSize?: number;
}

export interface CustomerPeriod extends InvoicePeriod {
  customerId: string;
}

export interface IssuedInvoice {
  number: string;
  totalCents: number;
  /** False when an earlier run had invoiced this customer and period already: nothing was written. */
  created: boolean;
}

const ISSUER = 'INV';

// Lines written by the end of the period's last day in the issuer's zone; earlier unbilled lines come along.
const unbilledBy = (periodEndParam: string) =>
  `invoice_id IS NULL AND created_at < ((${periodEndParam}::date + 1)::timestamp AT TIME ZONE '${INVOICING_ZONE}')`;

function idempotencyKey(step: string): string {
  const execution = Context.current().info.workflowExecution;
  if (!execution) throw ApplicationFailure.nonRetryable('invoicing activities run only on behalf of a workflow', 'NO_WORKFLOW');
  return `${execution.workflowId}:${step}`;
}


/** Marks the customer's unbilled lines as this invoice's, a batch at a time, heartbeating the count so far. */
async function claimLines(client: PoolClient, invoiceId: string, { customerId, periodEnd }: CustomerPeriod, batchSize: number): Promise<InvoiceLine[]> {
  const lines: InvoiceLine[] = [];
  for (;;) {
    const { rows } = await client.query<InvoiceLineRow & { id: string }>(
      `UPDATE billing_lines SET invoice_id = $3 WHERE id IN (
         SELECT id FROM billing_lines WHERE customer_id = $1 AND ${unbilledBy('$2')} ORDER BY id LIMIT $4 FOR UPDATE)
       RETURNING id, ticket_number, description, minutes, rate_cents, multiplier, amount_cents`,
      [customerId, periodEnd, invoiceId, batchSize],
    );
    rows.sort((a, b) => Number(a.id) - Number(b.id));
    lines.push(...rows.map(toInvoiceLine));
    Context.current().heartbeat({ customerId, linesInvoiced: lines.length });
    if (rows.length < batchSize) return lines;
  }
}

/**
 * The contract fees of the period, one per month and contract. Until contracts exist (issue 6), a customer's
 * contracts are the policies its tickets run under, at their current version.
 */
async function contractFees(client: PoolClient, { customerId, ...period }: CustomerPeriod): Promise<PriceLine[]> {
  const { rows } = await client.query<{ policy_id: string }>('SELECT DISTINCT policy_id FROM tickets WHERE customer_id = $1 ORDER BY policy_id', [customerId]);
  const policies = rows.map((row) => findPolicy(row.policy_id));
  return monthsOf(period).flatMap((month) => policies.map((policy) => monthlyContractFeeLine(policy, month)).filter((line) => line !== null));
}

/** The next number of the issuer's year; the counter row stays locked until commit, which keeps numbers gapless. */
async function nextInvoiceNumber(client: PoolClient): Promise<string> {
  const { rows } = await client.query<{ year: number; last_number: number }>(
    `INSERT INTO invoice_number_counters (issuer, year, last_number)
     VALUES ($1, extract(year FROM now() AT TIME ZONE '${INVOICING_ZONE}')::integer, 1)
     ON CONFLICT (issuer, year) DO UPDATE SET last_number = invoice_number_counters.last_number + 1
     RETURNING year, last_number`,
    [ISSUER],
  );
  const { year, last_number } = rows[0]!;
  return `${ISSUER}-${year}-${String(last_number).padStart(6, '0')}`;
}

async function existingInvoice(client: PoolClient, { customerId, periodStart, periodEnd }: CustomerPeriod): Promise<IssuedInvoice | undefined> {
  const { rows } = await client.query<{ number: string; total_cents: string }>(
    'SELECT number, total_cents FROM invoices WHERE customer_id = $1 AND period_start = $2 AND period_end = $3',
    [customerId, periodStart, periodEnd],
  );
  return rows[0] && { number: rows[0].number, totalCents: Number(rows[0].total_cents), created: false };
}

async function hasUnbilledLines(client: PoolClient, { customerId, periodEnd }: CustomerPeriod): Promise<boolean> {
  const { rows } = await client.query(`SELECT 1 FROM billing_lines WHERE customer_id = $1 AND ${unbilledBy('$2')} LIMIT 1`, [customerId, periodEnd]);
  return rows.length > 0;
}

async function issueInvoice(client: PoolClient, target: CustomerPeriod, batchSize: number): Promise<IssuedInvoice> {
  const number = await nextInvoiceNumber(client);
  const { rows } = await client.query<{ id: string; issued_at: Date }>(
    `INSERT INTO invoices (number, idempotency_key, customer_id, period_start, period_end, total_cents, html)
     VALUES ($1, $2, $3, $4, $5, 0, '') RETURNING id, issued_at`,
    [number, idempotencyKey(`invoice:${target.customerId}`), target.customerId, target.periodStart, target.periodEnd],
  );
  const { id, issued_at: issuedAt } = rows[0]!;
  const fees = await contractFees(client, target);
  for (const [position, fee] of fees.entries()) {
    await client.query('INSERT INTO invoice_fee_lines (invoice_id, position, description, amount_cents) VALUES ($1, $2, $3, $4)', [id, position, fee.description, fee.amountCents]);
  }
  const lines = [...(await claimLines(client, id, target, batchSize)), ...fees.map((fee) => ({ ...fee, ticketNumber: null }))];
  const totalCents = lines.reduce((total, line) => total + line.amountCents, 0);
  const html = renderInvoiceHtml({ ...target, number, issuedAt, lines, totalCents });
  await client.query('UPDATE invoices SET total_cents = $2, html = $3 WHERE id = $1', [id, totalCents, html]);
  return { number, totalCents, created: true };
}

export function createInvoicingActivities({ db, batchSize = 500 }: InvoicingDeps) {
  return {
    /** Customers with lines still to bill by the period's end and no invoice for that period yet. */
    listCustomersToInvoice: async (period: InvoicePeriod): Promise<string[]> => {
      const { rows } = await db.query<{ customer_id: string }>(
        `SELECT DISTINCT customer_id FROM billing_lines lines
         WHERE ${unbilledBy('$2')}
           AND NOT EXISTS (SELECT 1 FROM invoices WHERE invoices.customer_id = lines.customer_id AND period_start = $1 AND period_end = $2)
         ORDER BY customer_id`,
        [period.periodStart, period.periodEnd],
      );
      return rows.map((row) => row.customer_id);
    },

    /**
     * Creates, numbers and renders the customer's invoice for the period and marks its lines billed, all in one
     * transaction. Null when there is nothing to bill; the existing invoice when the period was invoiced already.
     */
    createInvoice: async (target: CustomerPeriod): Promise<IssuedInvoice | null> =>
      withTransaction(db, async (client) => {
        // Two runs for one customer wait for each other here, so the second sees the first's invoice.
        await client.query("SELECT pg_advisory_xact_lock(hashtext('invoice:' || $1))", [target.customerId]);
        const existing = await existingInvoice(client, target);
        if (existing) return existing;
        if (!(await hasUnbilledLines(client, target))) return null;
        return issueInvoice(client, target, batchSize);
      }),
  };
}

export type InvoicingActivities = ReturnType<typeof createInvoicingActivities>;
