/**
 * `npm run bench:open-tickets`: how Vigil holds many open tickets with live timers on one machine, measured in steps
 * (1 000, 10 000, 100 000 by default). At each step, with every ticket opened so far still open:
 *
 * - creation rate accepted: tickets the API answered 201 per second over the step, at --concurrency openings in
 *   flight, with the 503 answers counted (each waited its Retry-After and was sent again with its key): those the
 *   back-pressure refused at once (busy), and those that came after the API's Temporal deadline (slow);
 * - take-charge latency p50 / p99 on --sample open tickets taken in charge one after another;
 * - resident memory of the worker, the API and the Temporal server, and CPU each used over the step (/proc);
 * - the size of Vigil's database and of Temporal's (pg_database_size);
 * - notice lateness on --probe tickets of a policy published for the step (bench/notices/night.ts): its calendar
 *   opens at a whole minute T, the P1 response target is 1 business minute, so every probe warning falls at
 *   T+30 s and every breach at T+60 s, while all the other tickets wait on timers days away.
 *
 * The open tickets are under a policy of their own too: a calendar open all day, a P1 response target of a week of
 * business minutes, a warning at half: each ticket's workflow sleeps on a timer 3.5 days ahead. Every ticket's
 * acknowledgement goes to the bench's SMTP server (bench/notices/receiver.ts), as the worker's outbox sends it.
 *
 * A stack of its own (bench/chaos/stack.ts; the full Temporal server on PostgreSQL unless --temporal dev), nothing of
 * .data/ touched. A progress line every 5 s. Each step's figures are printed and appended to --results as one JSON
 * line with the command that produced them. Ctrl-C stops the run and the stack (a second one kills it); so does
 * --max-minutes, after measuring the tickets reached, its figures marked partial.
 */
import fs from 'node:fs';
import os from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { migrate } from '../db/migrate';
import { ticketWorkflowId } from '../messages/ticket';
import { ChaosStack } from './chaos/stack';
import {
  eachLimited,
  figuresOf,
  openTicket,
  seedNightCustomer,
  sleepMs,
  vigilLateness,
  type NightCustomer,
} from './notices/night';
import { startReceiver, type Receiver, type Received } from './notices/receiver';
import { OPEN_TICKETS_USAGE, parseOpenTicketsOptions } from './open-tickets/options';
import { usageOf, type Usage } from './open-tickets/usage';
import { percentile } from './stats';

if (process.argv.includes('--help')) {
  console.log(OPEN_TICKETS_USAGE);
  process.exit(0);
}
const options = parseOpenTicketsOptions(process.argv.slice(2));
const COMMAND = ['npm run bench:open-tickets --', ...process.argv.slice(2)].join(' ');

/** The open tickets' response target: a week of business minutes on an all-day calendar, a warning at half. */
const OPEN_TARGET_MINUTES = 7 * 24 * 60;
const PROBE_TARGET_MINUTES = 1;
const WARNING_PERCENT = 50;
/** T is at least this far ahead of the probe's start: room to publish its policy and open its tickets. */
const PROBE_LEAD_MS = 40_000;
/** After the probe's last breach is due, how long its notices are waited for. */
const PROBE_WAIT_MS = 120_000;
const SETTLE_MS = 5_000;
/** What a last measurement (take-charge, probe) and the stack's stop need after creation stops at --max-minutes. */
const RESERVE_MS = 5 * 60_000;
const PROGRESS_MS = 5_000;

const startedAt = Date.now();
const creationEndsAt = startedAt + options.maxMinutes * 60_000 - RESERVE_MS;
const say = (line: string) =>
  process.stderr.write(`[bench ${((Date.now() - startedAt) / 1000).toFixed(0).padStart(5)}s] ${line}\n`);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const duration = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
};

/** The 1-minute load average, sampled through a phase. */
class Loads {
  private readonly samples: number[] = [];
  sample(): void {
    this.samples.push(os.loadavg()[0]!);
  }
  figures() {
    if (this.samples.length === 0) this.sample();
    const sum = this.samples.reduce((a, b) => a + b, 0);
    const round = (value: number) => Math.round(value * 10) / 10;
    return {
      min: round(Math.min(...this.samples)),
      mean: round(sum / this.samples.length),
      max: round(Math.max(...this.samples)),
    };
  }
}

interface Run {
  stack: ChaosStack;
  vigilDb: Pool;
  temporalDb: Pool | undefined;
  temporal: Client;
  receiver: Receiver;
  api: string;
  bulk: NightCustomer;
  /** The numbers of the tickets opened, in order; those taken in charge are removed from `open`. */
  opened: string[];
  open: Set<string>;
  busy: number;
  slow: number;
  failed: number;
  unanswered: number;
}

type Parts = 'worker' | 'api' | 'temporal' | 'temporalPostgres' | 'vigilPostgres';

function usages(stack: ChaosStack): Record<Parts, Usage> {
  return {
    worker: usageOf(stack.pid('worker')),
    api: usageOf(stack.pid('api')),
    temporal: usageOf(stack.pid('temporal')),
    temporalPostgres: usageOf(stack.temporalDatabasePid),
    vigilPostgres: usageOf(stack.pid('postgres')),
  };
}

/** Opens tickets until `target` are open or creation must stop; a progress line every few seconds. */
async function openUpTo(run: Run, target: number, loads: Loads, stopped: () => boolean) {
  const from = run.opened.length;
  const began = Date.now();
  const busyBefore = run.busy;
  const slowBefore = run.slow;
  let lastCount = from;
  let lastAt = began;
  const progress = setInterval(() => {
    loads.sample();
    const now = Date.now();
    const count = run.opened.length;
    const rateNow = ((count - lastCount) * 1000) / Math.max(1, now - lastAt);
    const rateStep = ((count - from) * 1000) / Math.max(1, now - began);
    lastCount = count;
    lastAt = now;
    const eta = (left: number) => (rateStep > 0 ? duration((left / rateStep) * 1000) : '?');
    say(
      `step ${target}: opened ${count - from}/${target - from} (${count}/${options.tickets} in all), ` +
        `${rateNow.toFixed(1)}/s now, ${rateStep.toFixed(1)}/s this step, 503 busy ${run.busy}, slow ${run.slow}, 500 ${run.failed}, ` +
        `ETA step ${eta(target - count)}, all ${eta(options.tickets - count)}, load ${os.loadavg()[0]!.toFixed(1)}`,
    );
  }, PROGRESS_MS);
  try {
    await eachLimited(
      Array.from({ length: target - from }, (_, i) => from + i + 1),
      options.concurrency,
      async (n) => {
        const ticket = await openTicket(run.api, run.bulk.agentToken, run.bulk.customerId, n, Date.now() + 600_000);
        run.opened.push(ticket.ticketNumber);
        run.open.add(ticket.ticketNumber);
        run.busy += ticket.busy;
        run.slow += ticket.slow;
        run.failed += ticket.failed;
        run.unanswered += ticket.unanswered;
      },
      stopped,
    );
  } finally {
    clearInterval(progress);
  }
  const seconds = (Date.now() - began) / 1000;
  const count = run.opened.length - from;
  return {
    opened: count,
    seconds: Math.round(seconds),
    perSecond: round1(count / seconds),
    busy503: run.busy - busyBefore,
    slow503: run.slow - slowBefore,
  };
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;

/** Takes `options.sample` open tickets in charge, one after another, timing each answer. */
async function takeChargeLatency(run: Run) {
  const pool = [...run.open];
  const chosen: string[] = [];
  while (chosen.length < Math.min(options.sample, pool.length)) {
    const [picked] = pool.splice(Math.floor(Math.random() * pool.length), 1);
    chosen.push(picked!);
  }
  const times: number[] = [];
  let failed = 0;
  for (const ticket of chosen) {
    const began = Date.now();
    const response = await fetch(`${run.api}/tickets/${ticket}/take-charge`, {
      method: 'POST',
      headers: { authorization: `Bearer ${run.bulk.agentToken}`, 'content-type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(60_000),
    }).catch(() => undefined);
    await response?.text();
    if (response?.ok) {
      times.push(Date.now() - began);
      run.open.delete(ticket);
    } else failed += 1;
  }
  // One of them as Temporal keeps it: what a replay on a cache miss reads.
  const described = chosen[0]
    ? await run.temporal.workflow.getHandle(ticketWorkflowId(chosen[0])).describe()
    : undefined;
  return {
    sample: chosen.length,
    p50Ms: times.length ? percentile(times, 50) : null,
    p99Ms: times.length ? percentile(times, 99) : null,
    maxMs: times.length ? Math.max(...times) : null,
    failed,
    historyEvents: described?.historyLength ?? null,
    historyBytes: described?.historySize ?? null,
  };
}

async function databaseSizes(run: Run) {
  const size = async (db: Pool | undefined, name: string | null) => {
    if (!db) return null;
    const { rows } = await db.query<{ bytes: string }>(
      'SELECT pg_database_size(coalesce($1, current_database())) AS bytes',
      [name],
    );
    return mb(Number(rows[0]!.bytes));
  };
  return {
    vigilMb: await size(run.vigilDb, null),
    temporalMb: await size(run.temporalDb, 'temporal'),
    temporalVisibilityMb: await size(run.temporalDb, 'temporal_visibility'),
  };
}

/**
 * The step's notice probe: `options.probe` tickets under a policy published now whose warnings all fall at T+30 s and
 * breaches at T+60 s; how late each notice reached the SMTP server, measured from its ticket's planned threshold.
 */
async function probeNotices(run: Run, step: number) {
  const opensAt = Math.ceil((Date.now() + PROBE_LEAD_MS) / 60_000) * 60_000;
  const warningAt = opensAt + (PROBE_TARGET_MINUTES * 60_000 * WARNING_PERCENT) / 100;
  const breachAt = opensAt + PROBE_TARGET_MINUTES * 60_000;
  const probe = await seedNightCustomer(
    run.vigilDb,
    {
      id: `bench-open-probe-${step}-${Date.now().toString(36)}`,
      opensAt,
      targetMinutes: PROBE_TARGET_MINUTES,
      warningPercent: WARNING_PERCENT,
    },
    'probe',
  );
  // Only the probe's mails are matched: the acknowledgements of the open tickets need not be kept.
  (run.receiver.mails as Received[]).length = 0;
  await eachLimited(
    Array.from({ length: options.probe }, (_, i) => i + 1),
    Math.min(options.concurrency, options.probe),
    async (n) => void (await openTicket(run.api, probe.agentToken, probe.customerId, n, Date.now() + 600_000)),
  );
  if (Date.now() >= opensAt)
    say(
      `probe: its tickets were not all open before T (${new Date(opensAt).toISOString()}): some have later deadlines`,
    );
  say(
    `probe: ${options.probe} tickets, warnings due ${new Date(warningAt).toISOString()}, breaches ${new Date(breachAt).toISOString()}`,
  );
  const giveUpAt = breachAt + PROBE_WAIT_MS;
  for (;;) {
    const { rows } = await run.vigilDb.query<{ sent: string }>(
      `SELECT count(*) AS sent FROM outbox o JOIN tickets t ON t.number = o.ticket_number
        WHERE t.customer_id = $1 AND o.kind IN ('threshold-warning', 'breach') AND o.sent_at IS NOT NULL`,
      [probe.customerId],
    );
    const sent = Number(rows[0]!.sent);
    if (sent >= 2 * options.probe || Date.now() > giveUpAt) break;
    if (Date.now() > opensAt) say(`probe: ${sent}/${2 * options.probe} notices sent`);
    await sleepMs(PROGRESS_MS);
  }
  await sleepMs(SETTLE_MS);
  const mails = run.receiver.mails;
  const warnings = await vigilLateness(run.vigilDb, probe.customerId, mails, {
    kind: 'threshold-warning',
    percent: WARNING_PERCENT,
    sharedAt: warningAt,
  });
  const breaches = await vigilLateness(run.vigilDb, probe.customerId, mails, {
    kind: 'breach',
    percent: 100,
    sharedAt: breachAt,
  });
  const all = figuresOf([...warnings.latenessMs, ...breaches.latenessMs]);
  const queued = figuresOf([...warnings.queuedMs!, ...breaches.queuedMs!]);
  return {
    probe: options.probe,
    p50Ms: all.p50,
    p99Ms: all.p99,
    maxMs: all.max,
    queuedP50Ms: queued.p50,
    queuedP99Ms: queued.p99,
    lost: warnings.lost + breaches.lost,
    doubled: warnings.doubled + breaches.doubled,
  };
}

async function measure(
  run: Run,
  step: number,
  creation: Awaited<ReturnType<typeof openUpTo>>,
  before: Record<Parts, Usage>,
  loads: Loads,
) {
  const wall = creation.seconds;
  const after = usages(run.stack);
  const cores = (part: Parts) => round2((after[part].cpuSeconds - before[part].cpuSeconds) / Math.max(1, wall));
  const { rows } = await run.vigilDb.query<{ n: string }>('SELECT count(*) AS n FROM tickets WHERE customer_id = $1', [
    run.bulk.customerId,
  ]);
  const figures = {
    at: new Date().toISOString(),
    command: COMMAND,
    temporal: options.temporal,
    step,
    open: run.opened.length,
    partial: run.opened.length < step,
    creation: { ...creation, failed500: run.failed, unanswered: run.unanswered, concurrency: options.concurrency },
    readModelRows: Number(rows[0]!.n),
    rssMb: { worker: mb(after.worker.rssBytes), api: mb(after.api.rssBytes), temporal: mb(after.temporal.rssBytes) },
    cpuCoresDuringCreation: {
      worker: cores('worker'),
      api: cores('api'),
      temporal: cores('temporal'),
      temporalPostgres: cores('temporalPostgres'),
      vigilPostgres: cores('vigilPostgres'),
    },
    databaseMb: await databaseSizes(run),
    takeCharge: await takeChargeLatency(run),
    notices: await probeNotices(run, step),
    load: { cpus: os.cpus().length, ...loads.figures() },
    exitedOnTheirOwn: [...run.stack.unexpectedExits],
  };
  fs.appendFileSync(options.results, `${JSON.stringify(figures)}\n`);
  const c = figures.creation;
  const t = figures.takeCharge;
  const n = figures.notices;
  const d = figures.databaseMb;
  console.log(
    [
      `\n${figures.open} open tickets${figures.partial ? ` (PARTIAL: step ${step} not reached)` : ''}, Temporal ${options.temporal}:`,
      `  creation accepted  ${c.perSecond}/s over ${c.seconds} s (${c.opened} tickets, ${c.concurrency} in flight), 503 busy ${c.busy503}, 503 after the deadline ${c.slow503}, 500 ${c.failed500}`,
      `  read model rows    ${figures.readModelRows}`,
      `  take-charge        p50 ${t.p50Ms} ms, p99 ${t.p99Ms} ms, max ${t.maxMs} ms (${t.sample} tickets, ${t.failed} failed); history ${t.historyEvents} events, ${t.historyBytes} bytes`,
      `  RSS                worker ${figures.rssMb.worker} MB, API ${figures.rssMb.api} MB, Temporal server ${figures.rssMb.temporal} MB`,
      `  CPU (cores)        ${Object.entries(figures.cpuCoresDuringCreation)
        .map(([part, value]) => `${part} ${value}`)
        .join(', ')}`,
      `  databases          Vigil ${d.vigilMb} MB, Temporal ${d.temporalMb} MB + visibility ${d.temporalVisibilityMb} MB`,
      `  notice lateness    p50 ${Math.round(n.p50Ms)} ms, p99 ${Math.round(n.p99Ms)} ms, max ${Math.round(n.maxMs)} ms (${n.probe} warnings + ${n.probe} breaches; deadline -> outbox p99 ${Math.round(n.queuedP99Ms)} ms), lost ${n.lost}, doubled ${n.doubled}`,
      `  load average       ${figures.load.min} to ${figures.load.max} (mean ${figures.load.mean}) on ${figures.load.cpus} CPUs`,
      `  exited on their own ${figures.exitedOnTheirOwn.join('; ') || 'none'}`,
      `  appended to ${options.results}`,
    ].join('\n'),
  );
}

async function main(stack: ChaosStack, pools: Pool[], receiving: (receiver: Receiver) => void, stopped: () => boolean) {
  const receiver = await startReceiver();
  receiving(receiver);
  // The worker started by the stack inherits this environment: its outbox sends to the receiver.
  process.env.SMTP_URL = `smtp://127.0.0.1:${receiver.port}`;
  say(
    `${options.tickets} tickets in steps of ${options.steps.join(', ')}; Temporal ${options.temporal}; stack in ${stack.root}`,
  );
  await Promise.all([stack.start('temporal'), stack.start('postgres')]);
  const vigilDb = new Pool({ connectionString: stack.databaseUrl, max: 4 });
  pools.push(vigilDb);
  const temporalDb = stack.temporalDatabaseUrl
    ? new Pool({ connectionString: stack.temporalDatabaseUrl, max: 1 })
    : undefined;
  if (temporalDb) pools.push(temporalDb);
  await migrate(vigilDb);
  await Promise.all([stack.start('worker'), stack.start('api')]);
  const connection = await Connection.connect({ address: stack.temporalAddress });
  try {
    const bulk = await seedNightCustomer(
      vigilDb,
      {
        id: 'bench-open-tickets',
        // Open all day: a ticket's clock runs from its opening, its warning 3.5 days ahead.
        opensAt: new Date(new Date().toISOString().slice(0, 10)).getTime(),
        targetMinutes: OPEN_TARGET_MINUTES,
        warningPercent: WARNING_PERCENT,
      },
      'open',
    );
    const run: Run = {
      stack,
      vigilDb,
      temporalDb,
      temporal: new Client({ connection }),
      receiver,
      api: `${stack.apiUrl}/v1`,
      bulk,
      opened: [],
      open: new Set(),
      busy: 0,
      slow: 0,
      failed: 0,
      unanswered: 0,
    };
    say(
      `stack up; creation stops at ${new Date(creationEndsAt).toISOString()} at the latest (--max-minutes ${options.maxMinutes})`,
    );
    for (const step of options.steps) {
      const loads = new Loads();
      const before = usages(stack);
      const creation = await openUpTo(run, step, loads, () => stopped() || Date.now() > creationEndsAt);
      if (stopped()) return;
      await measure(run, step, creation, before, loads);
      if (run.opened.length < step) break;
    }
  } finally {
    await connection.close();
  }
}

void (async () => {
  const stack = await ChaosStack.create({ temporal: options.temporal });
  const pools: Pool[] = [];
  let receiver: Receiver | undefined;
  let interrupted = false;
  const stopAll = async () => {
    await Promise.all(pools.map((pool) => pool.end().catch(() => undefined)));
    await stack.stopAll({ keepLogs: options.keepLogs });
    await receiver?.close();
  };
  process.on('SIGINT', () => {
    if (interrupted) {
      stack.killAllNow();
      process.exit(130);
    }
    interrupted = true;
    say('Ctrl-C: stopping the stack (Ctrl-C again kills it); the steps measured are in the results file');
    void stopAll()
      .catch(() => stack.killAllNow())
      .finally(() => process.exit(130));
  });
  // The guard: whatever happens, the run ends within --max-minutes and a few more, and takes its processes with it.
  const guard = setTimeout(
    () => {
      say(`--max-minutes ${options.maxMinutes} passed by 5 minutes: killing the stack`);
      stack.killAllNow();
      process.exit(2);
    },
    (options.maxMinutes + 5) * 60_000,
  );
  try {
    await main(
      stack,
      pools,
      (started) => (receiver = started),
      () => interrupted,
    );
    if (!interrupted) await stopAll();
  } catch (error) {
    console.error(error);
    await stopAll().catch(() => stack.killAllNow());
    process.exitCode = 1;
  } finally {
    clearTimeout(guard);
  }
})();
