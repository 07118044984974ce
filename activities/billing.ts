import type { Pool, PoolClient } from 'pg';
import type { BillingSummary, TicketState } from '../messages/ticket';
import { DESK_ZONE } from '../messages/desk-zone';
import { withTransaction } from '../db/transaction';
import { asRefusal } from '../messages/failures';
import { toStorable } from '../domain/text';
import type { Policy } from '../domain/policy';
import {
  priceRequest,
  requestOfTimeEntries,
  type ContractRates,
  type Price,
  type PriceLine,
  withoutLabel,
} from '../domain/pricing';
import { describeLine } from '../domain/pricing/line-wording';
import { startedMinutes } from '../domain/pricing/increments';
import { availableAt } from '../domain/pricing/prepaid-hours';
import { movementsBeforeDraw } from '../db/prepaid';
import type { PolicySource } from '../policies/catalog';

/** Work outside the contract is billed apart, at the quote the customer accepted: one line, whatever the time spent. */
function quotedWork(ticket: TicketState): PriceLine {
  const amountCents = ticket.quote?.amountCents ?? 0;
  const minutes = ticket.timeEntries.reduce((total, entry) => total + startedMinutes(entry.end - entry.start), 0);
  return {
    description: describeLine({ kind: 'quoted-work' }),
    label: { kind: 'quoted-work' },
    minutes,
    rateCents: amountCents,
    multiplier: 1,
    amountCents,
  };
}

/** The ticket's bill as the workflow keeps it, as it always has: the labels go to billing_lines only. */
const summaryOf = (lines: readonly PriceLine[], totalCents: number): BillingSummary => ({
  lines: lines.map(withoutLabel),
  totalCents,
});

/** Retrying cannot make a refused price acceptable: the activity fails for good, so that ops see why. */
function refusedForGood<T>(compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    throw asRefusal(error);
  }
}

/**
 * The ticket is one request, each time entry one intervention on it (the request's minimum is billed once over them
 * all), with the flags its entries carry; the policy version is the ticket's, for life. The request is built and
 * priced by the same pure functions as `vigil price`'s.
 */
function priceTicket(
  policy: Policy,
  ticket: TicketState,
  prepaidMinutes: number,
  contractRates: ContractRates | undefined,
): Price {
  return refusedForGood(() =>
    priceRequest(
      policy,
      requestOfTimeEntries(ticket.timeEntries, { emergency: ticket.channel === 'emergency', prepaidMinutes }),
      contractRates,
    ),
  );
}

/**
 * The contract's own rates, read from PostgreSQL by the ticket's contract id when the ticket is billed, rather than
 * carried on the ticket from its opening: the workflow and its recorded histories stay as they are, and tickets
 * opened before contracts had rates bill at their contract's rates too. Vigil never edits a contract (a new price
 * is a new contract), so this is the contract the ticket opened under, with the rates it had then; a row changed by
 * hand in the database applies to the tickets billed after the change (README, Billing). A ticket without a
 * contract id (opened before contracts existed) bills at its policy's rates.
 */
async function contractRatesOf(client: PoolClient, ticket: TicketState): Promise<ContractRates | undefined> {
  if (ticket.contractId === undefined) return undefined;
  const { rows } = await client.query<{ rates: ContractRates | null }>(
    'SELECT rates FROM contracts WHERE id::text = $1',
    [ticket.contractId],
  );
  return rows[0]?.rates ?? undefined;
}

/**
 * The contract whose prepaid hours the ticket draws on: the one it was opened under, or for a ticket opened before
 * contracts existed, the customer's contract under the ticket's policy in force on the day it registered. Its row
 * stays locked until commit, so two tickets never draw the same minutes.
 */
async function prepaidContract(client: PoolClient, ticket: TicketState): Promise<string | undefined> {
  const registrationDay = `(to_timestamp($3 / 1000.0) AT TIME ZONE '${DESK_ZONE}')::date`;
  const { rows } = await client.query<{ id: string }>(
    ticket.contractId === undefined
      ? `SELECT id FROM contracts WHERE customer_id = $1 AND policy_id = $2 AND starts_on <= ${registrationDay} AND (ends_on IS NULL OR ends_on >= ${registrationDay})
         ORDER BY starts_on DESC, id DESC LIMIT 1 FOR UPDATE`
      : 'SELECT id FROM contracts WHERE customer_id = $1 AND policy_id = $2 AND id = $3 FOR UPDATE',
    [ticket.customerId, ticket.policyId, ticket.contractId ?? ticket.openedAt],
  );
  return rows[0]?.id;
}

/**
 * The balance this ticket's price starts from: the hours of the year it draws in (never an earlier year's, expired
 * at that year's end), less that year's draws before its own, so that a retry after the draw was written prices
 * exactly as the first attempt did.
 */
async function balanceBefore(client: PoolClient, contractId: string, drawKey: string): Promise<number> {
  const { movements, at } = await movementsBeforeDraw(client, contractId, drawKey);
  return availableAt(movements, at, DESK_ZONE);
}

/**
 * Prices the ticket and writes its billing lines, and its draw on prepaid hours where the policy has them, in one
 * transaction keyed by workflow ID and step: a retried or replayed activity writes nothing twice.
 */
export async function billTicket(
  db: Pool,
  policies: PolicySource,
  ticket: TicketState,
  idempotencyKey: (step: string) => string,
): Promise<BillingSummary> {
  if (ticket.scope === 'excluded') {
    const line = quotedWork(ticket);
    await withTransaction(db, (client) => insertLines(client, ticket, [line], idempotencyKey));
    return summaryOf([line], line.amountCents);
  }
  return withTransaction(db, async (client) => {
    const policy = await Promise.resolve(policies.find(ticket.policyId, ticket.policyVersion)).catch(
      (error: unknown) => {
        throw asRefusal(error);
      },
    );
    const contractId = policy.billing?.document.drawsOnPrepaidHours ? await prepaidContract(client, ticket) : undefined;
    const drawKey = idempotencyKey('prepaid-draw');
    const price = priceTicket(
      policy,
      ticket,
      contractId ? await balanceBefore(client, contractId, drawKey) : 0,
      await contractRatesOf(client, ticket),
    );
    await insertLines(client, ticket, price.lines, idempotencyKey);
    if (contractId && price.prepaid && price.prepaid.usedMinutes > 0) {
      await client.query(
        `INSERT INTO prepaid_movements (contract_id, minutes, idempotency_key, ticket_number, description)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (idempotency_key) DO NOTHING`,
        toStorable([
          contractId,
          -price.prepaid.usedMinutes,
          drawKey,
          ticket.ticketNumber,
          `${ticket.ticketNumber}: ${ticket.title}`,
        ]),
      );
    }
    return summaryOf(price.lines, price.totalCents);
  });
}

async function insertLines(
  client: PoolClient,
  ticket: TicketState,
  lines: readonly PriceLine[],
  idempotencyKey: (step: string) => string,
): Promise<void> {
  for (const [index, line] of lines.entries()) {
    await client.query(
      `INSERT INTO billing_lines (idempotency_key, ticket_number, customer_id, description, minutes, rate_cents, multiplier, amount_cents, label)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (idempotency_key) DO NOTHING`,
      // The description and label may quote the ticket's text (its role or service): made storable like every write of ticket content.
      toStorable([
        idempotencyKey(`billing:${index}`),
        ticket.ticketNumber,
        ticket.customerId,
        `${ticket.ticketNumber}: ${line.description}`,
        line.minutes,
        line.rateCents,
        line.multiplier,
        line.amountCents,
        JSON.stringify(line.label),
      ]),
    );
  }
}
