/**
 * The openings, counted where a ticket exists: its row in PostgreSQL's read model, its workflow in Temporal (listed
 * by the CustomerId search attribute, the title in its memo) and its acknowledgement in the outbox. A 201 whose ticket
 * is missing anywhere is lost; a title found twice anywhere is doubled. Every workflow of the run's customer is also
 * searched for failed workflow tasks (in its history, and in the worker's workflow_task_failures table), and every
 * e-mail subject for a line break.
 */
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { sleep } from './client';
import { FINAL, unanswered } from './check-actions';
import type { Ledger } from './ledger';
import type { Verdicts } from './verdicts';

const tally = (values: string[]) =>
  values.reduce((counts, value) => counts.set(value, (counts.get(value) ?? 0) + 1), new Map<string, number>());

async function temporalTitles(temporal: Client, customerId: string): Promise<{ titles: string[]; ids: string[] }> {
  const titles: string[] = [];
  const ids: string[] = [];
  for await (const workflow of temporal.workflow.list({ query: `CustomerId = '${customerId}'` })) {
    const title = workflow.memo?.title;
    titles.push(typeof title === 'string' ? title : '');
    ids.push(workflow.workflowId);
  }
  return { titles, ids };
}

async function postgresTitles(db: Pool, customerId: string): Promise<{ titles: string[]; numbers: Set<string> }> {
  const { rows } = await db.query<{ number: string; title: string }>(
    'SELECT number, title FROM tickets WHERE customer_id = $1',
    [customerId],
  );
  return { titles: rows.map((row) => row.title), numbers: new Set(rows.map((row) => row.number)) };
}

export async function checkOpenings({
  ledger,
  temporal,
  db,
  verdicts,
  customerId,
}: {
  ledger: Ledger;
  temporal: Client;
  db: Pool;
  verdicts: Verdicts;
  customerId: string;
}): Promise<void> {
  // Visibility and the read model follow the workflows: wait until both have every ticket Temporal started.
  let [inTemporal, inPostgres] = [await temporalTitles(temporal, customerId), await postgresTitles(db, customerId)];
  for (
    const deadline = Date.now() + 60_000;
    inTemporal.titles.length !== inPostgres.titles.length && Date.now() < deadline;
    await sleep(1_000)
  ) {
    [inTemporal, inPostgres] = [await temporalTitles(temporal, customerId), await postgresTitles(db, customerId)];
  }
  ledger.expect(
    FINAL,
    inTemporal.titles.length === inPostgres.titles.length,
    `Temporal has ${inTemporal.titles.length} workflows of ${customerId}, PostgreSQL ${inPostgres.titles.length} tickets`,
  );

  const [temporalCount, postgresCount] = [tally(inTemporal.titles), tally(inPostgres.titles)];
  const { rows: acknowledgements } = await db.query<{ ticket_number: string; n: string }>(
    `SELECT o.ticket_number, count(*) AS n FROM outbox o JOIN tickets t ON t.number = o.ticket_number
     WHERE t.customer_id = $1 AND o.subject LIKE '[' || o.ticket_number || '] Your request%' GROUP BY o.ticket_number`,
    [customerId],
  );
  const acknowledged = new Map(acknowledgements.map((row) => [row.ticket_number, Number(row.n)]));

  for (const intent of ledger.intents.filter((candidate) => candidate.kind === 'open')) {
    const accepted = intent.status === 201;
    const [inT, inP] = [temporalCount.get(intent.marker) ?? 0, postgresCount.get(intent.marker) ?? 0];
    // Doubled when twice on either side; lost (for a 201) when missing from either.
    const found = Math.max(inT, inP) > 1 ? Math.max(inT, inP) : Math.min(inT, inP);
    verdicts.count(intent.scenario, found, accepted ? 1 : undefined, { unanswered: unanswered(intent.status) });
    if (found === 1) verdicts.applied(intent.scenario);
    if (accepted && !inPostgres.numbers.has(intent.ticket!))
      ledger.fail(intent.scenario, `${intent.marker}: answered 201 ${intent.ticket}, which PostgreSQL does not have`);
    if (accepted) verdicts.count(intent.scenario, acknowledged.get(intent.ticket!) ?? 0, 1);
    if (!accepted) ledger.fail(intent.scenario, `${intent.marker}: opening never got a 201 (last ${intent.status})`);
  }

  for (const id of inTemporal.ids) {
    const history = await temporal.workflow.getHandle(id).fetchHistory();
    const failed = (history.events ?? []).filter((event) => event.workflowTaskFailedEventAttributes).length;
    ledger.expect(FINAL, failed === 0, `${id}: ${failed} WorkflowTaskFailed events`);
  }
  // Where the worker records failing workflow tasks (migration 0008), for /ready and the ticket's view.
  const { rows: failing } = await db.query<{ workflow_id: string | null; message: string }>(
    'SELECT workflow_id, message FROM workflow_task_failures',
  );
  for (const row of failing)
    ledger.fail(FINAL, `workflow_task_failures: ${row.workflow_id ?? 'unknown workflow'}: ${row.message}`);
  const { rows: broken } = await db.query<{ n: string }>("SELECT count(*) AS n FROM outbox WHERE subject ~ '[\\r\\n]'");
  ledger.expect(FINAL, Number(broken[0]!.n) === 0, `${broken[0]!.n} outbox subjects hold a line break`);
}
