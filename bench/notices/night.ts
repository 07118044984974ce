/**
 * A night of tickets whose clocks start together, for the benches that measure notices (bench/notice-lateness.bench.ts,
 * bench/open-tickets.bench.ts): a policy published for the run whose business calendar opens at a whole minute T, a
 * customer under it, tickets opened through the API, and how late each warning or breach notice reached the SMTP
 * server (bench/notices/receiver.ts), measured from the ticket's own planned threshold.
 */
import { DateTime } from 'luxon';
import type { Pool } from 'pg';
import { WEEKDAY_NAMES } from '../../domain/calendar/calendar';
import { pgAccountStore } from '../../db/accounts';
import { publishPolicyVersion } from '../../db/policy-publishing';
import type { TicketState } from '../../messages/ticket';
import { OPENING_CONTACT } from '../chaos/actions';
import { percentile } from '../stats';
import type { Received } from './receiver';
import { deskDateOf, pastError, publishEffectiveSoon, untilPast } from '../../test/support/effective-soon';

export const sleepMs = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Runs `work` over `items`, `limit` at a time; stops taking new items once `stopped()` says so. */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
  stopped: () => boolean = () => false,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length && !stopped()) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}

export interface NightPolicy {
  id: string;
  /** The whole UTC minute its calendar opens at, every day, until midnight. */
  opensAt: number;
  /** The P1 response target, in business minutes. */
  targetMinutes: number;
  warningPercent: number;
}

/**
 * The run's policy: a calendar that opens at `opensAt` and stays open to midnight; one warning level and the breach.
 * It comes in force at `effectiveFrom`: tickets pin the version in force when they register.
 */
export function nightPolicy({ id, opensAt, targetMinutes, warningPercent }: NightPolicy, effectiveFrom: number) {
  const from = DateTime.fromMillis(opensAt, { zone: 'UTC' }).toFormat('HH:mm');
  return {
    id,
    version: 1,
    effectiveFrom: DateTime.fromMillis(effectiveFrom, { zone: 'UTC' }).toISO(),
    title: 'Notice bench: a night of tickets whose clocks start together',
    calendars: { night: { zone: 'UTC', open: [{ days: [...WEEKDAY_NAMES], from, to: '24:00' }] } },
    calendarByKind: { incident: 'night', request: 'night', change: 'night' },
    targets: { response: { P1: { amount: targetMinutes, unit: 'businessMinutes' } } },
    warningPercents: [],
    // Levels rather than bare warnings, so that the contract may name who is told (db/account-input.ts).
    escalation: [
      { atPercent: warningPercent, notify: ['desk'] },
      { atPercent: 100, notify: ['desk'] },
    ],
    autoValidationAfter: null,
    workaroundStopsResolutionClock: false,
  };
}

export interface NightCustomer {
  customerId: string;
  agentToken: string;
}

/**
 * Publishes `policy`, in force shortly after (a second ahead, further if PostgreSQL found that already past when it
 * checked), and makes a customer of its own under it (`idPrefix` and the time), with an agent key; returns once the
 * policy is in force. The database must be migrated.
 */
export async function seedNightCustomer(db: Pool, policy: NightPolicy, idPrefix: string): Promise<NightCustomer> {
  const { effectiveFrom } = await publishEffectiveSoon((at) =>
    publishPolicyVersion(db, nightPolicy(policy, at), 'bench').catch(pastError),
  );
  const accounts = pgAccountStore(db);
  const customerId = `${idPrefix}-${Date.now().toString(36)}`;
  await accounts.createCustomer({ id: customerId, name: 'Night Shift SA' });
  await accounts.createContract({
    customerId,
    policyId: policy.id,
    // The day the policy comes in force: today's date may be the day before it, once midnight falls in between.
    startsOn: deskDateOf(effectiveFrom),
    authorizedContacts: [{ ...OPENING_CONTACT, outOfHours: true }],
    escalationContacts: [{ level: 'desk', name: 'Night Desk', email: 'desk@bench.test' }],
  });
  const agentToken = (await accounts.createApiKey({ role: 'agent', label: `${idPrefix} bench` })).token;
  await untilPast(effectiveFrom);
  return { customerId, agentToken };
}

/** How long a busy answer's Retry-After asks to wait, within reason; a second when it says nothing usable. */
function retryAfterMs(response: Response): number {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 60) * 1000 : 1_000;
}

export interface Opened {
  ticketNumber: string;
  /** 503 answers before it was accepted, each waited its Retry-After: refused at once because the workers are behind
   * (api/back-pressure.ts, type busy), or after the API's Temporal deadline passed without an answer (slow). */
  busy: number;
  slow: number;
  /** 500 answers: a bug of the API, counted and sent again with the same key, as a careful client would. */
  failed: number;
  /** Requests that got no answer at all (connection refused or reset) and were sent again. */
  unanswered: number;
}

/**
 * Opens one P1 ticket through the API, as a desk's form would; returns when it is registered. A 503 is sent again
 * after its Retry-After with the same Idempotency-Key (one ticket), until `giveUpAt`.
 */
export async function openTicket(
  api: string,
  token: string,
  customerId: string,
  n: number,
  giveUpAt = Date.now() + 120_000,
): Promise<Opened> {
  const tally = { busy: 0, slow: 0, failed: 0, unanswered: 0 };
  for (;;) {
    let response: Response;
    try {
      response = await fetch(`${api}/tickets`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': `${customerId}-${n}`,
        },
        body: JSON.stringify({
          customerId,
          priority: 'P1',
          title: `Night ticket ${n}`,
          description: 'Opened before the desk opens.',
          contact: OPENING_CONTACT,
        }),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      if (Date.now() > giveUpAt) throw error;
      tally.unanswered += 1;
      await sleepMs(1_000);
      continue;
    }
    const body = (await response.json()) as { ticketNumber?: string; type?: string; requestId?: string };
    if ((response.status === 201 || response.status === 200) && body.ticketNumber)
      return { ticketNumber: body.ticketNumber, ...tally };
    if (response.status === 500 && Date.now() <= giveUpAt) {
      process.stderr.write(`POST /v1/tickets answered 500 (request ${body.requestId}): sent again\n`);
      tally.failed += 1;
      await sleepMs(1_000);
      continue;
    }
    if (response.status !== 503 || Date.now() > giveUpAt)
      throw new Error(`POST /v1/tickets: ${response.status} ${JSON.stringify(body)}`);
    if (body.type?.endsWith('/busy')) tally.busy += 1;
    else tally.slow += 1;
    await sleepMs(retryAfterMs(response));
  }
}

export interface Lateness {
  /** One per notice that arrived (its first copy). */
  latenessMs: number[];
  /** Where Vigil's time went: threshold -> row queued in the outbox (timer, workflow task, activity), row -> accepted. */
  queuedMs?: number[];
  dispatchMs?: number[];
  expected: number;
  /** Vigil: tickets whose threshold fell at the run's shared instant (those opened after T have their own). */
  atShared?: number;
  lost: number;
  doubled: number;
}

export function figuresOf(latenessMs: number[]) {
  return latenessMs.length === 0
    ? { p50: NaN, p99: NaN, max: NaN }
    : { p50: percentile(latenessMs, 50), p99: percentile(latenessMs, 99), max: Math.max(...latenessMs) };
}

/** Vigil's notices of `customerId`'s tickets, matched to their outbox rows and their tickets' planned thresholds. */
export async function vigilLateness(
  db: Pool,
  customerId: string,
  mails: readonly Received[],
  { kind, percent, sharedAt }: { kind: 'threshold-warning' | 'breach'; percent: number; sharedAt: number },
): Promise<Lateness> {
  const { rows: tickets } = await db.query<{ number: string; snapshot: TicketState }>(
    'SELECT number, snapshot FROM tickets WHERE customer_id = $1',
    [customerId],
  );
  const thresholdAt = new Map<string, number>();
  for (const { number, snapshot } of tickets) {
    const at = snapshot.clocks
      .find((clock) => clock.metric === 'response')
      ?.thresholds.find((threshold) => threshold.percent === percent)?.at;
    if (at !== undefined) thresholdAt.set(number, at);
  }
  const { rows: outbox } = await db.query<{ id: string; ticket_number: string; created_at: Date }>(
    'SELECT o.id, o.ticket_number, o.created_at FROM outbox o JOIN tickets t ON t.number = o.ticket_number WHERE t.customer_id = $1 AND o.kind = $2',
    [customerId, kind],
  );
  const ticketOfRow = new Map(outbox.map((row) => [row.id, row.ticket_number]));
  const queuedAt = new Map(outbox.map((row) => [row.ticket_number, row.created_at.getTime()]));
  const copies = new Map<string, Received[]>();
  for (const mail of mails) {
    const ticket = ticketOfRow.get(mail.headers.get('x-vigil-outbox-id') ?? '');
    if (ticket) copies.set(ticket, [...(copies.get(ticket) ?? []), mail]);
  }
  const latenessMs: number[] = [];
  const queuedMs: number[] = [];
  const dispatchMs: number[] = [];
  let lost = 0;
  let doubled = 0;
  for (const { number } of tickets) {
    const arrived = copies.get(number) ?? [];
    if (arrived.length === 0) lost += 1;
    if (arrived.length > 1) doubled += arrived.length - 1;
    const at = thresholdAt.get(number);
    const queued = queuedAt.get(number);
    if (arrived[0] && at !== undefined) latenessMs.push(arrived[0].acceptedAt - at);
    if (arrived[0] && at !== undefined && queued !== undefined) {
      queuedMs.push(queued - at);
      dispatchMs.push(arrived[0].acceptedAt - queued);
    }
  }
  const atShared = [...thresholdAt.values()].filter((at) => at === sharedAt).length;
  return { latenessMs, queuedMs, dispatchMs, expected: tickets.length, atShared, lost, doubled };
}
