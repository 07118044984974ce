/**
 * The mails, counted where they arrived: every outbox row of the run's customer's tickets (acknowledgements, the
 * contact's notices of each step, warnings and breaches) against the run's SMTP server (bench/notices/receiver.ts),
 * after the worker killed, PostgreSQL and Temporal restarted by the scenarios. A row never sent, failed, or sent without
 * reaching the server is lost; a row that arrived under two Message-IDs is doubled. A row that arrived twice under its
 * one Message-ID is what mail/dispatcher.ts allows (at least once, recognisable): counted apart, in the notes.
 */
import type { Pool } from 'pg';
import type { Receiver } from '../notices/receiver';
import { sleep } from './client';
import { FINAL } from './check-actions';
import type { Ledger } from './ledger';
import type { Verdicts } from './verdicts';

export const NOTICES = 'notices (every mail of the run)';

interface Row {
  id: string;
  ticket_number: string;
  kind: string;
  sent: boolean;
  failed: boolean;
}

export async function checkNotices({
  ledger,
  db,
  verdicts,
  customerId,
  receiver,
}: {
  ledger: Ledger;
  db: Pool;
  verdicts: Verdicts;
  customerId: string;
  receiver: Receiver;
}): Promise<void> {
  const rowsOf = async () =>
    (
      await db.query<Row>(
        `SELECT o.id::text, o.ticket_number, o.kind, o.sent_at IS NOT NULL AS sent, o.failed_at IS NOT NULL AS failed
         FROM outbox o JOIN tickets t ON t.number = o.ticket_number WHERE t.customer_id = $1`,
        [customerId],
      )
    ).rows;
  // The closings of the final check queue the last notices: wait for the dispatcher to send them.
  let rows = await rowsOf();
  for (
    const deadline = Date.now() + 120_000;
    rows.some((row) => !row.sent && !row.failed) && Date.now() < deadline;
    await sleep(1_000)
  )
    rows = await rowsOf();

  let sentAgain = 0;
  for (const row of rows) {
    const copies = receiver.mails.filter((mail) => mail.headers.get('x-vigil-outbox-id') === row.id);
    const messageIds = new Set(copies.map((mail) => mail.headers.get('message-id')));
    if (!row.sent || copies.length === 0)
      ledger.fail(
        NOTICES,
        `${row.ticket_number} ${row.kind} (outbox ${row.id}): ${row.failed ? 'failed' : row.sent ? 'marked sent, never received' : 'still unsent'}`,
      );
    if (messageIds.size > 1)
      ledger.fail(
        NOTICES,
        `${row.ticket_number} ${row.kind} (outbox ${row.id}): arrived under ${messageIds.size} Message-IDs`,
      );
    // Lost when it never arrived; doubled only when its copies are different messages.
    verdicts.count(NOTICES, row.sent ? Math.min(messageIds.size, copies.length) : 0, 1);
    if (row.sent && copies.length > 0) verdicts.applied(NOTICES);
    if (copies.length > 1 && messageIds.size === 1) sentAgain += 1;
  }
  ledger.notes.push(
    `mails: ${rows.length} outbox rows of the run's tickets, ${rows.filter((row) => row.sent).length} sent; ${sentAgain} arrived again under their one Message-ID (at least once, mail/dispatcher.ts)`,
  );
  ledger.expect(FINAL, rows.length > 0, 'no outbox row for the run: were the mails queued at all?');
}
