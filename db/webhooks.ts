import type { Pool, PoolClient } from 'pg';
import { toStorable, toStorableText } from '../domain/text';
import { announceQueued, nextDueInMsOf, type DispatchQueue } from './dispatch-queue';

export const WEBHOOK_EVENTS = ['breach', 'warning', 'status'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export interface WebhookEndpoint {
  id: number;
  /** Absent: the desk's own endpoint, told of every customer's tickets. */
  customerId?: string;
  url: string;
  events: WebhookEvent[];
  createdAt: Date;
  disabledAt?: Date;
}

export interface NewWebhookEndpoint {
  customerId?: string;
  url: string;
  secret: string;
  events: WebhookEvent[];
}

export interface WebhookDelivery {
  id: number;
  endpointId: number;
  url: string;
  event: WebhookEvent;
  ticketNumber?: string;
  body: string;
  createdAt: Date;
  attempts: number;
  nextAttemptAt: Date;
  deliveredAt?: Date;
  failedAt?: Date;
  lastStatus?: number;
  lastError?: string;
}

/** A due delivery as the dispatcher claims it: with the endpoint's secret, which signs it. */
export interface DueDelivery extends WebhookDelivery {
  secret: string;
}

export const deliveryStateOf = (row: Pick<WebhookDelivery, 'deliveredAt' | 'failedAt'>): DeliveryState =>
  row.deliveredAt ? 'delivered' : row.failedAt ? 'failed' : 'pending';

/** One event for every endpoint that wants it: the customer's own, and the desk's. */
export interface QueuedWebhookEvent {
  /** Names the event; the endpoint's id is added, so that each endpoint gets it once whatever the retries. */
  idempotencyKey: string;
  event: WebhookEvent;
  customerId: string;
  ticketNumber?: string;
  body: string;
}

/** The channel on which new deliveries are announced, at the COMMIT that makes them visible (mail/webhooks/dispatcher.ts). */
export const WEBHOOK_CHANNEL = 'vigil_webhooks';

/**
 * Queues events in the caller's transaction, beside the mail notices of the same change (activities/ticket-notices.ts),
 * in one statement whatever their number: a ticket's every read-model write offers its whole history again. Deliveries
 * inserted are announced on WEBHOOK_CHANNEL by the same statement; events already queued (a retry) announce nothing.
 */
export async function enqueueWebhookEvents(client: Pool | PoolClient, queued: QueuedWebhookEvent[]): Promise<void> {
  if (queued.length === 0) return;
  const column = <K extends keyof QueuedWebhookEvent>(key: K) => queued.map((item) => toStorable(item[key] ?? null));
  await client.query(
    `WITH queued AS (
       INSERT INTO webhook_deliveries (idempotency_key, endpoint_id, event, ticket_number, body)
       SELECT q.key || ':' || e.id, e.id, q.event, q.ticket_number, q.body
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS q (key, event, customer_id, ticket_number, body)
       JOIN webhook_endpoints e ON e.disabled_at IS NULL AND (e.customer_id IS NULL OR e.customer_id = q.customer_id) AND q.event = ANY (e.events)
       ORDER BY q.key, e.id
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id
     )
     ${announceQueued(WEBHOOK_CHANNEL)}`,
    [column('idempotencyKey'), column('event'), column('customerId'), column('ticketNumber'), column('body')],
  );
}

interface DeliveryRecord {
  id: string;
  endpoint_id: string;
  url: string;
  secret: string;
  event: WebhookEvent;
  ticket_number: string | null;
  body: string;
  created_at: Date;
  attempts: number;
  next_attempt_at: Date;
  delivered_at: Date | null;
  failed_at: Date | null;
  last_status: number | null;
  last_error: string | null;
}

const deliveryOf = (row: DeliveryRecord): WebhookDelivery => ({
  id: Number(row.id),
  endpointId: Number(row.endpoint_id),
  url: row.url,
  event: row.event,
  ...(row.ticket_number ? { ticketNumber: row.ticket_number } : {}),
  body: row.body,
  createdAt: row.created_at,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  ...(row.delivered_at ? { deliveredAt: row.delivered_at } : {}),
  ...(row.failed_at ? { failedAt: row.failed_at } : {}),
  ...(row.last_status !== null ? { lastStatus: row.last_status } : {}),
  ...(row.last_error ? { lastError: row.last_error } : {}),
});

/** The oldest due delivery, locked for this transaction (SKIP LOCKED: every worker's dispatcher shares the table). */
export async function claimDueDelivery(client: PoolClient): Promise<DueDelivery | undefined> {
  const { rows } = await client.query<DeliveryRecord>(
    `SELECT d.*, e.url, e.secret FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
     WHERE d.delivered_at IS NULL AND d.failed_at IS NULL AND d.next_attempt_at <= now()
     ORDER BY d.next_attempt_at, d.id LIMIT 1 FOR UPDATE OF d SKIP LOCKED`,
  );
  const row = rows[0];
  return row && { ...deliveryOf(row), secret: row.secret };
}

/** The deliveries as mail/webhooks/dispatcher.ts's lanes work them. */
export const WEBHOOK_QUEUE: DispatchQueue<DueDelivery> = {
  channel: WEBHOOK_CHANNEL,
  claimDue: claimDueDelivery,
  nextDueInMs: nextDueInMsOf('webhook_deliveries', 'delivered_at IS NULL AND failed_at IS NULL'),
};

export async function markDelivered(client: PoolClient, id: number, status: number): Promise<void> {
  await client.query(
    'UPDATE webhook_deliveries SET delivered_at = now(), attempts = attempts + 1, last_status = $2, last_error = NULL WHERE id = $1',
    [id, status],
  );
}

/** One more failed attempt: tried again after `retryInMs`, or, without it, failed for good. */
export async function markDeliveryFailed(
  client: PoolClient,
  id: number,
  outcome: { status?: number; error: string },
  retryInMs: number | undefined,
): Promise<void> {
  await client.query(
    `UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = $2, last_error = $3,
       next_attempt_at = CASE WHEN $4::bigint IS NULL THEN next_attempt_at ELSE now() + make_interval(secs => $4::bigint / 1000.0) END,
       failed_at = CASE WHEN $4::bigint IS NULL THEN now() ELSE NULL END
     WHERE id = $1`,
    [id, outcome.status ?? null, toStorableText(outcome.error).slice(0, 2_000), retryInMs ?? null],
  );
}

const DELIVERY_WHERE: Record<DeliveryState, string> = {
  pending: 'd.delivered_at IS NULL AND d.failed_at IS NULL',
  delivered: 'd.delivered_at IS NOT NULL',
  failed: 'd.failed_at IS NOT NULL',
};

interface EndpointRecord {
  id: string;
  customer_id: string | null;
  url: string;
  events: WebhookEvent[];
  created_at: Date;
  disabled_at: Date | null;
}

const endpointOf = (row: EndpointRecord): WebhookEndpoint => ({
  id: Number(row.id),
  ...(row.customer_id ? { customerId: row.customer_id } : {}),
  url: row.url,
  events: row.events,
  createdAt: row.created_at,
  ...(row.disabled_at ? { disabledAt: row.disabled_at } : {}),
});

/** The admin API's reads and writes (api/routes/webhooks.ts). */
export interface WebhookStore {
  register(endpoint: NewWebhookEndpoint): Promise<WebhookEndpoint>;
  endpoints(): Promise<WebhookEndpoint[]>;
  /** Stops new deliveries to it; undefined for an unknown id. */
  disable(id: number): Promise<WebhookEndpoint | undefined>;
  deliveries(filter: { state?: DeliveryState; endpointId?: number; limit: number }): Promise<WebhookDelivery[]>;
}

export function pgWebhookStore(db: Pool): WebhookStore {
  const ENDPOINT = 'id, customer_id, url, events, created_at, disabled_at';
  return {
    async register({ customerId, url, secret, events }) {
      const { rows } = await db.query<EndpointRecord>(
        `INSERT INTO webhook_endpoints (customer_id, url, secret, events) VALUES ($1, $2, $3, $4) RETURNING ${ENDPOINT}`,
        [customerId ?? null, url, secret, [...new Set(events)]],
      );
      return endpointOf(rows[0]!);
    },
    async endpoints() {
      const { rows } = await db.query<EndpointRecord>(`SELECT ${ENDPOINT} FROM webhook_endpoints ORDER BY id`);
      return rows.map(endpointOf);
    },
    async disable(id) {
      const { rows } = await db.query<EndpointRecord>(
        `UPDATE webhook_endpoints SET disabled_at = coalesce(disabled_at, now()) WHERE id = $1 RETURNING ${ENDPOINT}`,
        [id],
      );
      return rows[0] && endpointOf(rows[0]);
    },
    async deliveries({ state, endpointId, limit }) {
      const where = [
        state ? DELIVERY_WHERE[state] : 'true',
        endpointId === undefined ? 'true' : 'd.endpoint_id = $2',
      ].join(' AND ');
      const { rows } = await db.query<DeliveryRecord>(
        `SELECT d.*, e.url, '' AS secret FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE ${where} ORDER BY d.id DESC LIMIT $1`,
        endpointId === undefined ? [limit] : [limit, endpointId],
      );
      return rows.map(deliveryOf);
    },
  };
}
