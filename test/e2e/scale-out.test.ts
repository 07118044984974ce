import type { ManagedProcess } from '../../infra/managed-process';
import { killGroup } from '../../infra/managed-process';
import { ticketWorkflowId } from '../../messages/ticket';
import { type ApiAnswer, type ApiInstance, eventually, type Stack, startStack } from '../support/e2e/stack';
import { startWorkerProcess } from '../support/e2e/worker-process';

jest.setTimeout(600_000);

const CONTACT = { name: 'Ana Lopes', email: 'ana@acme.lu' };

/**
 * Two workers and two APIs at once on one Temporal dev server and one PostgreSQL, as a deployment past one machine
 * runs them: the stack's worker and a second one in a process of its own, both polling the same task queue, and the
 * stack's API beside a second one with its own pool and Temporal connection. Tickets are opened through both, one
 * ticket is acted on through both (at once, and retried under the same Idempotency-Key on the other API), and the
 * second worker is killed mid-way: nothing is lost, nothing doubled, and the read model never goes back.
 */
describe('two workers and two APIs on one Temporal and one PostgreSQL', () => {
  let stack: Stack;
  let apis: [ApiInstance, ApiInstance];
  let secondWorker: ManagedProcess | undefined;
  /** Every write of the read model to this stack's tickets, in the order PostgreSQL applied them. */
  const writeLog = `read_model_writes_${Date.now().toString(36)}`;

  beforeAll(async () => {
    stack = await startStack('scale-out');
    apis = [{ baseUrl: stack.baseUrl, call: (...args) => stack.call(...args) }, await stack.addApi()];
    secondWorker = await startWorkerProcess('second worker', stack.taskQueue);
    // A row-level trigger sees each write the read model's guard let through: an older revision written over a newer
    // one would show as a revision lower than the one before it.
    await stack.db.query(
      `CREATE TABLE ${writeLog} (id bigserial PRIMARY KEY, number text NOT NULL, revision integer NOT NULL)`,
    );
    await stack.db.query(`CREATE FUNCTION ${writeLog}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO ${writeLog} (number, revision) VALUES (NEW.number, NEW.revision); RETURN NEW; END $$`);
    await stack.db.query(
      `CREATE TRIGGER ${writeLog} AFTER INSERT OR UPDATE ON tickets FOR EACH ROW WHEN (NEW.customer_id = '${stack.customerId}') EXECUTE FUNCTION ${writeLog}()`,
    );
  });

  afterAll(async () => {
    if (secondWorker) killGroup(secondWorker.child);
    if (stack) {
      await stack.db.query(`DROP TRIGGER IF EXISTS ${writeLog} ON tickets`);
      await stack.db.query(`DROP FUNCTION IF EXISTS ${writeLog}`);
      await stack.db.query(`DROP TABLE IF EXISTS ${writeLog}`);
      await stack.stop();
    }
  });

  const open = (api: ApiInstance, title: string) =>
    api.call('POST', '/tickets', {
      customerId: stack.customerId,
      title,
      description: 'The office printer prints blank pages.',
      contact: CONTACT,
    });

  /** Sent again under the same key, through the other API each time, until an answer is not "come back later". */
  async function untilAnswered(send: (api: ApiInstance) => Promise<ApiAnswer>, first: 0 | 1): Promise<ApiAnswer> {
    for (let attempt = 0; ; attempt += 1) {
      const answer = await send(apis[(first + attempt) % 2]!);
      if (![429, 503].includes(answer.status) || attempt === 50) return answer;
      await new Promise((resolve) => setTimeout(resolve, Number(answer.headers.get('retry-after') ?? 1) * 1_000));
    }
  }

  /** POST through `api` with an Idempotency-Key, as the desk's agent or the customer. */
  const postKeyed = (api: ApiInstance, path: string, body: unknown, key: string, as: 'agent' | 'customer' = 'agent') =>
    api.call('POST', path, body, as, { 'idempotency-key': key });

  const acknowledgements = async (numbers: string[]) =>
    (
      await stack.db.query<{ ticket_number: string; count: number }>(
        "SELECT ticket_number, count(*)::int AS count FROM outbox WHERE kind = 'acknowledgement' AND ticket_number = ANY($1) GROUP BY ticket_number ORDER BY ticket_number",
        [numbers],
      )
    ).rows;

  it('opens tickets through both APIs at once, each registered and acknowledged once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, i) => open(apis[i % 2]!, `Opened through API ${(i % 2) + 1}, ${i}`)),
    );
    expect(answers.map((answer) => [answer.status, answer.body.detail])).toEqual(answers.map(() => [201, undefined]));
    const numbers = answers.map((answer) => answer.body.ticketNumber as string);
    expect(new Set(numbers).size).toBe(numbers.length);

    const sent = await eventually(
      () => acknowledgements(numbers),
      (rows) => rows.length === numbers.length,
      120_000,
    );
    expect(sent).toEqual([...numbers].sort().map((ticket_number) => ({ ticket_number, count: 1 })));
    // Each read through the API it was not opened through: both see the same ticket, live.
    for (const [i, number] of numbers.entries()) {
      const read = await apis[(i + 1) % 2]!.call('GET', `/tickets/${number}`);
      expect({ status: read.status, stale: read.body.stale, title: read.body.title }).toEqual({
        status: 200,
        stale: undefined,
        title: `Opened through API ${(i % 2) + 1}, ${i}`,
      });
    }
  });

  it('acts on one ticket through both APIs, with a worker killed mid-way: each action once, one bill, revisions only forward', async () => {
    const opened = await open(apis[0], 'Acted on through both APIs');
    expect(opened.status).toBe(201);
    const number = opened.body.ticketNumber as string;
    expect((await apis[1].call('POST', `/tickets/${number}/take-charge`, {})).status).toBe(200);

    const base = Date.now() - 10 * 3_600_000;
    const entry = (i: number) => ({
      start: new Date(base + i * 600_000).toISOString(),
      end: new Date(base + i * 600_000 + 300_000).toISOString(),
      note: `entry ${i}`,
    });
    /** Each entry sent through both APIs at once under one key, as a client retrying on the other API would. */
    const sendEntries = (from: number, count: number) =>
      Promise.all(
        Array.from({ length: count }, (_, k) => {
          const i = from + k;
          const send = (first: 0 | 1) =>
            untilAnswered(
              (api) => postKeyed(api, `/tickets/${number}/time-entries`, entry(i), `scale-out-${number}-entry-${i}`),
              first,
            );
          return Promise.all([send(0), send(1)]);
        }),
      );

    const before = await sendEntries(0, 6);
    // Killed while a second batch is in flight: its tasks, sticky to it or not, go to the stack's worker.
    const during = sendEntries(6, 6);
    await new Promise((resolve) => setTimeout(resolve, 200));
    killGroup(secondWorker!.child);
    await secondWorker!.exited.catch(() => undefined);
    secondWorker = undefined;
    const after = await during;

    for (const pair of [...before, ...after]) {
      expect(pair.map((answer) => answer.status)).toEqual([200, 200]);
      // Twins answer the same ticket: the key's first answer, replayed to the other.
      expect(pair[0].body.timeEntries).toEqual(pair[1].body.timeEntries);
    }

    // Resolved through one API, validated through the other twice at once under one key.
    expect(
      (await apis[0].call('POST', `/tickets/${number}/propose-resolution`, { resolution: 'Replaced the toner' }))
        .status,
    ).toBe(200);
    const validations = await Promise.all(
      [0, 1].map((i) =>
        postKeyed(
          apis[i]!,
          `/tickets/${number}/validate`,
          { contact: CONTACT.email },
          `scale-out-${number}-validate`,
          'customer',
        ),
      ),
    );
    expect(validations.map((answer) => answer.status)).toEqual([200, 200]);

    const handle = stack.temporal.workflow.getHandle(ticketWorkflowId(number));
    await handle.result();
    const closed = await apis[1].call('GET', `/tickets/${number}`);
    expect(closed.status).toBe(200);
    const notes = (closed.body.timeEntries as Array<{ note?: string }>).map((e) => e.note).sort();
    expect(notes).toEqual(Array.from({ length: 12 }, (_, i) => `entry ${i}`).sort());
    expect((closed.body.events as Array<{ type: string }>).filter((event) => event.type === 'validated')).toHaveLength(
      1,
    );

    // One bill: the lines in PostgreSQL are the closed ticket's, once each.
    const billing = closed.body.billing as {
      lines: Array<{ description: string; minutes: number; amountCents: number }>;
      totalCents: number;
    };
    const billed = await eventually(
      async () =>
        (
          await stack.db.query<{ minutes: number; amount_cents: string }>(
            'SELECT minutes, amount_cents FROM billing_lines WHERE ticket_number = $1 ORDER BY id',
            [number],
          )
        ).rows,
      (rows) => rows.length >= billing.lines.length,
    );
    expect(billed.map((row) => ({ minutes: row.minutes, amountCents: Number(row.amount_cents) }))).toEqual(
      billing.lines.map(({ minutes, amountCents }) => ({ minutes, amountCents })),
    );
    expect(await acknowledgements([number])).toEqual([{ ticket_number: number, count: 1 }]);

    // The read model ends at the workflow's last revision, having only ever moved forward.
    const snapshot = async () =>
      (await stack.db.query<{ revision: number }>('SELECT revision FROM tickets WHERE number = $1', [number])).rows[0]
        ?.revision;
    expect(await eventually(snapshot, (revision) => revision === closed.body.revision)).toBe(closed.body.revision);
    const { rows: writes } = await stack.db.query<{ number: string; revision: number }>(
      `SELECT number, revision FROM ${writeLog} ORDER BY id`,
    );
    const backwards = writes.filter((write, i) =>
      writes.slice(0, i).some((earlier) => earlier.number === write.number && earlier.revision >= write.revision),
    );
    expect(backwards).toEqual([]);
    expect(writes.filter((write) => write.number === number).at(-1)?.revision).toBe(closed.body.revision);
  });
});
