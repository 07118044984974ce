import type { Pool, PoolClient } from 'pg';
import { markDelivered, markDeliveryFailed, WEBHOOK_QUEUE, type DueDelivery } from '../../db/webhooks';
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from '../backoff';
import { runLanes } from '../lanes';
import { postOnce } from './post';
import { signatureHeader } from './signature';

export interface WebhookDispatcherOptions {
  /** A pool of its own, of laneConnections(lanes): one of them LISTENs for as long as the dispatcher runs. */
  db: Pool;
  lanes?: number;
  /** The safety net's poll (SAFETY_NET_POLL_MS): a delivery queued wakes a lane at once, a retry when it is due. */
  idlePollMs?: number;
  /** The outbox's (mail/backoff.ts): one definition of how deliveries are retried. */
  backoff?: BackoffPolicy;
  /** How long an endpoint may take to answer; past it the attempt failed and is retried. */
  timeoutMs?: number;
  /** PEM certificates to trust besides the system's (WEBHOOK_CA_FILE). */
  ca?: string;
  now?: () => number;
  log?: (line: Record<string, unknown>) => void;
}

export interface WebhookDispatcher {
  stop(): Promise<void>;
}

/** How many deliveries a dispatcher makes at once unless told otherwise. */
export const DEFAULT_WEBHOOK_LANES = 2;

/**
 * Delivers the webhooks table as mail/dispatcher.ts delivers the outbox (mail/lanes.ts): one due row claimed per
 * lane, POSTed with its signature, the outcome written in the same transaction. A 2xx answer delivers it; 410 Gone
 * fails it for good (the receiver says the endpoint is no more); anything else, a timeout or a refused connection is
 * tried again with the outbox's backoff until its attempts run out, then failed and listed for an admin. Like the
 * outbox, a crash between the receiver's 2xx and the COMMIT sends the call again: receivers dedupe on `id`.
 *
 * Idle, it does not poll: a delivery queued NOTIFYs WEBHOOK_CHANNEL at its COMMIT (db/webhooks.ts), which wakes the
 * lanes, and a lane that finds nothing due sleeps until the next retry is due, or SAFETY_NET_POLL_MS at most.
 */
export function startWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const {
    db,
    lanes = DEFAULT_WEBHOOK_LANES,
    idlePollMs,
    backoff = DEFAULT_BACKOFF,
    timeoutMs = 10_000,
    ca,
    now = Date.now,
    log = () => undefined,
  } = options;

  async function send(client: PoolClient, delivery: DueDelivery): Promise<void> {
    let status: number | undefined;
    let error: string;
    try {
      status = await postOnce(delivery.url, {
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Vigil-Webhooks/1',
          'vigil-event': delivery.event,
          'vigil-delivery': String(delivery.id),
          'vigil-signature': signatureHeader(delivery.secret, delivery.body, Math.floor(now() / 1000)),
        },
        body: delivery.body,
        timeoutMs,
        ...(ca ? { ca } : {}),
      });
      if (status >= 200 && status < 300) {
        await markDelivered(client, delivery.id, status);
        return;
      }
      error = `the endpoint answered ${status}`;
    } catch (failure) {
      error =
        failure instanceof Error
          ? `${failure.message}${failure.cause instanceof Error ? `: ${failure.cause.message}` : ''}`
          : String(failure);
    }
    const retryInMs = status === 410 ? undefined : retryDelayMs(delivery.attempts + 1, backoff);
    await markDeliveryFailed(client, delivery.id, { status, error }, retryInMs);
    log({
      msg: retryInMs === undefined ? 'webhook failed for good' : 'webhook will be tried again',
      id: delivery.id,
      attempts: delivery.attempts + 1,
      retryInMs,
      error,
    });
  }

  const running = runLanes({
    db,
    lanes,
    idlePollMs,
    queue: WEBHOOK_QUEUE,
    deliver: send,
    onError: (error) =>
      log({ msg: 'webhook dispatch failed', error: error instanceof Error ? error.message : String(error) }),
  });
  return { stop: () => running.stop() };
}
