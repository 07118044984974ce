/**
 * `npm run bench:notices`: how late a warning or breach notice reaches the SMTP server when a night's tickets share
 * their deadlines, beside a bare Temporal timer that mails one notice on the same server (bench/notices/).
 *
 * A stack of its own (bench/chaos/stack.ts: Temporal dev server, PostgreSQL, Vigil's worker and API on free ports,
 * nothing of .data/ touched) and an SMTP server in this process (bench/notices/receiver.ts) that records the instant
 * it accepts each mail, the end of DATA; the worker's SMTP_URL points at it. All traffic stays on 127.0.0.1.
 *
 * The tickets share their deadlines as a night's do: a policy published for the run (bench-notices) whose business
 * calendar opens at a whole minute T a few minutes ahead, a P1 response target of 2 business minutes with a warning at
 * 50%. Every ticket opened before T starts its clock at T: all warnings fall at T+1 min, all breaches at T+2 min.
 * The bare workflows sleep to T itself, when Vigil's tickets are all asleep, so neither burst slows the other as long
 * as the server fires a burst within the minute (the breakdown's "timer fired" leg says whether it did).
 *
 * Lateness = the receiver's acceptance instant - the threshold's instant (the ticket's planned thresholds, read
 * from its read-model snapshot; the bare workflow's argument). Each notice must arrive exactly once: lost and
 * doubled ones are counted per ticket and kind (Vigil) or workflow (bare).
 *
 * Target: Vigil's p99 at most 1.5x bare, and under 5 s.
 *
 * After the figures, where the time went: each notice's legs through Temporal (timer fired after the deadline,
 * workflow task waiting and running, activity waiting and running) read from every workflow's history
 * (bench/notices/history-breakdown.ts), beside the outbox's own leg for Vigil.
 *
 *   npm run bench:notices -- [--tickets N (1000)] [--quick (50 tickets)] [--concurrency C (16)] [--max-minutes M (30)]
 *                            [--keep-logs (the stack's logs stay in its folder, named at the start)]
 *                            [--temporal=full (the full Temporal server on PostgreSQL, infra/temporal-server.ts)]
 *                            [--bare-alone (the bare timers only, no ticket: the floor this machine sets)]
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { migrate } from '../db/migrate';
import { killGroup, startProcess, waitUntil, type ManagedProcess } from '../infra/managed-process';
import { temporalChoice } from '../infra/temporal';
import type { ThresholdNotice } from '../activities/threshold-email';
import { ticketWorkflowId, type TicketState } from '../messages/ticket';
import { seedAccounts } from './chaos/accounts';
import { ChaosStack } from './chaos/stack';
import { BARE_NOTICE_HEADER, BARE_NOTICE_TASK_QUEUE } from './notices/bare-worker';
import { bareNotice } from './notices/bare-workflow';
import {
  eachLimited,
  figuresOf,
  openTicket,
  seedNightCustomer,
  sleepMs,
  vigilLateness,
  type Lateness,
  type NightCustomer,
} from './notices/night';
import { LEGS, noticePaths, readHistories, type NoticePath } from './notices/history-breakdown';
import { startReceiver, type Receiver, type Received } from './notices/receiver';
import { usageOf } from './open-tickets/usage';
import { percentile } from './stats';

const { values: options } = parseArgs({
  options: {
    tickets: { type: 'string' },
    quick: { type: 'boolean', default: false },
    concurrency: { type: 'string', default: '16' },
    'max-minutes': { type: 'string', default: '30' },
    'keep-logs': { type: 'boolean', default: false },
    temporal: { type: 'string' },
    // The bare timers alone, no ticket beside them: the floor this machine and server set for any design.
    'bare-alone': { type: 'boolean', default: false },
  },
});
const BARE_ALONE = options['bare-alone'];
const TICKETS = Number(options.tickets ?? (options.quick ? 50 : 1000));
const CONCURRENCY = Number(options.concurrency);
const MAX_MINUTES = Number(options['max-minutes']);
for (const [name, value] of Object.entries({
  tickets: TICKETS,
  concurrency: CONCURRENCY,
  'max-minutes': MAX_MINUTES,
})) {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a whole number of at least 1, got ${value}`);
}

/** The Temporal server both sides run on: the dev server (SQLite) by default, `--temporal=full` for the full one on PostgreSQL. */
const TEMPORAL = temporalChoice(process.argv.slice(2));

const POLICY_ID = 'bench-notices';
const TARGET_MINUTES = 2;
const WARNING_PERCENT = 50;
/** After the last notice expected, how long the receiver keeps listening for a second copy. */
const SETTLE_MS = 10_000;
/** T is put this many times the measured opening time ahead, so that a slower moment of the machine still opens all before it. */
const OPENING_MARGIN = 1.6;
const TARGET_RATIO = 1.5;
const TARGET_P99_MS = 5_000;

const repoRoot = path.resolve(__dirname, '..');
const startedAt = Date.now();
const say = (line: string) =>
  process.stderr.write(`[bench ${((Date.now() - startedAt) / 1000).toFixed(0).padStart(4)}s] ${line}\n`);
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * How long opening one ticket takes on this machine now, concurrency included: a few tickets of another customer
 * (e-connect's contract, no clock that would mail) opened first, so that T leaves room for all of the run's.
 */
async function openingMsPerTicket(api: string, databaseUrl: string): Promise<number> {
  const { customerId, tokens } = await seedAccounts(databaseUrl);
  const count = Math.min(TICKETS, 2 * CONCURRENCY);
  const began = Date.now();
  await eachLimited(
    Array.from({ length: count }, (_, i) => i),
    CONCURRENCY,
    async (i) => void (await openTicket(api, tokens.agent, customerId, i + 1)),
  );
  return (Date.now() - began) / count;
}

async function seed(db: Pool, opensAt: number): Promise<NightCustomer> {
  await migrate(db);
  const policy = {
    id: POLICY_ID,
    opensAt,
    targetMinutes: TARGET_MINUTES,
    warningPercent: WARNING_PERCENT,
  };
  return seedNightCustomer(db, policy, 'notices');
}

async function startBareWorker(temporalAddress: string, smtpUrl: string): Promise<ManagedProcess> {
  let ready = false;
  const managed = startProcess(
    'bare worker',
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'bench/notices/bare-worker.ts')],
    {
      cwd: repoRoot,
      env: { ...process.env, TEMPORAL_ADDRESS: temporalAddress, SMTP_URL: smtpUrl },
      onLine: (line) => {
        if (line.includes('worker polling')) ready = true;
        else process.stderr.write(`[bare worker] ${line}\n`);
      },
    },
  );
  await waitUntil('the bare worker', () => Promise.resolve(ready), { timeoutMs: 90_000, process: managed });
  return managed;
}

function bareLateness(mails: readonly Received[], expected: number): Lateness {
  const copies = new Map<string, { at: number; accepted: number[] }>();
  for (const mail of mails) {
    const [id, at] = (mail.headers.get(BARE_NOTICE_HEADER.toLowerCase()) ?? '').split(' ');
    if (!id || !at) continue;
    const entry = copies.get(id) ?? { at: Number(at), accepted: [] };
    entry.accepted.push(mail.acceptedAt);
    copies.set(id, entry);
  }
  const latenessMs = [...copies.values()].map(({ at, accepted }) => accepted[0]! - at);
  const doubled = [...copies.values()].reduce((sum, { accepted }) => sum + accepted.length - 1, 0);
  return { latenessMs, expected, lost: expected - copies.size, doubled };
}

async function main(
  stack: ChaosStack,
  extra: ManagedProcess[],
  db: () => Pool,
  receiving: (receiver: Receiver) => void,
): Promise<void> {
  const counts = { acknowledgement: 0, 'threshold-warning': 0, breach: 0, bare: 0, other: 0 };
  const kindOfRow = new Map<string, string>();
  const unclassified: Received[] = [];
  const receiver = await startReceiver((mail) => {
    if (mail.headers.has(BARE_NOTICE_HEADER.toLowerCase())) counts.bare += 1;
    else if (mail.headers.get('subject')?.match(/^\[VIG-\d+\]/)) {
      // Which notice it is, for the progress lines only: the figures are matched on the outbox rows.
      const id = mail.headers.get('x-vigil-outbox-id');
      const kind = id ? kindOfRow.get(id) : undefined;
      if (kind && kind in counts) counts[kind as keyof typeof counts] += 1;
      else unclassified.push(mail);
    } else counts.other += 1;
  });
  receiving(receiver);
  const smtpUrl = `smtp://127.0.0.1:${receiver.port}`;
  say(`${TICKETS} tickets; SMTP receiver on ${smtpUrl}; stack in ${stack.root}`);
  // The worker started by the stack inherits this environment: its outbox dispatcher delivers to the receiver.
  process.env.SMTP_URL = smtpUrl;

  await Promise.all([stack.start('temporal'), stack.start('postgres')]);
  const pool = db();
  await migrate(pool);
  await Promise.all([stack.start('worker'), stack.start('api')]);
  extra.push(await startBareWorker(stack.temporalAddress, smtpUrl));

  // T: a whole minute far enough ahead for every ticket and bare workflow to be started, and their acknowledgements
  // sent, at the opening rate just measured with room to spare.
  const api = `${stack.apiUrl}/v1`;
  const msPerTicket = await openingMsPerTicket(api, stack.databaseUrl);
  const opensAt = Math.ceil((Date.now() + 45_000 + TICKETS * msPerTicket * OPENING_MARGIN) / 60_000) * 60_000;
  say(`opening takes ${Math.round(msPerTicket)} ms a ticket here at concurrency ${CONCURRENCY}`);
  if (new Date(opensAt + TARGET_MINUTES * 60_000).getUTCDate() !== new Date(opensAt).getUTCDate())
    throw new Error('the run would cross midnight UTC, where the bench calendar closes: run it a few minutes later');
  const warningAt = opensAt + (TARGET_MINUTES * 60_000 * WARNING_PERCENT) / 100;
  const breachAt = opensAt + TARGET_MINUTES * 60_000;
  const { customerId, agentToken } = await seed(pool, opensAt);
  say(
    `calendar opens at ${iso(opensAt)} (bare timers fire then); warnings due ${iso(warningAt)}, breaches ${iso(breachAt)}`,
  );

  // Progress, every 5 s, for the long waits.
  let phase = 'starting';
  // The machine's 1-minute load average through the run: the baseline shows what it costs, the figure says why.
  const loads: number[] = [];
  let workerMemory = 'worker memory not read';
  let opened = 0;
  let started = 0;
  const progress = setInterval(() => {
    void pool
      // Every row each time, not those past the highest id known: ids are taken at INSERT and rows become visible at
      // COMMIT, so a row committed after a higher one was read would never be learned, and its mail never counted.
      .query<{ id: string; kind: string }>(
        "SELECT id, kind FROM outbox WHERE kind IN ('acknowledgement', 'threshold-warning', 'breach') ORDER BY id",
      )
      .then(({ rows }) => {
        for (const row of rows) kindOfRow.set(row.id, row.kind);
        // Mails that came in before their row was known here.
        for (const mail of unclassified.splice(0)) {
          const kind = kindOfRow.get(mail.headers.get('x-vigil-outbox-id') ?? '');
          if (kind && kind in counts) counts[kind as keyof typeof counts] += 1;
          else unclassified.push(mail);
        }
      })
      .catch(() => undefined);
    const toT = ((opensAt - Date.now()) / 1000).toFixed(0);
    loads.push(os.loadavg()[0]!);
    say(
      `${phase}: opened ${opened}/${TICKETS}, bare started ${started}/${TICKETS}; received: acks ${counts.acknowledgement}, bare ${counts.bare}, warnings ${counts['threshold-warning']}, breaches ${counts.breach} (T${Number(toT) >= 0 ? '-' : '+'}${Math.abs(Number(toT))}s)`,
    );
  }, 5_000);

  try {
    phase = 'starting bare timers';
    const connection = await Connection.connect({ address: stack.temporalAddress });
    try {
      const temporal = new Client({ connection });
      await eachLimited(
        Array.from({ length: TICKETS }, (_, i) => i),
        CONCURRENCY,
        async (i) => {
          await temporal.workflow.start(bareNotice, {
            taskQueue: BARE_NOTICE_TASK_QUEUE,
            workflowId: `bare-notice-${i + 1}`,
            args: [`bare-notice-${i + 1}`, opensAt],
          });
          started += 1;
        },
      );
    } finally {
      await connection.close();
    }
    if (Date.now() >= opensAt) throw new Error(`the bare workflows were not all started before ${iso(opensAt)}`);

    phase = BARE_ALONE ? 'bare timers only' : 'opening tickets';
    const workerRssBefore = usageOf(stack.pid('worker')).rssBytes;
    await eachLimited(
      Array.from({ length: BARE_ALONE ? 0 : TICKETS }, (_, i) => i),
      CONCURRENCY,
      async (i) => {
        await openTicket(api, agentToken, customerId, i + 1);
        opened += 1;
      },
    );
    // Lateness is measured from each ticket's own thresholds: one opened late still counts, its deadlines apart.
    if (Date.now() >= opensAt)
      say(
        `WARNING: the tickets were not all open before ${iso(opensAt)}: those opened after have deadlines of their own`,
      );

    // Every ticket is now cached in the worker (VIGIL_WORKER_CACHED_WORKFLOWS): what holding them costs.
    const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);
    const workerRssOpen = usageOf(stack.pid('worker')).rssBytes;
    workerMemory = `worker resident memory ${mib(workerRssBefore)} MiB before the tickets, ${mib(workerRssOpen)} MiB with ${TICKETS} open`;
    say(workerMemory);

    phase = 'waiting for the deadlines';
    const lastExpected = BARE_ALONE ? opensAt : breachAt;
    // A burst drains at the rate this machine serves workflow tasks (run E: about 50 a second on 2 cores, for bare and
    // Vigil alike), so the wait after the last deadline grows with the ticket count: 5 minutes per 1 000 tickets (5
    // minutes up to 1 000, as before; 50 for 10 000, whose 30 000 notices are some 90 000 tasks), and the figures then
    // count as not arrived only notices still missing after that. The time kept before --max-minutes grows likewise:
    // the breakdown reads two histories per ticket (its own and a bare one) before the guard in the last lines stops it.
    const perThousand = Math.max(1, TICKETS / 1000);
    const giveUpAt = Math.min(
      lastExpected + perThousand * 5 * 60_000,
      startedAt + MAX_MINUTES * 60_000 - perThousand * 30_000,
    );
    const received = (kind: 'threshold-warning' | 'breach') => kindOfRow.size > 0 && counts[kind] >= TICKETS;
    const allReceived = () =>
      counts.bare >= TICKETS && (BARE_ALONE || (received('threshold-warning') && received('breach')));
    while (Date.now() < giveUpAt && !allReceived()) {
      if (Date.now() > opensAt)
        phase = Date.now() < warningAt ? 'bare timers fired' : Date.now() < breachAt ? 'warnings due' : 'breaches due';
      await sleepMs(500);
    }
    phase = 'listening for second copies';
    await sleepMs(SETTLE_MS);
  } finally {
    clearInterval(progress);
  }

  const loadRange = `1-minute load average ${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)} during the run`;
  if (BARE_ALONE) {
    printBareAlone(bareLateness(receiver.mails, TICKETS));
    console.log(`\n(${os.cpus().length} CPUs, ${loadRange})`);
    return;
  }
  const vigil = {
    warnings: await vigilLateness(pool, customerId, receiver.mails, {
      kind: 'threshold-warning',
      percent: WARNING_PERCENT,
      sharedAt: warningAt,
    }),
    breaches: await vigilLateness(pool, customerId, receiver.mails, {
      kind: 'breach',
      percent: 100,
      sharedAt: breachAt,
    }),
  };
  const { rows: pending } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL');
  const all: Lateness = {
    latenessMs: [...vigil.warnings.latenessMs, ...vigil.breaches.latenessMs],
    queuedMs: [...vigil.warnings.queuedMs!, ...vigil.breaches.queuedMs!],
    dispatchMs: [...vigil.warnings.dispatchMs!, ...vigil.breaches.dispatchMs!],
    expected: vigil.warnings.expected + vigil.breaches.expected,
    lost: vigil.warnings.lost + vigil.breaches.lost,
    doubled: vigil.warnings.doubled + vigil.breaches.doubled,
  };
  const bare = bareLateness(receiver.mails, TICKETS);
  const ours = figuresOf(all.latenessMs);
  const baseline = figuresOf(bare.latenessMs);
  const warnings = figuresOf(vigil.warnings.latenessMs);
  const breaches = figuresOf(vigil.breaches.latenessMs);
  const queued = figuresOf(all.queuedMs!);
  const dispatched = figuresOf(all.dispatchMs!);

  const ms = (value: number) => (Number.isNaN(value) ? '-' : String(Math.round(value))).padStart(9);
  const ratio = (a: number, b: number) => (b > 0 && !Number.isNaN(a) ? `${(a / b).toFixed(2)}x` : '-').padStart(8);
  const meets =
    ours.p99 <= TARGET_RATIO * baseline.p99 &&
    ours.p99 < TARGET_P99_MS &&
    all.lost === 0 &&
    all.doubled === 0 &&
    bare.lost === 0;
  console.log(
    `\nnotice lateness, deadline -> accepted by the SMTP server: ${TICKETS} tickets sharing their deadlines (a warning at T+1 min, a breach at T+2 min each), ${TICKETS} bare timers at T\n`,
  );
  console.log(`${'figure'.padEnd(26)}${'vigil'.padStart(9)}${'bare'.padStart(9)}${'ratio'.padStart(8)}  target`);
  const rows: Array<[string, string, string, string, string]> = [
    ['notices expected', String(all.expected).padStart(9), String(bare.expected).padStart(9), ''.padStart(8), ''],
    [
      '  at the shared instants',
      String(vigil.warnings.atShared! + vigil.breaches.atShared!).padStart(9),
      String(bare.expected).padStart(9),
      ''.padStart(8),
      '',
    ],
    ['lateness p50 ms', ms(ours.p50), ms(baseline.p50), ratio(ours.p50, baseline.p50), ''],
    [
      'lateness p99 ms',
      ms(ours.p99),
      ms(baseline.p99),
      ratio(ours.p99, baseline.p99),
      `<= ${TARGET_RATIO}x bare and < ${TARGET_P99_MS} ms: ${meets ? 'met' : 'NOT met'}`,
    ],
    ['lateness max ms', ms(ours.max), ms(baseline.max), ratio(ours.max, baseline.max), ''],
    [
      '  warnings p50 / p99 ms',
      `${Math.round(warnings.p50)} / ${Math.round(warnings.p99)}`.padStart(9),
      ''.padStart(9),
      ''.padStart(8),
      '',
    ],
    [
      '  breaches p50 / p99 ms',
      `${Math.round(breaches.p50)} / ${Math.round(breaches.p99)}`.padStart(9),
      ''.padStart(9),
      ''.padStart(8),
      '',
    ],
    [
      '  queued p50 / p99 ms',
      `${Math.round(queued.p50)} / ${Math.round(queued.p99)}`.padStart(9),
      ''.padStart(9),
      ''.padStart(8),
      'deadline -> row in the outbox',
    ],
    [
      '  sent p50 / p99 ms',
      `${Math.round(dispatched.p50)} / ${Math.round(dispatched.p99)}`.padStart(9),
      ''.padStart(9),
      ''.padStart(8),
      'row in the outbox -> accepted',
    ],
    ['not arrived by the end', String(all.lost).padStart(9), String(bare.lost).padStart(9), ''.padStart(8), '0'],
    ['doubled', String(all.doubled).padStart(9), String(bare.doubled).padStart(9), ''.padStart(8), '0'],
  ];
  for (const [name, a, b, r, target] of rows) console.log(`${name.padEnd(26)}${a}${b}${r}  ${target}`);
  await printBreakdown(stack.temporalAddress, pool, customerId, dispatched);
  console.log(
    `\n(${os.cpus().length} CPUs, ${loadRange}; ${workerMemory}; outbox rows still unsent at the end: ${pending[0]?.n ?? '?'}; processes that exited on their own: ${stack.unexpectedExits.join('; ') || 'none'})`,
  );
}

/** The bare timers' lateness alone: no design that mails each notice from a workflow on this server can beat it. */
function printBareAlone(bare: Lateness): void {
  const figures = figuresOf(bare.latenessMs);
  console.log(
    `\nbare timers alone, deadline -> accepted by the SMTP server: ${TICKETS} bare timers at T, no ticket beside them\n`,
  );
  console.log(`lateness p50 / p99 / max ms   ${[figures.p50, figures.p99, figures.max].map(Math.round).join(' / ')}`);
  console.log(`not arrived by the end        ${bare.lost}`);
  console.log(`doubled                       ${bare.doubled}`);
  console.log(
    `p99 under ${TARGET_P99_MS} ms: ${figures.p99 < TARGET_P99_MS ? 'yes' : 'no, on this machine and server'}`,
  );
}

/**
 * Where the time goes, per leg, read from every ticket's and bare workflow's history (bench/notices/history-breakdown.ts),
 * then the outbox's dispatcher for Vigil (the bare activity sends its mail itself, within "activity runs").
 */
async function printBreakdown(
  temporalAddress: string,
  db: Pool,
  customerId: string,
  dispatched: ReturnType<typeof figuresOf>,
): Promise<void> {
  const { rows } = await db.query<{ number: string; snapshot: TicketState }>(
    'SELECT number, snapshot FROM tickets WHERE customer_id = $1',
    [customerId],
  );
  const thresholds = new Map(
    rows.map(({ number, snapshot }) => [
      ticketWorkflowId(number),
      new Map(
        (snapshot.clocks.find((clock) => clock.metric === 'response')?.thresholds ?? []).map((threshold) => [
          threshold.percent,
          threshold.at,
        ]),
      ),
    ]),
  );
  const paths = { warnings: [] as NoticePath[], breaches: [] as NoticePath[], bare: [] as NoticePath[] };
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    const client = new Client({ connection });
    say(`reading ${thresholds.size + TICKETS} workflow histories for the breakdown`);
    let unread = await readHistories(client, [...thresholds.keys()], CONCURRENCY, (workflowId, events) => {
      const dueOf = (args: unknown[]) => thresholds.get(workflowId)?.get((args[0] as ThresholdNotice).percent);
      for (const path of noticePaths(events, 'notifyThreshold', dueOf))
        (path.dueAt === thresholds.get(workflowId)?.get(100) ? paths.breaches : paths.warnings).push(path);
    });
    const bareIds = Array.from({ length: TICKETS }, (_, i) => `bare-notice-${i + 1}`);
    // sendBareNotice(id, at): the instant is its second argument.
    unread += await readHistories(client, bareIds, CONCURRENCY, (_, events) =>
      paths.bare.push(...noticePaths(events, 'sendBareNotice', (args) => args[1] as number)),
    );
    if (unread > 0) say(`${unread} histories could not be read: the breakdown leaves them out`);
  } finally {
    await connection.close();
  }
  const cell = (values: number[]) => {
    const finite = values.filter(Number.isFinite);
    return (
      finite.length === 0 ? '-' : `${Math.round(percentile(finite, 50))} / ${Math.round(percentile(finite, 99))}`
    ).padStart(17);
  };
  console.log(
    `\nwhere the time goes, p50 / p99 ms per leg (from the workflows' histories; notices that got that far)\n`,
  );
  console.log(
    `${'leg'.padEnd(22)}${'vigil warnings'.padStart(17)}${'vigil breaches'.padStart(17)}${'bare'.padStart(17)}  from -> to`,
  );
  for (const [name, from, to, says] of LEGS) {
    const leg = (list: NoticePath[]) => cell(list.map((path) => path[to] - path[from]));
    console.log(`${name.padEnd(22)}${leg(paths.warnings)}${leg(paths.breaches)}${leg(paths.bare)}  ${says}`);
  }
  console.log(
    `${'outbox to SMTP'.padEnd(22)}${`${Math.round(dispatched.p50)} / ${Math.round(dispatched.p99)}`.padStart(34)}${'(in the activity)'.padStart(17)}  row queued -> accepted (Vigil's dispatcher)`,
  );
}

void (async () => {
  const stack = await ChaosStack.create({ temporal: TEMPORAL });
  const extra: ManagedProcess[] = [];
  let pool: Pool | undefined;
  let receiver: Receiver | undefined;
  const db = () => (pool ??= new Pool({ connectionString: stack.databaseUrl, max: 4 }));
  // Senders first, so that the receiver closes on no open connection; nothing may keep the process alive after.
  const stopAll = async () => {
    await pool?.end().catch(() => undefined);
    await Promise.all(extra.map((managed) => managed.stop(5_000)));
    await stack.stopAll({ keepLogs: options['keep-logs'] });
    await receiver?.close();
  };
  process.once('SIGINT', () => {
    for (const managed of extra) killGroup(managed.child);
    stack.killAllNow();
    process.exit(130);
  });
  // The guard: whatever happens, the run ends within --max-minutes and takes its processes with it.
  const guard = setTimeout(() => {
    say(`--max-minutes ${MAX_MINUTES} reached: stopping`);
    for (const managed of extra) killGroup(managed.child);
    stack.killAllNow();
    process.exit(2);
  }, MAX_MINUTES * 60_000);
  try {
    await main(stack, extra, db, (started) => (receiver = started));
    await stopAll();
  } catch (error) {
    console.error(error);
    await stopAll().catch(() => stack.killAllNow());
    process.exitCode = 1;
  } finally {
    clearTimeout(guard);
  }
})();
