import type { Pool } from 'pg';

export interface PrepaidMovement {
  /** Positive for hours bought, negative for a ticket's draw. */
  minutes: number;
  ticketNumber: string | null;
  description: string;
  at: string;
}

export interface PrepaidAccount {
  contractId: string;
  boughtMinutes: number;
  usedMinutes: number;
  balanceMinutes: number;
  movements: PrepaidMovement[];
}

export interface PrepaidPurchase {
  minutes: number;
  description: string;
  /** A retried purchase with the same key is recorded once. */
  idempotencyKey: string;
}

export interface PrepaidLedger {
  /** Undefined when the contract does not exist. */
  account(contractId: string): Promise<PrepaidAccount | undefined>;
  buy(contractId: string, purchase: PrepaidPurchase): Promise<PrepaidAccount | undefined>;
}

interface MovementRow {
  minutes: number;
  ticket_number: string | null;
  description: string;
  created_at: Date;
}

/** Prepaid hours of a contract from its movements: the balance is always their sum, never a stored figure. */
export function prepaidLedger(db: Pool): PrepaidLedger {
  async function account(contractId: string): Promise<PrepaidAccount | undefined> {
    const exists = await db.query('SELECT 1 FROM contracts WHERE id = $1', [contractId]);
    if (exists.rowCount === 0) return undefined;
    const { rows } = await db.query<MovementRow>('SELECT minutes, ticket_number, description, created_at FROM prepaid_movements WHERE contract_id = $1 ORDER BY id', [contractId]);
    const boughtMinutes = rows.reduce((total, row) => total + Math.max(row.minutes, 0), 0);
    const usedMinutes = rows.reduce((total, row) => total - Math.min(row.minutes, 0), 0);
    return {
      contractId,
      boughtMinutes,
      usedMinutes,
      balanceMinutes: boughtMinutes - usedMinutes,
      movements: rows.map((row) => ({ minutes: row.minutes, ticketNumber: row.ticket_number, description: row.description, at: row.created_at.toISOString() })),
    };
  }

  return {
    account,
    async buy(contractId, { minutes, description, idempotencyKey }) {
      const inserted = await db.query(
        `INSERT INTO prepaid_movements (contract_id, minutes, idempotency_key, description)
         SELECT id, $2, $3, $4 FROM contracts WHERE id = $1 ON CONFLICT (idempotency_key) DO NOTHING`,
        [contractId, minutes, `purchase:${contractId}:${idempotencyKey}`, description],
      );
      if (inserted.rowCount === 0 && !(await db.query('SELECT 1 FROM contracts WHERE id = $1', [contractId])).rowCount) return undefined;
      return account(contractId);
    },
  };
}
