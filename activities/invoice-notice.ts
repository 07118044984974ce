import type { PoolClient } from 'pg';
import { enqueueNotice } from '../db/outbox';
import type { InvoiceDocument } from '../domain/invoicing/document';
import type { InvoiceReadyNotice } from '../mail/notices';
import { renderNotice } from '../mail/render';
import { publicUrl, readerOf } from './ticket-notices';

/** Who is told that an invoice is ready, and by which name the mail greets them. */
interface InvoiceAddressee {
  email: string;
  name: string;
}

/**
 * Where the invoice is announced: the invoicing e-mail of the customer's billing identity (the buyer the document
 * names, `billing.email`, set by admin API or CLI); for a customer without one yet, the first authorized contact of
 * its latest contract in force during the period, the person who deals with the desk and would pass it on. One
 * address, never the whole list: an invoice is sent once, to one inbox.
 */
async function addresseeOf(client: PoolClient, document: InvoiceDocument): Promise<InvoiceAddressee | undefined> {
  if (document.buyer.email) return { email: document.buyer.email, name: document.buyer.legalName };
  const { rows } = await client.query<{ email: string; name: string }>(
    `SELECT contact->>'email' AS email, contact->>'name' AS name
     FROM contracts, jsonb_array_elements(authorized_contacts) WITH ORDINALITY AS listed(contact, position)
     WHERE customer_id = $1 AND starts_on <= $3::date AND (ends_on IS NULL OR ends_on >= $2::date)
     ORDER BY starts_on DESC, id DESC, position LIMIT 1`,
    [document.buyer.customerId, document.periodStart, document.periodEnd],
  );
  return rows[0];
}

/**
 * Queues the "invoice ready" mail in the transaction that issues the invoice (activities/invoicing.ts), so it leaves
 * if and only if the invoice exists: a rolled-back attempt queues nothing, and the key, the invoice's number, makes
 * one row however often the activity runs. Written in the customer's language with amounts in its locale's format;
 * it links to the invoice's /html and /pdf at VIGIL_PUBLIC_URL. With nobody to send it to, the row is queued failed
 * with the reason, so an admin sees it in the failed list (GET /v1/admin/outbox?state=failed) rather than never.
 */
export async function queueInvoiceReady(client: PoolClient, document: InvoiceDocument): Promise<void> {
  const { number, buyer, totals } = document;
  const addressee = await addresseeOf(client, document);
  const invoiceUrl = `${publicUrl()}/v1/invoices/${encodeURIComponent(number)}`;
  const notice: InvoiceReadyNotice = {
    kind: 'invoice-ready',
    invoiceNumber: number,
    contactName: addressee?.name ?? buyer.legalName,
    issueDate: document.issueDate,
    dueDate: document.dueDate,
    periodStart: document.periodStart,
    periodEnd: document.periodEnd,
    netCents: totals.netCents,
    grossCents: totals.grossCents,
    currency: document.currency,
    paymentReference: document.paymentReference,
    htmlUrl: `${invoiceUrl}/html`,
    pdfUrl: `${invoiceUrl}/pdf`,
  };
  const { subject, body } = renderNotice(notice, await readerOf(client, buyer.customerId));
  await enqueueNotice(client, {
    idempotencyKey: `invoice-ready:${number}`,
    kind: notice.kind,
    recipient: addressee?.email ?? `customer ${buyer.customerId}`,
    subject,
    body,
    ...(addressee
      ? {}
      : {
          failedBecause: `nobody to send invoice ${number} to: customer ${buyer.customerId} has no invoicing e-mail (billing.email) and no authorized contact on a contract of the period`,
        }),
  });
}
