import { execFileSync } from 'node:child_process';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createActivities } from '../../activities/ticket-activities';
import { acknowledgeTicket } from '../support/e2e/registration';
import { createPool } from '../../db/pool';
import { enqueueWebhookEvents, WEBHOOK_CHANNEL } from '../../db/webhooks';
import { laneConnections } from '../../mail/lanes';
import { startWebhookDispatcher, type WebhookDispatcher } from '../../mail/webhooks/dispatcher';
import { customerWithContact, serverDown } from '../support/e2e/mail';
import { e2eEnv, eventually, startStack, ticketForActivities, type Stack } from '../support/e2e/stack';

jest.setTimeout(90_000);

interface Received {
  event: string;
  signature: string;
  verified: boolean;
  body: Record<string, any>;
}

/**
 * The receiving end as a customer would write it, independent of Vigil's code: recompute the HMAC-SHA256 of
 * "t.body" with the shared secret, compare in constant time, and refuse a timestamp more than five minutes away.
 */
function verify(secret: string, header: string, rawBody: string, nowSeconds: number): boolean {
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=') as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > 300 || !parts.v1) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A certificate for localhost made for this run (openssl), which the dispatcher is told to trust as a desk's own CA would be. */
function selfSignedCertificate(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-webhook-tls-'));
  try {
    const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    return { key: fs.readFileSync(key, 'utf8'), cert: fs.readFileSync(cert, 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Webhooks: warning, breach and status events POSTed to a real HTTPS server on loopback (its certificate made
// at test time), which verifies each signature on its own and fails the first call.
describe('webhooks', () => {
  let stack: Stack;
  let dispatcher: WebhookDispatcher;
  let receiver: https.Server;
  let receiverUrl: string;
  let ca: string;
  const received: Received[] = [];
  const SECRET = `whsec_${randomUUID()}`;
  let refuseNext = true;

  beforeAll(async () => {
    stack = await startStack('webhooks');
    const tls = selfSignedCertificate();
    ca = tls.cert;
    receiver = https.createServer(tls, (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const signature = String(request.headers['vigil-signature'] ?? '');
        received.push({
          event: String(request.headers['vigil-event']),
          signature,
          verified: verify(SECRET, signature, raw, Math.floor(Date.now() / 1000)),
          body: JSON.parse(raw) as Record<string, any>,
        });
        // The receiver is down for its first call: the delivery is tried again.
        response.statusCode = refuseNext ? 503 : 204;
        refuseNext = false;
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `https://localhost:${(receiver.address() as AddressInfo).port}/hooks/vigil`;
    // Fast retries: the test waits on events, not on a production backoff.
    dispatcher = startWebhookDispatcher({
      db: stack.db,
      ca,
      idlePollMs: 50,
      backoff: { firstDelayMs: 100, maxDelayMs: 400, maxAttempts: 1_000 },
    });
  });

  afterAll(async () => {
    await dispatcher?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
    await stack?.stop();
  });

  it('only HTTPS endpoints are registered, but for this machine', async () => {
    const local = await stack.call(
      'POST',
      '/admin/webhooks',
      {
        url: 'http://127.0.0.1:9/never-called',
        secret: SECRET,
        customerId: (await customerWithContact(stack.accounts)).customerId,
      },
      'admin',
    );
    expect(local.status).toBe(201);
    const refused = await stack.call(
      'POST',
      '/admin/webhooks',
      { url: 'http://hooks.acme.lu/vigil', secret: SECRET },
      'admin',
    );
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain('body.url');
    expect(
      (await stack.call('POST', '/admin/webhooks', { url: 'https://hooks.acme.lu/vigil', secret: 'short' }, 'admin'))
        .status,
    ).toBe(422);
    expect((await stack.call('POST', '/admin/webhooks', { url: receiverUrl, secret: SECRET }, 'agent')).status).toBe(
      403,
    );
  });

  it("a customer's breach, warning and status events arrive signed; a refused call is tried again and recorded", async () => {
    const { customerId } = await customerWithContact(stack.accounts);
    const registered = await stack.call(
      'POST',
      '/admin/webhooks',
      { url: receiverUrl, secret: SECRET, customerId },
      'admin',
    );
    expect(registered.status).toBe(201);
    expect(registered.body).not.toHaveProperty('secret');
    const endpointId = registered.body.id as number;

    const { ticket, env } = await serverDown(stack.db, customerId, 'ana@acme.lu');
    const { notifyThreshold, recordTicketState } = createActivities({ db: stack.db });
    await env.run(acknowledgeTicket(stack.db), ticket);
    const threshold = {
      ticketNumber: ticket.ticketNumber,
      title: ticket.title,
      customerId,
      priority: 'P1',
      metric: 'response',
      deadline: Date.parse('2026-12-01T10:30:00Z'),
      notify: ['desk'],
    };
    await env.run(notifyThreshold, { ...threshold, percent: 75, key: 'response:75:g0' });
    await env.run(notifyThreshold, { ...threshold, percent: 100, key: 'response:100:g0' });
    // The activity retried: nothing is queued twice.
    await env.run(notifyThreshold, { ...threshold, percent: 100, key: 'response:100:g0' });
    const takenInCharge = {
      ...ticket,
      status: 'support' as const,
      events: [...ticket.events, { at: Date.now(), type: 'taken-in-charge' as const, by: 'marc' }],
      revision: ticket.revision + 1,
    };
    await env.run(recordTicketState, takenInCharge);

    const types = (deliveries: Received[]) =>
      deliveries.map(
        (delivery) => `${delivery.event}:${delivery.body.change?.type ?? delivery.body.threshold.percent}`,
      );
    // Every step of the history is a status event: its opening, then its taking in charge.
    const expected = ['status:opened', 'warning:75', 'breach:100', 'status:taken-in-charge'];
    await eventually(
      async () =>
        received.filter((delivery) => delivery.body.ticket?.number === ticket.ticketNumber && delivery.verified),
      (deliveries) => expected.every((type) => types(deliveries).includes(type)),
    );
    const ours = received.filter((delivery) => delivery.body.ticket?.number === ticket.ticketNumber);
    expect(ours.every((delivery) => delivery.verified)).toBe(true);
    expect(ours.every((delivery) => /^t=\d+,v1=[0-9a-f]{64}$/.test(delivery.signature))).toBe(true);
    const breach = ours.find((delivery) => delivery.event === 'breach')!;
    expect(breach.body).toMatchObject({
      type: 'breach',
      ticket: { number: ticket.ticketNumber, customerId, title: 'Serveur arrêté' },
      threshold: { metric: 'response', percent: 100, deadline: '2026-12-01T10:30:00.000Z' },
    });

    // A signature made with another secret, or for another body, does not verify: the receiver's check is real.
    expect(
      verify(
        'another secret of some length',
        breach.signature,
        JSON.stringify(breach.body),
        Math.floor(Date.now() / 1000),
      ),
    ).toBe(false);

    const deliveries = await eventually(
      async () =>
        (await stack.call('GET', `/admin/webhooks/deliveries?endpoint=${endpointId}`, undefined, 'admin')).body
          .deliveries as { event: string; state: string; attempts: number; lastStatus?: number }[],
      (rows) => rows.length >= 4 && rows.every((row) => row.state === 'delivered'),
    );
    expect(deliveries.map((row) => row.event).sort()).toEqual(['breach', 'status', 'status', 'warning']);
    // The first call met the receiver's 503 and went again; each event was delivered once.
    expect(deliveries.reduce((sum, row) => sum + row.attempts, 0)).toBe(5);
    expect(deliveries.every((row) => row.lastStatus === 204)).toBe(true);
    // Read again now that every delivery is recorded delivered: the refused call's second attempt has arrived.
    const all = received.filter((delivery) => delivery.body.ticket?.number === ticket.ticketNumber);
    expect(all).toHaveLength(5);
    expect(new Set(types(all))).toEqual(new Set(expected));

    // Another customer's events never reach this endpoint.
    const other = await ticketForActivities(
      stack.db,
      {
        customerId: stack.customerId,
        policyId: 'econnect',
        kind: 'incident',
        priority: 'P3',
        title: 'Autre',
        description: '…',
        contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
      },
      Date.now(),
    );
    await other.env.run(acknowledgeTicket(stack.db), other.ticket);
    await other.env.run(notifyThreshold, {
      ...threshold,
      ticketNumber: other.ticket.ticketNumber,
      customerId: stack.customerId,
      percent: 100,
      key: 'response:100:g0',
    });
    const queued = await stack.db.query('SELECT count(*)::int AS n FROM webhook_deliveries WHERE ticket_number = $1', [
      other.ticket.ticketNumber,
    ]);
    expect(queued.rows[0].n).toBe(0);
  });

  it('a delivery queued wakes the dispatcher, a retry goes when due, and a cut listening connection is made again', async () => {
    // Alone on the table: the dispatcher above, polling every 50 ms, would deliver any row without a notification.
    await dispatcher.stop();
    const { customerId } = await customerWithContact(stack.accounts);
    const endpoint = { url: receiverUrl, secret: SECRET, customerId };
    expect((await stack.call('POST', '/admin/webhooks', endpoint, 'admin')).status).toBe(201);
    // A pool of its own, as the worker gives it, named so that its listening backend is found in pg_stat_activity.
    const applicationName = `vigil-webhooks-${randomUUID().slice(0, 8)}`;
    const pool = createPool(
      { connectionString: e2eEnv().databaseUrl, application_name: applicationName, max: laneConnections(2) },
      () => undefined,
    );
    // A safety-net poll that never comes within the test: a row goes out on a notification, or when its retry is due
    // (5 s after a failed attempt, so that the test reads it waiting even on a busy machine).
    dispatcher = startWebhookDispatcher({
      db: pool,
      ca,
      lanes: 2,
      idlePollMs: 3_600_000,
      backoff: { firstDelayMs: 5_000, maxDelayMs: 5_000, maxAttempts: 25 },
    });
    try {
      const listening = async () =>
        (
          await stack.db.query<{ pid: number }>(
            "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query = $2 AND state = 'idle'",
            [applicationName, `LISTEN "${WEBHOOK_CHANNEL}"`],
          )
        ).rows.map((row) => row.pid);
      const [first] = await eventually(listening, (pids) => pids.length === 1);
      expect(first).toBeDefined();
      // No other row pending, whose due time could wake a lane and have it find ours.
      const pending = await stack.db.query(
        'SELECT count(*)::int AS n FROM webhook_deliveries WHERE delivered_at IS NULL AND failed_at IS NULL',
      );
      expect(pending.rows[0].n).toBe(0);

      const queue = async (): Promise<string> => {
        const ticketNumber = `WAKE-${randomUUID().slice(0, 8)}`;
        await enqueueWebhookEvents(stack.db, [
          {
            idempotencyKey: `wake:${ticketNumber}`,
            event: 'status',
            customerId,
            ticketNumber,
            body: JSON.stringify({ id: `wake:${ticketNumber}`, type: 'status', ticket: { number: ticketNumber } }),
          },
        ]);
        return ticketNumber;
      };
      const calls = (ticketNumber: string, count: number) =>
        eventually(
          async () => received.filter((delivery) => delivery.body.ticket?.number === ticketNumber),
          (deliveries) => deliveries.length >= count,
        );
      const delivered = (ticketNumber: string) =>
        eventually(
          async () =>
            (
              await stack.db.query('SELECT attempts, delivered_at FROM webhook_deliveries WHERE ticket_number = $1', [
                ticketNumber,
              ])
            ).rows,
          (rows) => rows.every((row) => row.delivered_at !== null),
        );

      // The endpoint refuses the first call: the second is made when its retry is due, not at the poll an hour away.
      refuseNext = true;
      const retried = await queue();
      const waiting = await eventually(
        async () =>
          (
            await stack.db.query<{ attempts: number; due: boolean }>(
              'SELECT attempts, next_attempt_at <= now() AS due FROM webhook_deliveries WHERE ticket_number = $1',
              [retried],
            )
          ).rows,
        (rows) => (rows[0]?.attempts ?? 0) >= 1,
      );
      // Read after the failed attempt's COMMIT and still not due: no lane could have found it due on its next look.
      expect(waiting).toEqual([{ attempts: 1, due: false }]);
      expect((await calls(retried, 2)).map((delivery) => delivery.verified)).toEqual([true, true]);
      expect(await delivered(retried)).toEqual([{ attempts: 2, delivered_at: expect.any(Date) }]);

      // PostgreSQL ends the listening backend, as a restart of the server does: the dispatcher LISTENs again on a new
      // connection, and the next delivery queued after that goes out on its notification.
      await stack.db.query('SELECT pg_terminate_backend($1)', [first]);
      const [second] = await eventually(listening, (pids) => pids.length === 1 && pids[0] !== first);
      expect(second).toEqual(expect.any(Number));
      expect(second).not.toBe(first);
      const afterCut = await queue();
      expect((await calls(afterCut, 1)).map((delivery) => delivery.verified)).toEqual([true]);
      expect(await delivered(afterCut)).toEqual([{ attempts: 1, delivered_at: expect.any(Date) }]);
    } finally {
      await dispatcher.stop();
      await pool.end();
    }
  });
});
