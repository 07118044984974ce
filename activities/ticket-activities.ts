import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Pool, PoolClient } from 'pg';
import type { BillingSummary, TicketState } from '../messages/ticket';
import { atRiskFrom, nextDeadline } from '../domain/sla/clock';
import { slaFiguresOf, type SlaFigures } from '../domain/sla/figures';
import { pgPolicyCatalog } from '../db/policy-versions';
import type { PolicySource } from '../policies/catalog';
import { writeTicketKeepingReport } from '../db/sla-report';
import { withTransaction } from '../db/transaction';
import { toStorable } from '../domain/text';
import { billedTicket, openingNotice, planQuestion, registeredTicket } from '../domain/ticket/steps';
import type { PlanAnswer } from '../domain/ticket/steps';
import { billTicket } from './billing';
import { planForActivity } from './clock-planner';
import type { ThresholdNotice } from './threshold-email';
import type { Reader } from '../mail/format';
import {
  queueAcknowledgement,
  queueLifecycleNotices,
  queueOpeningNotices,
  queueThresholdNotices,
  readerOf,
} from './ticket-notices';

export interface ActivityDeps {
  db: Pool;
  /**
   * Where the notices' transactions take their connection (notifyThreshold): a pool of their own in the worker
   * (worker/activity-pools.ts), so that a burst of the other activities never keeps a warning or a breach waiting for
   * one; by default `db`.
   */
  noticeDb?: Pool;
  /**
   * Where the ticket's pinned policy version is read: by default the published versions in `db`, and for the notices
   * in `noticeDb` (a version is read once per process, then kept, so that a notice's first look does not wait either).
   */
  policies?: PolicySource;
  /**
   * Sends committed outbox rows at once (the worker's dispatcher, mail/dispatcher.ts deliverNow on `db`); without it
   * (no SMTP_URL) they wait in the outbox for a dispatcher.
   */
  deliverNow?: (keys: readonly string[]) => Promise<void>;
}

function callingWorkflowId(): string {
  const execution = Context.current().info.workflowExecution;
  if (!execution)
    throw ApplicationFailure.nonRetryable('ticket activities run only on behalf of a ticket workflow', 'NO_WORKFLOW');
  return execution.workflowId;
}

/** Idempotency keys come from the workflow ID and the step, so a retried or replayed activity writes once. */
function idempotencyKey(step: string): string {
  return `${callingWorkflowId()}:${step}`;
}

const INSERT_TICKET = `
  INSERT INTO tickets (number, workflow_id, customer_id, policy_id, kind, priority, status, title, contact_email,
                       assignee, opened_at, revision, snapshot, sla_breached, next_deadline, updated_at,
                       response_outcome, intervention_outcome, resolution_outcome, taken_in_charge_at, response_business_ms, same_day_until,
                       at_risk_from)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, to_timestamp($11 / 1000.0), $12, $13, $14, to_timestamp($15 / 1000.0), now(),
          $16, $17, $18, to_timestamp($19 / 1000.0), $20, to_timestamp($21 / 1000.0), to_timestamp($22 / 1000.0))`;

// Newer revisions win: activities of one ticket may be retried out of order, the read model never goes back.
const UPSERT_TICKET = `${INSERT_TICKET}
  ON CONFLICT (number) DO UPDATE SET
    priority = excluded.priority, status = excluded.status, assignee = excluded.assignee,
    revision = excluded.revision, snapshot = excluded.snapshot, sla_breached = excluded.sla_breached,
    next_deadline = excluded.next_deadline, updated_at = now(),
    response_outcome = excluded.response_outcome, intervention_outcome = excluded.intervention_outcome,
    resolution_outcome = excluded.resolution_outcome, taken_in_charge_at = excluded.taken_in_charge_at,
    response_business_ms = excluded.response_business_ms, same_day_until = excluded.same_day_until,
    at_risk_from = excluded.at_risk_from
  WHERE tickets.revision < excluded.revision`;

// A first write that finds the row written meanwhile by another attempt writes nothing: db/sla-report.ts then reads
// that row's share of the report before writing again. No conflict target: with one, PostgreSQL arbitrates only that
// index, and an attempt inserting at the same moment as another one then fails on the other unique index
// (workflow_id) instead of writing nothing; a fresh-clone CI run's property test in test/e2e/sla-report-rollup.test.ts
// failed on exactly that race.
const INSERT_NEW_TICKET = `${INSERT_TICKET} ON CONFLICT DO NOTHING`;

/** The SLA report's figures of the ticket, on the calendar its clocks run on. */
async function slaFigures(policies: PolicySource, ticket: TicketState): Promise<SlaFigures> {
  return slaFiguresOf((await policies.find(ticket.policyId, ticket.policyVersion)).calendarFor(ticket.kind), ticket);
}

// The copy written is made storable: one NUL or unpaired surrogate jsonb refuses would fail this write on every retry.
async function ticketRow(
  policies: PolicySource,
  given: TicketState,
): Promise<{ ticketNumber: string; values: unknown[] }> {
  const ticket = toStorable(given);
  const figures = await slaFigures(policies, ticket);
  return {
    ticketNumber: ticket.ticketNumber,
    values: [
      ticket.ticketNumber,
      callingWorkflowId(),
      ticket.customerId,
      ticket.policyId,
      ticket.kind,
      ticket.priority,
      ticket.status,
      ticket.title,
      ticket.contact.email,
      ticket.assignee ?? null,
      ticket.openedAt,
      ticket.revision,
      JSON.stringify(ticket),
      ticket.slaBreached,
      nextDeadline(ticket.clocks) ?? null,
      figures.outcomes.response,
      figures.outcomes.intervention,
      figures.outcomes.resolution,
      ticket.takenInChargeAt ?? null,
      figures.responseBusinessMs ?? null,
      figures.sameDayUntil,
      atRiskFrom(ticket.clocks) ?? null,
    ],
  };
}

/** Writes the ticket's row and its share of the SLA report, in the transaction `client` is in; `first`: its first row. */
async function writeTicket(
  client: PoolClient,
  { ticketNumber, values }: Awaited<ReturnType<typeof ticketRow>>,
  options?: { first: boolean },
): Promise<void> {
  await writeTicketKeepingReport(
    client,
    ticketNumber,
    async (existing) => (await client.query(existing ? UPSERT_TICKET : INSERT_NEW_TICKET, values)).rowCount ?? 0,
    options,
  );
}

/**
 * Writes the ticket's first row and queues its acknowledgement e-mail, read by `reader`, in one transaction: what
 * registerTicket writes once it has the plan. An emergency's notice at opening (openingNotice) is queued in the same
 * transaction: the desk hears of the ticket with its first row, once, whatever the retries. Run on behalf of the
 * ticket's workflow (an activity's context), whose ID the row and the e-mails' idempotency keys carry. Answers the
 * keys of the notices at opening, for the activity to send once committed. Exported for
 * test/support/e2e/registration.ts, which writes a state a test built.
 */
export async function writeRegistration(
  db: Pool,
  policies: PolicySource,
  ticket: TicketState,
  reader: Reader,
): Promise<string[]> {
  const row = await ticketRow(policies, ticket);
  const opening = openingNotice(ticket);
  return withTransaction(db, async (client) => {
    await writeTicket(client, row, { first: true });
    await queueAcknowledgement(client, idempotencyKey('acknowledgement-email'), ticket, reader);
    const openingKeys = opening ? await queueOpeningNotices(client, idempotencyKey, opening, reader) : [];
    // Its steps' webhooks (opened, acknowledged or refused), and the notices of any step a test's state holds: later
    // writes tell only the steps their row did not hold yet (recordTicketStateIn).
    await queueLifecycleNotices(client, idempotencyKey, ticket, 0, reader);
    return openingKeys;
  });
}

/**
 * How many events of the ticket's history its row holds, the row locked until the transaction `client` is in ends: a
 * write of the ticket then tells the events after those, and two writers of one ticket (the writer's activity and a
 * notice's) tell each step once, the second seeing what the first wrote. None without a row.
 */
async function recordedEventCount(client: PoolClient, ticketNumber: string): Promise<number> {
  const { rows } = await client.query<{ events: number }>(
    "SELECT jsonb_array_length(snapshot -> 'events') AS events FROM tickets WHERE number = $1 FOR UPDATE",
    [ticketNumber],
  );
  return rows[0]?.events ?? 0;
}

/**
 * Writes the ticket's row, in the transaction `client` is in, with the notices and webhooks of the steps the row did
 * not hold yet: both commit or neither, so that a retry after a failure finds the steps untold, and one after a commit
 * finds them told. An older revision (a retry out of order) holds no step the row lacks and writes nothing. The notices
 * are queued before the row so that the SLA report's shared rows, which the row's write locks, are held the shortest.
 */
async function recordTicketStateIn(
  client: PoolClient,
  row: Awaited<ReturnType<typeof ticketRow>>,
  ticket: TicketState,
): Promise<void> {
  const told = await recordedEventCount(client, ticket.ticketNumber);
  await queueLifecycleNotices(client, idempotencyKey, ticket, told);
  await writeTicket(client, row);
}

/**
 * A step the workflow asks an activity to take and write: the ticket as last committed and the workflow's instant of
 * the step. The activity computes the state the step leads to with the pure functions of domain/ticket/steps.ts, and
 * the workflow applies the same functions to the activity's answer and the same instant: both hold one state.
 */
export interface TicketStep {
  ticket: TicketState;
  at: number;
}

/**
 * Bounds on the waits of a notice's transaction, for it alone (SET LOCAL): a few reads and an insert per recipient, which
 * take milliseconds, so a lock held elsewhere or a statement that takes seconds is a fault. Unbounded, such a wait runs
 * on to the activity's 30 s start-to-close timeout (workflows/ticket.ts); Temporal then retries the notice while the
 * first attempt still runs in the worker (an activity without heartbeats is not told), and the notice is 31 s late.
 * Failing within these bounds, the attempt is retried a second later (its retry policy's first interval), and its
 * error says what it waited for.
 */
export const NOTICE_TRANSACTION_BOUNDS =
  "SELECT set_config('lock_timeout', '2s', true), set_config('statement_timeout', '5s', true)";

export function createActivities({ db, noticeDb = db, policies: given, deliverNow }: ActivityDeps) {
  const policies = given ?? pgPolicyCatalog(db);
  const noticePolicies = given ?? pgPolicyCatalog(noticeDb);
  /** Writes the read model with the contact's notices of the steps it did not hold yet, in one transaction. */
  const recordTicketState = async (ticket: TicketState): Promise<void> => {
    const row = await ticketRow(policies, ticket);
    await withTransaction(db, (client) => recordTicketStateIn(client, row, ticket));
  };
  /** Prices the time worked and writes the ticket's billing lines once, however often it is retried. */
  const billOf = (ticket: TicketState): Promise<BillingSummary> => billTicket(db, policies, ticket, idempotencyKey);

  return {
    recordTicketState,
    billTicket: billOf,

    /**
     * Plans the new ticket's clocks, then registers it acknowledged (or refused) with its e-mail (writeRegistration):
     * one activity instead of a plan and then a write. Answers the plan, from which the workflow adopts the same state.
     */
    registerTicket: async ({ ticket, at }: TicketStep): Promise<PlanAnswer> => {
      // The customer's language and zone, for the acknowledgement, are read while the policy in force is: the opening
      // waits for one round trip there instead of two in turn, and the transaction holds its locks a round trip less.
      const [plan, reader] = await Promise.all([
        planForActivity(policies, planQuestion(ticket, {})),
        readerOf(db, ticket.customerId),
      ]);
      const opening = await writeRegistration(db, policies, registeredTicket(ticket, plan, at).ticket, reader);
      // An emergency's notices at opening leave at once, as a warning's do (notifyThreshold), but the opening's
      // answer does not wait for the SMTP server: the registration is on the customer's request's path
      // (workflows/ticket.ts). deliverNow never throws, and the dispatcher's stop() waits for what it started.
      if (opening.length > 0) void deliverNow?.(opening);
      return plan;
    },

    /**
     * Bills the ended ticket (billTicket), then writes it billed with its notices (recordTicketState): one activity
     * instead of a bill and then a write. Both writes are idempotent, so a retry after either writes nothing twice.
     */
    closeTicket: async ({ ticket, at }: TicketStep): Promise<BillingSummary> => {
      const billing = await billOf(ticket);
      await recordTicketState(billedTicket(ticket, billing, at));
      return billing;
    },

    /**
     * Tells each person or role of a threshold once, whatever the retries: the key names the ticket, threshold and
     * recipient. With `ticket`, the state the workflow committed with the notice, its row is written in the same
     * transaction (last, so that the SLA report's shared rows are locked for the shortest time) with the contact's
     * notices of the steps it did not hold yet, as recordTicketState writes it. Once the rows are committed (durable, whatever
     * happens next) it sends them itself, rather than leave them to a dispatcher lane woken by the commit: a warning's
     * lateness is its deadline to the mail accepted. A retry sends what an earlier attempt left due; a row the
     * dispatcher took or sent meanwhile is passed by.
     */
    notifyThreshold: async (notice: ThresholdNotice, ticket?: TicketState): Promise<void> => {
      const row = ticket && (await ticketRow(noticePolicies, ticket));
      const keys = await withTransaction(noticeDb, async (client) => {
        await client.query(NOTICE_TRANSACTION_BOUNDS);
        const queued = await queueThresholdNotices(client, idempotencyKey, notice);
        if (ticket && row) await recordTicketStateIn(client, row, ticket);
        return queued;
      });
      await deliverNow?.(keys);
    },
  };
}

export type TicketActivities = ReturnType<typeof createActivities>;
