import type { Pool } from 'pg';
import { pgAccountStore } from './accounts';
import { pgIdempotencyStore } from './idempotency';
import { invoiceReader } from './invoices';
import { publishPolicyVersion } from './policy-publishing';
import { pgPolicyCatalog } from './policy-versions';
import { pgInboundStore } from './inbound';
import { pgWebhookStore } from './webhooks';
import { enqueueNotice, pgOutboxStore, type QueuedNotice } from './outbox';
import { prepaidLedger } from './prepaid';
import { slaReportReader } from './sla-report';
import { ticketNumberAllocator } from './ticket-numbers';
import { ticketQueries } from './ticket-queries';
import { pgTicketSnapshots } from './ticket-snapshots';
import { pgWorkflowTaskFailures } from './workflow-task-failures';
import { pgFormDraftStore } from './form-drafts';
import { pgSessionStore } from './sessions';
import { pgSignInTokenStore } from './sign-in-tokens';
import { pgUserStore } from './users';
import { joinable, oneTransactionOn } from './transaction';

/**
 * Everything the API reads from or writes to PostgreSQL, on one pool: the server and the end-to-end stack alike. The
 * stores hold it joinable (db/transaction.ts), so that an admin creation and the answer its Idempotency-Key records
 * are one transaction (IdempotencyStore.exclusively), whichever stores the creation writes through.
 */
export function apiStores(pool: Pool) {
  const db = joinable(pool);
  return {
    /** Work of several stores as one transaction (a contract and its contacts' accounts: db/contact-accounts.ts). */
    transaction: oneTransactionOn(pool),
    allocateTicketNumber: ticketNumberAllocator(db),
    accounts: pgAccountStore(db),
    policies: pgPolicyCatalog(db),
    policyVersions: {
      ...pgPolicyCatalog(db),
      publish: (document: unknown, publishedBy: string) => publishPolicyVersion(db, document, publishedBy),
    },
    idempotency: pgIdempotencyStore(db),
    snapshots: pgTicketSnapshots(db),
    invoices: invoiceReader(db),
    prepaid: prepaidLedger(db),
    ticketQueries: ticketQueries(db),
    slaReport: slaReportReader(db),
    workflowTaskFailures: pgWorkflowTaskFailures(db),
    outbox: pgOutboxStore(db),
    inbound: pgInboundStore(db),
    webhooks: pgWebhookStore(db),
    people: {
      users: pgUserStore(db),
      sessions: pgSessionStore(db),
      signInTokens: pgSignInTokenStore(db),
      notices: (notice: QueuedNotice) => enqueueNotice(db, notice),
      drafts: pgFormDraftStore(db),
    },
  };
}
