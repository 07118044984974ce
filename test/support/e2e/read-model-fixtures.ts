import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { createActivities } from '../../../activities/ticket-activities';
import { buildApp } from '../../../api/app';
import type { Role } from '../../../messages/principal';
import { ticketWorkflowId, type TicketState } from '../../../messages/ticket';
import { SESSION_COOKIE } from '../../../api/sessions';
import { pgAccountStore } from '../../../db/accounts';
import { pgFormDraftStore } from '../../../db/form-drafts';
import { pgIdempotencyStore } from '../../../db/idempotency';
import { pgInboundStore } from '../../../db/inbound';
import { pgOutboxStore } from '../../../db/outbox';
import { prepaidLedger } from '../../../db/prepaid';
import { pgSessionStore } from '../../../db/sessions';
import { pgSignInTokenStore } from '../../../db/sign-in-tokens';
import { slaReportReader } from '../../../db/sla-report';
import { ticketNumberAllocator } from '../../../db/ticket-numbers';
import { ticketQueries } from '../../../db/ticket-queries';
import { pgTicketSnapshots } from '../../../db/ticket-snapshots';
import { pgUserStore } from '../../../db/users';
import { pgWebhookStore } from '../../../db/webhooks';
import { newClock } from '../../../domain/sla/clock';
import { migratedPool } from './stack';

/**
 * The read-model side of the API on the real PostgreSQL: rows are written by the real recordTicketState activity
 * code, and the app authenticates real API keys and the console's sessions. Temporal is not needed to read the read
 * model.
 */
export interface ReadModelHarness {
  db: Pool;
  /** The API's origin on its real socket (the console is under /console). */
  origin: string;
  /** GET on the API's real socket, with the bearer token when given. */
  get(path: string, token?: string): Promise<{ status: number; contentType: string | null; body: any }>;
  /** A new customer (unique per run: suites share the database) and a key of its own. */
  customer(name: string): Promise<{ id: string; token: string }>;
  staffToken(role: Exclude<Role, 'customer'>): Promise<string>;
  /** A contact of the customer, signed in to the console: the cookie its browser would send. */
  contactSession(customerId: string, name?: string): Promise<string>;
  /** A console page as the browser holding `cookie` gets it, redirects not followed. */
  page(path: string, cookie: string): Promise<{ status: number; text: string }>;
  /** A ticket state as the workflow would hold it, numbered from the real sequence. */
  ticket(customerId: string, fields?: Partial<TicketState>): Promise<TicketState>;
  record(ticket: TicketState): Promise<void>;
  close(): Promise<void>;
}

export async function readModelHarness(now?: () => number): Promise<ReadModelHarness> {
  const db = await migratedPool();
  const accounts = pgAccountStore(db);
  const users = pgUserStore(db);
  const sessions = pgSessionStore(db);
  const app = buildApp({
    // The list and the report never reach Temporal: a call to it would fail the test loudly.
    temporal: {} as Client,
    allocateTicketNumber: ticketNumberAllocator(db),
    accounts,
    idempotency: pgIdempotencyStore(db),
    snapshots: pgTicketSnapshots(db),
    ticketQueries: ticketQueries(db),
    slaReport: slaReportReader(db),
    // The admin lists and the ticket's mail read PostgreSQL only, as the lists do.
    inbound: pgInboundStore(db),
    outbox: pgOutboxStore(db),
    webhooks: pgWebhookStore(db),
    prepaid: prepaidLedger(db),
    // No mail leaves: the pages read here send none.
    people: {
      users,
      sessions,
      signInTokens: pgSignInTokenStore(db),
      notices: async () => undefined,
      drafts: pgFormDraftStore(db),
    },
    now,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const { recordTicketState } = createActivities({ db });
  return {
    db,
    origin: baseUrl,
    async get(path, token) {
      const response = await fetch(`${baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      return {
        status: response.status,
        contentType: response.headers.get('content-type'),
        body: await response.json(),
      };
    },
    async customer(name) {
      const id = `${name}-${randomUUID().slice(0, 8)}`;
      await accounts.createCustomer({ id, name });
      const { token } = await accounts.createApiKey({ role: 'customer', customerId: id, label: `${name} portal` });
      return { id, token };
    },
    async contactSession(customerId, name) {
      const unique = randomUUID().slice(0, 8);
      const user = await users.create({
        email: `contact.${unique}@${customerId}.test`,
        name: name ?? `Contact ${unique}`,
        role: 'customer',
        customerId,
      });
      const { id } = await sessions.create(user.id, now?.() ?? Date.now());
      return `${SESSION_COOKIE}=${id}`;
    },
    async page(path, cookie) {
      const response = await fetch(`${baseUrl}${path}`, { headers: { cookie }, redirect: 'manual' });
      return { status: response.status, text: await response.text() };
    },
    async staffToken(role) {
      return (await accounts.createApiKey({ role, label: `${role} ${randomUUID().slice(0, 8)}` })).token;
    },
    async ticket(customerId, fields = {}) {
      return {
        ticketNumber: await ticketNumberAllocator(db)(),
        customerId,
        policyId: 'econnect',
        policyVersion: 1,
        kind: 'incident',
        priority: 'P3',
        title: 'Printer down',
        description: 'The office printer prints blank pages.',
        contact: { name: 'Ana Lopes', email: 'ana@example.lu' },
        status: 'acknowledgement',
        revision: 2,
        openedAt: Date.parse('2026-03-02T09:00:00+01:00'),
        priorityConfirmed: false,
        clocks: [newClock('response'), newClock('intervention'), newClock('resolution')],
        slaBreached: false,
        thresholdGeneration: 1,
        notifiedThresholds: [],
        timeEntries: [],
        events: [],
        ...fields,
      };
    },
    async record(ticket) {
      const env = new MockActivityEnvironment({
        workflowExecution: { workflowId: ticketWorkflowId(ticket.ticketNumber), runId: 'run-1' },
      });
      await env.run(recordTicketState, ticket);
    },
    async close() {
      await app.close();
      await db.end();
    },
  };
}
