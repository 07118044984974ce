import { ApplicationFailure, Context } from '@temporalio/activity';
import { DateTime } from 'luxon';
import type { Pool, PoolClient } from 'pg';
import { DESK_ZONE } from '../messages/desk-zone';
import { monthsOf } from '../messages/invoice-period';
import type { InvoicePeriod, InvoicingTarget } from '../messages/invoicing';
import { withTransaction } from '../db/transaction';
import { monthlyContractFeeLine, rulesForContract, type PriceLine } from '../domain/pricing';
import { hourlyRateOf } from '../domain/pricing/rates';
import { expiriesDue, expiryDescription, purchaseLine } from '../domain/pricing/prepaid-hours';
import { describeLine } from '../domain/pricing/line-wording';
import { pgPolicyCatalog } from '../db/policy-versions';
import type { PolicySource } from '../policies/catalog';
import { toInvoiceLine, type InvoiceLine, type InvoiceLineRow } from '../db/invoices';
import {
  claimExpiries,
  claimPurchases,
  contractMovements,
  hasUninvoicedPurchases,
  lockCustomerContracts,
  periodCutoff,
  PREPAID_CANDIDATES,
  writeExpiry,
  type InvoicedPurchase,
} from '../db/prepaid';
import { renderInvoiceHtml } from './invoice-html';
import { queueInvoiceReady } from './invoice-notice';
import { composeInvoice, type Buyer, type DocumentLine, type PrepaidStatement } from '../domain/invoicing/document';
import type { CustomerBilling, Seller } from '../domain/invoicing/parties';
import { prepaidStatement } from '../domain/invoicing/prepaid-statement';
import { sellerFromEnv } from '../infra/seller';

export interface InvoicingDeps {
  db: Pool;
  /** Where contracts' policy versions are read: by default the published versions in `db`. */
  policies?: PolicySource;
  /** Lines locked and marked per round trip; each batch heartbeats, so a long invoice shows its progress. */
  batchSize?: number;
  /** The desk on its invoices; by default VIGIL_SELLER_* (infra/seller.ts), read when the worker starts. */
  seller?: Seller;
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
  `invoice_id IS NULL AND created_at < ((${periodEndParam}::date + 1)::timestamp AT TIME ZONE '${DESK_ZONE}')`;

function idempotencyKey(step: string): string {
  const execution = Context.current().info.workflowExecution;
  if (!execution)
    throw ApplicationFailure.nonRetryable('invoicing activities run only on behalf of a workflow', 'NO_WORKFLOW');
  return `${execution.workflowId}:${step}`;
}

/** Marks the customer's unbilled lines as this invoice's, a batch at a time, heartbeating the count so far. */
async function claimLines(
  client: PoolClient,
  invoiceId: string,
  { customerId, periodEnd }: CustomerPeriod,
  batchSize: number,
): Promise<InvoiceLine[]> {
  const lines: InvoiceLine[] = [];
  for (;;) {
    const { rows } = await client.query<InvoiceLineRow & { id: string }>(
      `UPDATE billing_lines SET invoice_id = $3 WHERE id IN (
         SELECT id FROM billing_lines WHERE customer_id = $1 AND ${unbilledBy('$2')} ORDER BY id LIMIT $4 FOR UPDATE)
       RETURNING id, ticket_number, description, label, minutes, rate_cents, multiplier, amount_cents`,
      [customerId, periodEnd, invoiceId, batchSize],
    );
    rows.sort((a, b) => Number(a.id) - Number(b.id));
    lines.push(...rows.map(toInvoiceLine));
    Context.current().heartbeat({ customerId, linesInvoiced: lines.length });
    if (rows.length < batchSize) return lines;
  }
}

// A contract is in force over a span of days when it starts by the span's last day and does not end before its first.
const inForceOver = (firstDay: string, lastDay: string) =>
  `starts_on <= ${lastDay}::date AND (ends_on IS NULL OR ends_on >= ${firstDay}::date)`;

/**
 * The fixed fees of the customer's contracts: one per month of the period in which each contract is in force, under
 * its pinned policy version or the version in force on the month's first day of contract.
 */
async function contractFees(
  client: PoolClient,
  policies: PolicySource,
  { customerId, ...period }: CustomerPeriod,
): Promise<PriceLine[]> {
  const { rows } = await client.query<{
    policy_id: string;
    policy_version: number | null;
    starts_on: string;
    months: string[];
  }>(
    `SELECT policy_id, policy_version, to_char(starts_on, 'YYYY-MM-DD') AS starts_on, array_agg(to_char(month, 'YYYY-MM') ORDER BY month) AS months
     FROM contracts, unnest($2::date[]) AS month
     WHERE customer_id = $1 AND ${inForceOver('month', "(month + interval '1 month' - interval '1 day')")}
     GROUP BY id, policy_id, policy_version, starts_on ORDER BY id`,
    [customerId, monthsOf(period).map((month) => `${month}-01`)],
  );
  const fees: PriceLine[] = [];
  for (const contract of rows) {
    for (const month of contract.months) {
      const firstDay = `${month}-01` < contract.starts_on ? contract.starts_on : `${month}-01`;
      const policy = await (contract.policy_version === null
        ? policies.inForce(contract.policy_id, DateTime.fromISO(firstDay, { zone: DESK_ZONE }).toMillis())
        : policies.find(contract.policy_id, contract.policy_version));
      const fee = monthlyContractFeeLine(policy, month);
      if (fee) fees.push(fee);
    }
  }
  return fees;
}

/** What each contract's prepaid hours did this year, now: what is left once this invoice's work has drawn. */
async function prepaidStatements(client: PoolClient, contractIds: readonly string[]): Promise<PrepaidStatement[]> {
  const now = (await client.query<{ now: Date }>('SELECT now()')).rows[0]!.now.getTime();
  const statements = [];
  for (const contractId of contractIds) {
    const movements = await contractMovements(client, contractId);
    if (movements.length > 0) statements.push(prepaidStatement(contractId, movements, now, DESK_ZONE));
  }
  return statements;
}

/**
 * Who the invoice is addressed to, as the customer's record says now (the document keeps it as it was). A customer
 * without an invoicing identity yet is named by its name, in the desk's country: the invoice is still issued (the work
 * was done), and its e-invoice is refused until the identity is set (api/routes/invoices.ts).
 */
async function buyerOf(
  client: PoolClient,
  customerId: string,
  seller: Seller,
): Promise<{ buyer: Buyer; language: string }> {
  const { rows } = await client.query<{ name: string; language: string; billing: CustomerBilling | null }>(
    'SELECT name, language, billing FROM customers WHERE id = $1',
    [customerId],
  );
  const customer = rows[0] ?? { name: customerId, language: 'en', billing: null };
  const billing = customer.billing ?? {
    legalName: customer.name,
    street: '',
    postalCode: '',
    city: '',
    country: seller.country,
    email: '',
  };
  return { buyer: { ...billing, customerId }, language: customer.language };
}

async function ticketTitles(client: PoolClient, lines: readonly DocumentLine[]): Promise<Record<string, string>> {
  const numbers = [...new Set(lines.flatMap((line) => (line.ticketNumber ? [line.ticketNumber] : [])))];
  const { rows } = await client.query<{ number: string; title: string }>(
    'SELECT number, title FROM tickets WHERE number = ANY($1::text[])',
    [numbers],
  );
  return Object.fromEntries(rows.map((row) => [row.number, row.title]));
}

/**
 * Closes every year ended by the period's end (or by now, for a period still running) on the customer's contracts:
 * what a year's purchases still hold expires as a movement of its own at the year's end. Written by whichever
 * invoicing run first covers the year's end (the December or fourth-quarter run, or a later one catching up), in
 * its transaction, under the contracts' row locks that draws take too; computed from the movements and keyed by
 * contract and year, so a re-run writes nothing more.
 */
async function expireEndedYears(client: PoolClient, contractIds: readonly string[], periodEnd: string): Promise<void> {
  const cutoff = await periodCutoff(client, periodEnd);
  for (const contractId of contractIds) {
    for (const { year, minutes } of expiriesDue(await contractMovements(client, contractId), cutoff, DESK_ZONE)) {
      await writeExpiry(client, contractId, year, minutes, expiryDescription(year, minutes));
    }
  }
}

/**
 * A purchase of maintenance hours at the flat hourly rate its contract's tickets are billed at, which for maintenance
 * is the hourly rate less 5%: the policy's, or the contract's own `rates` merged onto it (rulesForContract, as
 * billing merges them), the line then saying `contract rate` like every line priced with a contract's figure.
 */
export async function purchasePriceLine(policies: PolicySource, purchase: InvoicedPurchase): Promise<PriceLine> {
  const policy = await (purchase.policyVersion === null
    ? policies.inForce(purchase.policyId, purchase.at)
    : policies.find(purchase.policyId, purchase.policyVersion));
  const rules = policy.billing && rulesForContract(policy.billing, purchase.rates ?? undefined);
  if (rules?.document.rates.hourlyCents === undefined) {
    throw ApplicationFailure.nonRetryable(
      `policy ${purchase.policyId} of contract ${purchase.contractId} has no flat hourly rate to price its prepaid hours`,
      'PREPAID_RATE_MISSING',
    );
  }
  const rate = hourlyRateOf(rules, {}, 0);
  const line = purchaseLine(purchase.minutes, rate.cents, purchase.year);
  const label = {
    ...line.label,
    ...(rate.fromContract ? { contractRate: true } : {}),
    contractId: purchase.contractId,
  };
  return { ...line, description: describeLine(label), label };
}

/** The next number of the issuer's year; the counter row stays locked until commit, which keeps numbers gapless. */
async function nextInvoiceNumber(client: PoolClient): Promise<string> {
  const { rows } = await client.query<{ year: number; last_number: number }>(
    `INSERT INTO invoice_number_counters (issuer, year, last_number)
     VALUES ($1, extract(year FROM now() AT TIME ZONE '${DESK_ZONE}')::integer, 1)
     ON CONFLICT (issuer, year) DO UPDATE SET last_number = invoice_number_counters.last_number + 1
     RETURNING year, last_number`,
    [ISSUER],
  );
  const { year, last_number } = rows[0]!;
  return `${ISSUER}-${year}-${String(last_number).padStart(6, '0')}`;
}

async function existingInvoice(
  client: PoolClient,
  { customerId, periodStart, periodEnd }: CustomerPeriod,
): Promise<IssuedInvoice | undefined> {
  const { rows } = await client.query<{ number: string; total_cents: string }>(
    'SELECT number, total_cents FROM invoices WHERE customer_id = $1 AND period_start = $2 AND period_end = $3',
    [customerId, periodStart, periodEnd],
  );
  return rows[0] && { number: rows[0].number, totalCents: Number(rows[0].total_cents), created: false };
}

async function hasUnbilledLines(client: PoolClient, { customerId, periodEnd }: CustomerPeriod): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT 1 FROM billing_lines WHERE customer_id = $1 AND ${unbilledBy('$2')} LIMIT 1`,
    [customerId, periodEnd],
  );
  return rows.length > 0;
}

async function issueInvoice(
  client: PoolClient,
  policies: PolicySource,
  seller: Seller,
  target: CustomerPeriod,
  fees: PriceLine[],
  contractIds: readonly string[],
  batchSize: number,
): Promise<IssuedInvoice> {
  const number = await nextInvoiceNumber(client);
  const { rows } = await client.query<{ id: string; issued_at: Date }>(
    `INSERT INTO invoices (number, idempotency_key, customer_id, period_start, period_end, total_cents, html)
     VALUES ($1, $2, $3, $4, $5, 0, '') RETURNING id, issued_at`,
    [number, idempotencyKey(`invoice:${target.customerId}`), target.customerId, target.periodStart, target.periodEnd],
  );
  const { id, issued_at: issuedAt } = rows[0]!;
  // A purchase is billed by the first invoice whose period contains it; marked, it is never billed again.
  const purchases: PriceLine[] = [];
  for (const purchase of await claimPurchases(client, target.customerId, target.periodEnd, id))
    purchases.push(await purchasePriceLine(policies, purchase));
  for (const [position, line] of [...fees, ...purchases].entries()) {
    await client.query(
      'INSERT INTO invoice_fee_lines (invoice_id, position, description, amount_cents, minutes, rate_cents, label) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [
        id,
        position,
        line.description,
        line.amountCents,
        line.minutes,
        line.minutes > 0 ? line.rateCents : null,
        JSON.stringify(line.label),
      ],
    );
  }
  const lines = [
    ...(await claimLines(client, id, target, batchSize)),
    ...[...fees, ...purchases].map((fee) => ({ ...fee, ticketNumber: null })),
  ];
  const prepaidExpiries = await claimExpiries(client, target.customerId, target.periodEnd, id);
  const { buyer, language } = await buyerOf(client, target.customerId, seller);
  const document = composeInvoice({
    number,
    issueDate: DateTime.fromJSDate(issuedAt, { zone: DESK_ZONE }).toISODate()!,
    periodStart: target.periodStart,
    periodEnd: target.periodEnd,
    seller,
    buyer,
    language,
    lines,
    ticketTitles: await ticketTitles(client, lines),
    prepaid: await prepaidStatements(client, contractIds),
    prepaidExpiries: prepaidExpiries.map(({ contractId, year, minutes }) => ({ contractId, year, minutes })),
  });
  const { netCents, vatCents, grossCents } = document.totals;
  await client.query(
    'UPDATE invoices SET total_cents = $2, vat_cents = $3, gross_cents = $4, html = $5, document = $6 WHERE id = $1',
    [id, netCents, vatCents, grossCents, renderInvoiceHtml(document), JSON.stringify(document)],
  );
  // The customer is told in this same transaction: the mail exists if and only if the invoice does.
  await queueInvoiceReady(client, document);
  return { number, totalCents: netCents, created: true };
}

export function createInvoicingActivities({
  db,
  policies = pgPolicyCatalog(db),
  batchSize = 500,
  seller = sellerFromEnv(),
}: InvoicingDeps) {
  return {
    /**
     * Customers of the frequency with lines or prepaid hours bought still to bill by the period's end, a year of
     * prepaid hours to close, or a contract in force during it, and no invoice for that period yet. A customer is monthly when a contract in force during the period says
     * so; customers without a contract are invoiced quarterly.
     */
    listCustomersToInvoice: async ({ frequency = 'quarterly', ...period }: InvoicingTarget): Promise<string[]> => {
      const { rows } = await db.query<{ customer_id: string }>(
        `SELECT customer_id FROM (
           SELECT customer_id FROM billing_lines WHERE ${unbilledBy('$2')}
           UNION SELECT customer_id FROM contracts WHERE ${inForceOver('$1', '$2')}
           UNION ${PREPAID_CANDIDATES('$2')}
         ) AS candidates
         WHERE (EXISTS (SELECT 1 FROM contracts WHERE contracts.customer_id = candidates.customer_id
                          AND invoicing_frequency = 'monthly' AND ${inForceOver('$1', '$2')})) = ($3 = 'monthly')
           AND NOT EXISTS (SELECT 1 FROM invoices WHERE invoices.customer_id = candidates.customer_id AND period_start = $1 AND period_end = $2)
         ORDER BY customer_id`,
        [period.periodStart, period.periodEnd, frequency],
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
        const contractIds = await lockCustomerContracts(client, target.customerId);
        // Years close whether or not there is anything to invoice: an expiry is not money, it waits for the next invoice.
        await expireEndedYears(client, contractIds, target.periodEnd);
        const existing = await existingInvoice(client, target);
        if (existing) return existing;
        const fees = await contractFees(client, policies, target);
        if (
          fees.length === 0 &&
          !(await hasUnbilledLines(client, target)) &&
          !(await hasUninvoicedPurchases(client, target.customerId, target.periodEnd))
        )
          return null;
        return issueInvoice(client, policies, seller, target, fees, contractIds, batchSize);
      }),
  };
}

export type InvoicingActivities = ReturnType<typeof createInvoicingActivities>;
