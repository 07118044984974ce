/**
 * The actions, checked where they live: each ticket acted on is read live from its workflow (GET, which must answer
 * 200, not a stale snapshot), its history searched for failed workflow tasks, every marker counted; then the ticket
 * is closed and billed, and the read model's final snapshot (PostgreSQL) and the billing lines must say the same:
 * the bill is the price of exactly the time entries the ticket shows once.
 */
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { ticketWorkflowId } from '../../messages/ticket';
import { priceRequest } from '../../domain/pricing';
import { findPolicy } from '../../policies/registry';
import { occurrences, type TicketLike } from './actions';
import { sleep, type ChaosClient } from './client';
import { NO_ANSWER, type Intent, type Ledger } from './ledger';
import type { Verdicts } from './verdicts';

export const FINAL = 'final check';

interface LiveTicket extends TicketLike {
  policyId: string;
  policyVersion?: number;
  stale?: boolean;
}

export const unanswered = (status: number) => status === NO_ANSWER || status === 429 || status >= 500;

/**
 * The ticket as its workflow has it. A stale answer (the read model's snapshot) is asked again for a while: a GET
 * that falls at a continue-as-new gets one, legitimately; a ticket that stays stale has a workflow that cannot answer.
 */
async function readLive(client: ChaosClient, ledger: Ledger, ticket: string): Promise<LiveTicket | undefined> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answer = await client.untilAnswered(
      FINAL,
      { method: 'GET', path: `/v1/tickets/${ticket}`, as: 'agent' },
      deadline,
    );
    const view = answer.body as LiveTicket;
    if (answer.status === 200 && view.stale !== true) return view;
    if (Date.now() > deadline || answer.status !== 200) {
      ledger.fail(FINAL, `GET ${ticket} answered ${answer.status}${view?.stale ? ' (stale)' : ''}`);
      return undefined;
    }
    await sleep(1_000);
  }
}

async function failedWorkflowTasks(temporal: Client, ticket: string): Promise<string[]> {
  const history = await temporal.workflow.getHandle(ticketWorkflowId(ticket)).fetchHistory();
  return (history.events ?? []).flatMap((event) =>
    event.workflowTaskFailedEventAttributes
      ? [event.workflowTaskFailedEventAttributes.failure?.message ?? 'no message']
      : [],
  );
}

/** Waiting → reply, support → propose, validation → validate: to a closed, billed ticket, whatever state it was left in. */
async function close(client: ChaosClient, ticket: string, status: string | undefined): Promise<void> {
  const deadline = Date.now() + 60_000;
  const steps: Record<string, { action: string; body: unknown; as: 'agent' | 'customer' }> = {
    waiting: {
      action: 'customer-reply',
      body: { contact: 'ana@acme.lu', message: 'closing the chaos run' },
      as: 'customer',
    },
    support: {
      action: 'propose-resolution',
      body: { agent: 'chaos-agent', resolution: 'End of the chaos run' },
      as: 'agent',
    },
    validation: { action: 'validate', body: { contact: 'ana@acme.lu' }, as: 'customer' },
  };
  for (let step = steps[status ?? '']; step && Date.now() < deadline;) {
    const answer = await client.untilAnswered(
      FINAL,
      { method: 'POST', path: `/v1/tickets/${ticket}/${step.action}`, body: step.body, as: step.as },
      deadline,
    );
    step = steps[(answer.body as { status?: string }).status ?? ''];
  }
}

async function billedSnapshot(db: Pool, ticket: string): Promise<TicketLike | undefined> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(500)) {
    const { rows } = await db.query<{ snapshot: TicketLike }>('SELECT snapshot FROM tickets WHERE number = $1', [
      ticket,
    ]);
    const snapshot = rows[0]?.snapshot;
    if (snapshot?.events?.some((event) => event.type === 'billed')) return snapshot;
  }
  return undefined;
}

async function checkBill(db: Pool, ledger: Ledger, ticket: string, live: LiveTicket, applied: Intent[]): Promise<void> {
  const items = applied.flatMap((intent) =>
    intent.entry ? [{ start: Date.parse(intent.entry.start), end: Date.parse(intent.entry.end), onSite: false }] : [],
  );
  const expected = priceRequest(findPolicy(live.policyId, live.policyVersion), { items }).totalCents;
  const { rows } = await db.query<{ cents: string | null }>(
    'SELECT sum(amount_cents) AS cents FROM billing_lines WHERE ticket_number = $1',
    [ticket],
  );
  const billed = Number(rows[0]?.cents ?? 0);
  ledger.notes.push(
    `${ticket}: ${items.length} time entries applied, billed ${billed} cents, priced again at ${expected}`,
  );
  ledger.expect(
    FINAL,
    billed === expected,
    `${ticket}: billing_lines total ${billed} cents, the ${items.length} time entries applied price at ${expected}`,
  );
}

export async function checkActions({
  client,
  ledger,
  temporal,
  db,
  verdicts,
}: {
  client: ChaosClient;
  ledger: Ledger;
  temporal: Client;
  db: Pool;
  verdicts: Verdicts;
}): Promise<void> {
  const actions = ledger.intents.filter((intent) => intent.kind === 'action');
  for (const ticket of new Set(actions.map((intent) => intent.ticket!))) {
    const mine = actions.filter((intent) => intent.ticket === ticket);
    const live = await readLive(client, ledger, ticket);
    for (const failure of await failedWorkflowTasks(temporal, ticket))
      ledger.fail(mine[0]!.scenario, `${ticket}: WorkflowTaskFailed: ${failure}`);
    if (!live) continue;
    const applied: Intent[] = [];
    for (const intent of mine) {
      const found = occurrences(live, intent.marker);
      verdicts.count(intent.scenario, found, intent.status === 200 ? 1 : undefined, {
        unanswered: unanswered(intent.status),
      });
      if (found === 1) verdicts.applied(intent.scenario);
      if (intent.keyed && unanswered(intent.status))
        ledger.fail(intent.scenario, `${intent.marker} on ${ticket} never got a final answer (last ${intent.status})`);
      if (found === 1) applied.push(intent);
    }
    await close(client, ticket, live.status);
    const snapshot = await billedSnapshot(db, ticket);
    if (!snapshot) {
      ledger.fail(FINAL, `${ticket} was not closed and billed in the read model within 60 s`);
      continue;
    }
    const differ = mine.filter((intent) => occurrences(snapshot, intent.marker) !== occurrences(live, intent.marker));
    ledger.expect(
      FINAL,
      differ.length === 0,
      `${ticket}: the read model's snapshot counts ${differ.length} markers differently from the workflow (${differ[0]?.marker})`,
    );
    await checkBill(db, ledger, ticket, live, applied);
  }
}
