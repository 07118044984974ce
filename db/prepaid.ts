import type { Pool, PoolClient } from 'pg';
import { DESK_ZONE } from '../messages/desk-zone';
import type { ContractRates } from '../domain/pricing/contract-rates';
import type { PrepaidMovementKind, YearMovement } from '../domain/pricing/prepaid-hours';
import { availableAt, yearAt, yearEnd } from '../domain/pricing/prepaid-hours';

export interface PrepaidMovement {
  kind: PrepaidMovementKind;
  /** Positive for hours bought, negative for a ticket's draw or a year's expiry. */
  minutes: number;
  /** The calendar year (Europe/Luxembourg) the minutes count in: hours bought are valid for it only. */
  year: number;
  ticketNumber: string | null;
  description: string;
  /** When it took effect; an expiry's is the end of its year. */
  at: string;
  /** The invoice that billed a purchase or reported an expiry; null until one did, and on a draw. */
  invoiceNumber: string | null;
}

export interface PrepaidAccount {
  contractId: string;
  boughtMinutes: number;
  usedMinutes: number;
  expiredMinutes: number;
  /** What a draw now may use: this year's purchases less this year's draws. */
  balanceMinutes: number;
  /** The year the balance belongs to; it expires at that year's end. */
  balanceYear: number;
  movements: PrepaidMovement[];
}

export interface PrepaidPurchase {
  minutes: number;
  description: string;
  /** A retried purchase with the same key is recorded once. */
  idempotencyKey: string;
}

/** The key names an earlier purchase of other minutes or another description: a retry must repeat its request. */
export class PrepaidKeyReusedError extends Error {
  constructor(readonly idempotencyKey: string) {
    super(`idempotency key ${idempotencyKey} was already used for another purchase`);
  }
}

export interface PrepaidLedger {
  /** Undefined when the contract does not exist. */
  account(contractId: string): Promise<PrepaidAccount | undefined>;
  /** Undefined when the contract does not exist; PrepaidKeyReusedError when the key names another purchase. */
  buy(contractId: string, purchase: PrepaidPurchase): Promise<PrepaidAccount | undefined>;
}

type Queryable = Pick<PoolClient, 'query'>;

interface MovementRow {
  kind: PrepaidMovementKind;
  minutes: number;
  year: number;
  ticket_number: string | null;
  description: string;
  created_at: Date;
  invoice_number: string | null;
}

const MOVEMENTS = `SELECT kind, minutes, year, ticket_number, description, created_at, invoices.number AS invoice_number
  FROM prepaid_movements LEFT JOIN invoices ON invoices.id = prepaid_movements.invoice_id`;

export const toYearMovement = (row: {
  kind: PrepaidMovementKind;
  minutes: number;
  year: number;
  created_at: Date;
}): YearMovement => ({
  kind: row.kind,
  minutes: row.minutes,
  year: row.year,
  at: row.created_at.getTime(),
});

/** The statement of a contract's prepaid hours at `now`, from its movements in the order they took effect. */
export function accountOf(contractId: string, rows: readonly MovementRow[], now: number): PrepaidAccount {
  const total = (kind: PrepaidMovementKind) =>
    rows.reduce((sum, row) => (row.kind === kind ? sum + Math.abs(row.minutes) : sum), 0);
  return {
    contractId,
    boughtMinutes: total('purchase'),
    usedMinutes: total('draw'),
    expiredMinutes: total('expiry'),
    balanceMinutes: availableAt(rows.map(toYearMovement), now, DESK_ZONE),
    balanceYear: yearAt(now, DESK_ZONE),
    movements: rows.map((row) => ({
      kind: row.kind,
      minutes: row.minutes,
      year: row.year,
      ticketNumber: row.ticket_number,
      description: row.description,
      at: row.created_at.toISOString(),
      invoiceNumber: row.invoice_number,
    })),
  };
}

/** Prepaid hours of a contract from its movements: the balance is always computed from them, never a stored figure. */
export function prepaidLedger(db: Pool): PrepaidLedger {
  async function account(contractId: string): Promise<PrepaidAccount | undefined> {
    const exists = await db.query<{ now: Date }>('SELECT now() FROM contracts WHERE id = $1', [contractId]);
    if (exists.rowCount === 0) return undefined;
    const { rows } = await db.query<MovementRow>(
      `${MOVEMENTS} WHERE contract_id = $1 ORDER BY created_at, prepaid_movements.id`,
      [contractId],
    );
    return accountOf(contractId, rows, exists.rows[0]!.now.getTime());
  }

  return {
    account,
    async buy(contractId, { minutes, description, idempotencyKey }) {
      const key = `purchase:${contractId}:${idempotencyKey}`;
      const inserted = await db.query(
        `INSERT INTO prepaid_movements (contract_id, kind, minutes, idempotency_key, description)
         SELECT id, 'purchase', $2, $3, $4 FROM contracts WHERE id = $1 ON CONFLICT (idempotency_key) DO NOTHING`,
        [contractId, minutes, key, description],
      );
      if (inserted.rowCount === 0) {
        const { rows } = await db.query<{ minutes: number; description: string }>(
          'SELECT minutes, description FROM prepaid_movements WHERE idempotency_key = $1',
          [key],
        );
        if (rows.length === 0) return undefined;
        if (rows[0]!.minutes !== minutes || rows[0]!.description !== description)
          throw new PrepaidKeyReusedError(idempotencyKey);
      }
      return account(contractId);
    },
  };
}

/**
 * The movements a ticket's draw prices from, and the instant it draws at: everything before its own draw, at that
 * draw's instant if a first attempt wrote it, so that a retry prices exactly as the first attempt did; else now.
 */
export async function movementsBeforeDraw(
  client: Queryable,
  contractId: string,
  drawKey: string,
): Promise<{ movements: YearMovement[]; at: number }> {
  const draw = await client.query<{ id: string; at: Date }>(
    'SELECT id, created_at AS at FROM prepaid_movements WHERE idempotency_key = $1 UNION ALL SELECT NULL, now() ORDER BY id NULLS LAST LIMIT 1',
    [drawKey],
  );
  const { rows } = await client.query<{ kind: PrepaidMovementKind; minutes: number; year: number; created_at: Date }>(
    'SELECT kind, minutes, year, created_at FROM prepaid_movements WHERE contract_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY created_at, id',
    [contractId, draw.rows[0]!.id],
  );
  return { movements: rows.map(toYearMovement), at: draw.rows[0]!.at.getTime() };
}

// Movements and purchases by the end of an invoice period's last day, in the desk's zone.
const byPeriodEnd = (periodEndParam: string) =>
  `((${periodEndParam}::date + 1)::timestamp AT TIME ZONE '${DESK_ZONE}')`;

/** Locks the customer's contracts, in id order, against draws while their years are closed; their ids. */
export async function lockCustomerContracts(client: Queryable, customerId: string): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(
    'SELECT id FROM contracts WHERE customer_id = $1 ORDER BY id FOR UPDATE',
    [customerId],
  );
  return rows.map((row) => row.id);
}

/** Every movement of a contract, in the order they took effect. */
export async function contractMovements(client: Queryable, contractId: string): Promise<YearMovement[]> {
  const { rows } = await client.query<{ kind: PrepaidMovementKind; minutes: number; year: number; created_at: Date }>(
    'SELECT kind, minutes, year, created_at FROM prepaid_movements WHERE contract_id = $1 ORDER BY created_at, id',
    [contractId],
  );
  return rows.map(toYearMovement);
}

/** The instant a period's movements run to: the end of its last day, or now if that is still to come. */
export async function periodCutoff(client: Queryable, periodEnd: string): Promise<number> {
  const { rows } = await client.query<{ at: Date }>(`SELECT LEAST(${byPeriodEnd('$1')}, now()) AS at`, [periodEnd]);
  return rows[0]!.at.getTime();
}

/** Records what a year left unused as its expiry, at the year's end; once per contract and year. */
export async function writeExpiry(
  client: Queryable,
  contractId: string,
  year: number,
  minutes: number,
  description: string,
): Promise<void> {
  await client.query(
    `INSERT INTO prepaid_movements (contract_id, kind, minutes, year, idempotency_key, description, created_at)
     VALUES ($1, 'expiry', $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [contractId, -minutes, year, `expiry:${contractId}:${year}`, description, new Date(yearEnd(year, DESK_ZONE))],
  );
}

export async function hasUninvoicedPurchases(
  client: Queryable,
  customerId: string,
  periodEnd: string,
): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT 1 FROM prepaid_movements WHERE kind = 'purchase' AND invoice_id IS NULL AND created_at < ${byPeriodEnd('$2')}
       AND contract_id IN (SELECT id FROM contracts WHERE customer_id = $1) LIMIT 1`,
    [customerId, periodEnd],
  );
  return rows.length > 0;
}

export interface InvoicedPurchase {
  contractId: string;
  policyId: string;
  policyVersion: number | null;
  /** The contract's own rates: the purchase is priced at the rate its tickets are billed at. */
  rates: ContractRates | null;
  minutes: number;
  year: number;
  at: number;
}

/** Marks the customer's purchases made by the period's end and not yet invoiced as this invoice's. */
export async function claimPurchases(
  client: Queryable,
  customerId: string,
  periodEnd: string,
  invoiceId: string,
): Promise<InvoicedPurchase[]> {
  const { rows } = await client.query<{
    contract_id: string;
    policy_id: string;
    policy_version: number | null;
    rates: ContractRates | null;
    minutes: number;
    year: number;
    created_at: Date;
  }>(
    `WITH claimed AS (
       UPDATE prepaid_movements SET invoice_id = $3
       WHERE kind = 'purchase' AND invoice_id IS NULL AND created_at < ${byPeriodEnd('$2')}
         AND contract_id IN (SELECT id FROM contracts WHERE customer_id = $1)
       RETURNING id, contract_id, minutes, year, created_at)
     SELECT claimed.contract_id, policy_id, policy_version, rates, minutes, year, claimed.created_at FROM claimed JOIN contracts ON contracts.id = claimed.contract_id
     ORDER BY claimed.created_at, claimed.id`,
    [customerId, periodEnd, invoiceId],
  );
  return rows.map((row) => ({
    contractId: row.contract_id,
    policyId: row.policy_id,
    policyVersion: row.policy_version,
    rates: row.rates,
    minutes: row.minutes,
    year: row.year,
    at: row.created_at.getTime(),
  }));
}

export interface ReportedExpiry {
  contractId: string;
  year: number;
  /** The minutes that expired, positive. */
  minutes: number;
  description: string;
}

/** Marks the customer's expiries of years up to the period's not yet shown on an invoice as this invoice's. */
export async function claimExpiries(
  client: Queryable,
  customerId: string,
  periodEnd: string,
  invoiceId: string,
): Promise<ReportedExpiry[]> {
  const { rows } = await client.query<{ contract_id: string; year: number; minutes: number; description: string }>(
    `UPDATE prepaid_movements SET invoice_id = $3
     WHERE kind = 'expiry' AND invoice_id IS NULL AND year <= extract(year FROM $2::date)
       AND contract_id IN (SELECT id FROM contracts WHERE customer_id = $1)
     RETURNING contract_id, year, minutes, description`,
    [customerId, periodEnd, invoiceId],
  );
  return rows
    .map((row) => ({
      contractId: row.contract_id,
      year: row.year,
      minutes: -row.minutes,
      description: row.description,
    }))
    .sort((a, b) => a.year - b.year || Number(a.contractId) - Number(b.contractId));
}

/** Customers with a purchase to invoice by the period's end, or a year ended by then whose remainder has not expired. */
export const PREPAID_CANDIDATES = (periodEndParam: string) => `
  SELECT contracts.customer_id FROM prepaid_movements AS m JOIN contracts ON contracts.id = m.contract_id
  WHERE m.kind = 'purchase' AND m.invoice_id IS NULL AND m.created_at < ${byPeriodEnd(periodEndParam)}
  UNION SELECT contracts.customer_id FROM prepaid_movements AS m JOIN contracts ON contracts.id = m.contract_id
  WHERE m.year < extract(year FROM LEAST(${byPeriodEnd(periodEndParam)}, now()) AT TIME ZONE '${DESK_ZONE}')
  GROUP BY contracts.customer_id, m.contract_id, m.year HAVING SUM(m.minutes) > 0`;
