import { DateTime } from 'luxon';
import { Pool } from 'pg';
import { ChaosStack } from '../../bench/chaos/stack';
import { openTicket, seedNightCustomer, type NightCustomer } from '../../bench/notices/night';
import { startReceiver, type AnswerGate, type Received, type Receiver } from '../../bench/notices/receiver';
import { migrate } from '../../db/migrate';
import { eventually } from '../support/e2e/stack';

jest.setTimeout(600_000);

/** Tickets per burst: their warnings fall within the second their openings took, their breaches 30 s later. */
const TICKETS = 6;
/** Warnings or breaches the SMTP server answers at once in a burst before it holds its answers. */
const ANSWERED_FIRST = 2;
/** Every notice of a ticket here: its acknowledgement, the warning at 50% of its 1-minute response target, the breach. */
const KINDS = ['acknowledgement', 'breach', 'threshold-warning'];
/** Long, for a machine loaded by other work: a condition waited for, never a tolerance. */
const PATIENCE_MS = 300_000;

type Phase = 'answered before the fault' | 'held in the window' | 'after the hold';

/**
 * The SMTP server's answers during one burst: at once until ANSWERED_FIRST warnings or breaches are answered, then
 * held (the mail recorded in full, its sender waiting for the 250) until released. A mail held when its sender dies or
 * loses its PostgreSQL connection is in the window mail/dispatcher.ts names: taken by the server, not marked sent.
 */
class Burst {
  readonly phases = new Map<Received, Phase>();
  private answeredNotices = 0;
  private holding = false;
  private released = false;
  private readonly waiting: Array<() => void> = [];

  readonly answer: AnswerGate = (mail) => {
    if (this.released) return this.pass(mail, 'after the hold');
    if (this.holding) {
      this.phases.set(mail, 'held in the window');
      return new Promise((resolve) => this.waiting.push(resolve));
    }
    // Every mail of a ticket but its acknowledgement answers the acknowledgement (mail/message.ts).
    if (mail.headers.has('in-reply-to')) this.answeredNotices += 1;
    if (this.answeredNotices >= ANSWERED_FIRST) this.holding = true;
    return this.pass(mail, 'answered before the fault');
  };

  private pass(mail: Received, phase: Phase): Promise<void> {
    this.phases.set(mail, phase);
    return Promise.resolve();
  }

  get held(): Received[] {
    return [...this.phases].filter(([, phase]) => phase === 'held in the window').map(([mail]) => mail);
  }

  /** Answers the mails held (250) and every later one at once. */
  release(): void {
    this.released = true;
    for (const answer of this.waiting.splice(0)) answer();
  }
}

interface OutboxRow {
  id: string;
  ticket_number: string;
  kind: string;
  sent: boolean;
  failed: boolean;
}

/** What reached the SMTP server for one outbox row, by the phase of each copy. */
interface Copies {
  ticket: string;
  kind: string;
  copies: number;
  phases: Phase[];
  /** Copies that came on connections opened after `since` (the worker started again after a kill): its successor's. */
  later: number;
  messageIds: string[];
}

/**
 * Warnings and breaches through a fault in the middle of their burst, on a Vigil of the test's own
 * (bench/chaos/stack.ts: a Temporal dev server and a PostgreSQL of its own, worker/main.ts and api/server.ts as
 * processes), its worker's SMTP_URL pointing at an SMTP server in this process (bench/notices/receiver.ts). Each burst
 * is TICKETS tickets opened together under a policy published for the test (bench/notices/night.ts: always open, a
 * 1-minute response target, the desk warned at 50% and at the breach), so that their warnings come due within the
 * second their openings took and their breaches 30 s later.
 *
 * The server answers the first warnings at once and then holds its answers, so that the fault falls after the first
 * notices arrived and before the last, with mails in the window between the server taking a mail and the worker
 * marking its row sent. What the dispatcher promises (mail/dispatcher.ts), and these tests show: no notice lost; one
 * outbox row per ticket and kind; a mail marked sent never sent again; a mail taken in that window by a worker killed
 * then sent once more, under the same Message-ID (mail/message.ts), so that the receiving side can recognise it; one
 * whose mark PostgreSQL's restart cut off marked by the worker that sent it, not sent again.
 */
describe('notices through a fault in the middle of their burst', () => {
  let stack: ChaosStack;
  let receiver: Receiver;
  let db: Pool;
  let night: NightCustomer;
  let burst: Burst | undefined;
  let opened = 0;

  beforeAll(async () => {
    receiver = await startReceiver(undefined, (mail) => burst?.answer(mail) ?? Promise.resolve());
    stack = await ChaosStack.create({ env: { SMTP_URL: `smtp://127.0.0.1:${receiver.port}` } });
    await Promise.all([stack.start('temporal'), stack.start('postgres')]);
    db = new Pool({ connectionString: stack.databaseUrl });
    // The pool outlives the PostgreSQL restart below: its idle connections' loss is expected, not a failure.
    db.on('error', () => undefined);
    await migrate(db);
    [night] = await Promise.all([
      seedNightCustomer(
        db,
        {
          id: 'notice-faults',
          // Midnight: the calendar is open all day, every day, so a ticket's clock starts at its registration.
          opensAt: DateTime.utc().startOf('day').toMillis(),
          targetMinutes: 1,
          warningPercent: 50,
        },
        'faults',
      ),
      stack.start('worker'),
      stack.start('api'),
    ]);
  });

  afterAll(async () => {
    burst?.release();
    await db?.end();
    await stack?.stopAll({ keepLogs: false });
    await receiver?.close();
  });

  /** Opens the burst's tickets together, the SMTP server's answers ruled by a new Burst. */
  async function openBurst(): Promise<{ tickets: string[]; current: Burst }> {
    const current = new Burst();
    burst = current;
    const numbers = Array.from({ length: TICKETS }, () => (opened += 1));
    const tickets = await Promise.all(
      numbers.map(
        async (n) => (await openTicket(`${stack.apiUrl}/v1`, night.agentToken, night.customerId, n)).ticketNumber,
      ),
    );
    return { tickets, current };
  }

  const outboxOf = async (tickets: readonly string[]): Promise<OutboxRow[]> =>
    (
      await db.query<OutboxRow>(
        `SELECT id::text, ticket_number, kind, sent_at IS NOT NULL AS sent, failed_at IS NOT NULL AS failed
         FROM outbox WHERE ticket_number = ANY($1) ORDER BY ticket_number, kind`,
        [tickets],
      )
    ).rows;

  /** Once the server holds a mail, and every mail it answered before is marked sent: the moment of the fault. */
  async function holdingWithTheAnsweredMarked(tickets: readonly string[], current: Burst): Promise<void> {
    await eventually(
      () => Promise.resolve(current.held.length),
      (held) => held > 0,
      PATIENCE_MS,
    );
    const answered = [...current.phases]
      .filter(([, phase]) => phase === 'answered before the fault')
      .map(([mail]) => mail.headers.get('x-vigil-outbox-id'));
    await eventually(
      () => outboxOf(tickets),
      (rows) => answered.every((id) => rows.some((row) => row.id === id && row.sent)),
      PATIENCE_MS,
    );
  }

  /** Every notice of every ticket queued once and sent (none failed), then what reached the server for each. */
  async function deliveredOnce(tickets: readonly string[], current: Burst, since = Infinity): Promise<Copies[]> {
    const rows = await eventually(
      () => outboxOf(tickets),
      (found) => found.length === tickets.length * KINDS.length && found.every((row) => row.sent),
      PATIENCE_MS,
    );
    expect(rows.map((row) => [row.ticket_number, row.kind, row.sent, row.failed])).toEqual(
      [...tickets].sort().flatMap((ticket) => KINDS.map((kind) => [ticket, kind, true, false])),
    );
    return rows.map((row) => {
      const copies = receiver.mails.filter((mail) => mail.headers.get('x-vigil-outbox-id') === row.id);
      return {
        ticket: row.ticket_number,
        kind: row.kind,
        copies: copies.length,
        phases: copies.map((mail) => current.phases.get(mail)!),
        later: copies.filter((mail) => mail.connectedAt > since).length,
        messageIds: [...new Set(copies.map((mail) => mail.headers.get('message-id')!))],
      };
    });
  }

  /** The fault fell in the middle of the burst: warnings answered before it, mails held in the window when it came. */
  function expectMidBurst(copies: readonly Copies[]): void {
    const answeredNotices = copies.filter(
      (row) => row.kind !== 'acknowledgement' && row.phases[0] === 'answered before the fault',
    );
    expect(answeredNotices.length).toBeGreaterThanOrEqual(ANSWERED_FIRST);
    expect(copies.some((row) => row.phases.includes('held in the window'))).toBe(true);
    // A copy sent again carries the Message-ID of the first: each notice is one message, however often it arrived.
    expect(copies.filter((row) => row.messageIds.length !== 1)).toEqual([]);
  }

  it('worker killed (SIGKILL) mid-burst, started again: none lost, none sent again once marked, those in the window once more', async () => {
    const { tickets, current } = await openBurst();
    await holdingWithTheAnsweredMarked(tickets, current);
    await stack.kill('worker');
    const killedAt = Date.now();
    // The held answers go to connections closed with their process: the 250 is never heard.
    current.release();
    await stack.start('worker');

    const copies = await deliveredOnce(tickets, current, killedAt);
    expectMidBurst(copies);
    // Each row by what the killed worker did with it: marked sent (the server answered before the fault), taken by
    // the server and not marked (a copy came on the killed worker's connections after the server stopped answering),
    // or not yet sent. The first arrive once; the second once more from the worker started again; the third once, from it.
    const fate = (row: Copies) =>
      row.phases[0] === 'answered before the fault'
        ? 'marked sent before the kill'
        : row.copies > row.later
          ? 'taken in the window, not marked'
          : 'not sent before the kill';
    const expected = {
      'marked sent before the kill': [1, 0],
      'taken in the window, not marked': [2, 1],
      'not sent before the kill': [1, 1],
    };
    expect(copies.map((row) => [row.ticket, row.kind, fate(row), row.copies, row.later])).toEqual(
      copies.map((row) => [row.ticket, row.kind, fate(row), ...expected[fate(row)]]),
    );
    expect(stack.unexpectedExits).toEqual([]);
  });

  it('PostgreSQL restarted mid-burst: every notice arrives once, those in the window marked by the worker that sent them', async () => {
    const { tickets, current } = await openBurst();
    await holdingWithTheAnsweredMarked(tickets, current);
    // A fast shutdown: every connection is ended, the transactions holding the rows being sent with them.
    await stack.stop('postgres');
    // The worker now hears its 250s and cannot mark the rows: the connections that claimed them are gone.
    current.release();
    await stack.start('postgres');

    const copies = await deliveredOnce(tickets, current);
    expectMidBurst(copies);
    // The worker heard the server take the mails held in the window (and any it sent while PostgreSQL was away) and
    // kept them as taken (mail/dispatcher.ts): claiming them again, it marks them rather than send them again.
    expect(copies.filter((row) => row.copies !== 1)).toEqual([]);
    expect(stack.alive('worker')).toBe(true);
    expect(stack.unexpectedExits).toEqual([]);
  });
});
