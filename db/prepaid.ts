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
      const key = `purchase:${contractId}:${idempotencyKey}`;
      const inserted = await db.query(
        `INSERT INTO prepaid_movements (contract_id, minutes, idempotency_key, description)
         SELECT id, $2, $3, $4 FROM contracts WHERE id = $1 ON CONFLICT (idempotency_key) DO NOTHING`,
        [contractId, minutes, key, description],
      );
      if (inserted.rowCount === 0) {
        const { rows } = await db.query<{ minutes: number; description: string }>('SELECT minutes, description FROM prepaid_movements WHERE idempotency_key = $1', [key]);
        if (rows.length === 0) return undefined;
        if (rows[0]!.minutes !== minutes || rows[0]!.description !== description) throw new PrepaidKeyReusedError(idempotencyKey);
      }
      return account(contractId);
    },
  };
}
