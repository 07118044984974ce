/**
 * `npm run bench:scale -- [--workers 1|2] [--window S]`: the figures of a Vigil under load beside a bare Temporal
 * workflow with the same timer, Update and Query (bench/lifecycle/bare-workflow.ts) on the same dev server, measured
 * side by side in one run: opening a ticket with one caller (p50, p99), the openings accepted per second with 16
 * callers over a fixed window, how many of those the worker processed in that window, how long the read model stays
 * behind once the burst ends, and reading a running ticket (p50, p99). Each side runs as many workers as --workers
 * says, each a process of its own, and Vigil's API is api/server.ts as deployed, back-pressure included: an opening
 * refused as busy is counted apart, never as accepted. Prints the figures, their ratios and their targets beside the
 * machine's load average; asserts nothing.
 *
 * BENCH_SAMPLES (default 100) sets how many single-caller openings and reads of each side are timed.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { Pool } from 'pg';
import type { ManagedProcess } from '../infra/managed-process';
import { freePort, portIsOpen } from '../scripts/ports';
import { seedAccounts } from './chaos/accounts';
import { OPENING_CONTACT } from './chaos/actions';
import { sleep } from './chaos/client';
import { WORKER_PARTS, type ChaosStack } from './chaos/stack';
import { runWithStack, startNode } from './bench-run';
import { percentile } from './stats';

const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);

function option(name: string, fallback: number, allowed?: number[]): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1 || (allowed && !allowed.includes(value)))
    throw new Error(`--${name} takes ${allowed ? allowed.join(' or ') : 'a positive integer'}`);
  return value;
}

const WORKERS = option('workers', 1, [1, 2]);
const WINDOW_S = option('window', 20);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100);
const CALLERS = 16;
const WARM_UP = 5;

interface Answer {
  status: number;
  body: Record<string, unknown>;
  ms: number;
  /** Retry-After, in seconds, when the answer says when to come back. */
  retryAfterS?: number;
}

async function call(method: 'GET' | 'POST', url: string, body?: unknown, token?: string): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(url, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const retryAfter = response.headers.get('retry-after');
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    ms: performance.now() - started,
    ...(retryAfter === null ? {} : { retryAfterS: Number(retryAfter) }),
  };
}

type Opened = Answer & { ref?: string; revision?: number };

/** A side of the comparison: how it opens a ticket and reads one, through its own HTTP API. */
interface Side {
  /** Opens one; the answer's ticket is named by `ref` when it was accepted. */
  open(): Promise<Opened>;
  read(ref: string): Promise<Answer>;
}

function expectStatus(answer: Answer, status: number, what: string): Answer {
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer;
}

const loadAverage = () =>
  os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(' / ');

/** Sequential calls, alternating the two sides so that a busy moment of the machine falls on both. */
async function alternate(
  samples: number,
  vigil: () => Promise<Answer>,
  bare: () => Promise<Answer>,
): Promise<{ vigil: number[]; bare: number[] }> {
  const times = { vigil: [] as number[], bare: [] as number[] };
  for (let i = 0; i < samples; i += 1) {
    times.vigil.push((await vigil()).ms);
    times.bare.push((await bare()).ms);
  }
  return times;
}

interface Burst {
  accepted: Array<{ ref: string; revision?: number }>;
  refusedBusy: number;
  /** Every other answer, by status and problem type (0: no answer at all). */
  other: Map<string, number>;
  /** The last detail each kind of other answer gave. */
  details: Map<string, string>;
}

/** CALLERS callers opening tickets back to back for WINDOW_S seconds; what each answer was. */
async function burst(side: Side): Promise<Burst> {
  const result: Burst = { accepted: [], refusedBusy: 0, other: new Map(), details: new Map() };
  const end = Date.now() + WINDOW_S * 1_000;
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (Date.now() < end) {
        const answer = await side.open().catch((): Opened => ({ status: 0, body: {}, ms: 0 }));
        if (answer.status === 201 && answer.ref)
          result.accepted.push({
            ref: answer.ref,
            ...(answer.revision === undefined ? {} : { revision: answer.revision }),
          });
        else if (answer.status === 503 && String(answer.body.type).endsWith('/busy')) {
          result.refusedBusy += 1;
          // A caller told to come back does so when Retry-After says, as a client should.
          await sleep(Math.min((answer.retryAfterS ?? 1) * 1_000, end - Date.now()));
        } else {
          const kind = `${answer.status} ${typeof answer.body.type === 'string' ? answer.body.type : ''}`.trim();
          result.other.set(kind, (result.other.get(kind) ?? 0) + 1);
          if (typeof answer.body.detail === 'string') result.details.set(kind, answer.body.detail);
        }
      }
    }),
  );
  return result;
}

async function main(stack: ChaosStack, extra: ManagedProcess[]): Promise<void> {
  say(`starting Vigil and a bare baseline with ${WORKERS} worker(s) each in ${stack.root}`);
  await Promise.all([stack.start('temporal'), stack.start('postgres')]);
  const { customerId, tokens } = await seedAccounts(stack.databaseUrl);
  await Promise.all([...WORKER_PARTS.slice(0, WORKERS).map((part) => stack.start(part)), stack.start('api')]);
  const barePort = await freePort();
  const temporalEnv = { TEMPORAL_ADDRESS: stack.temporalAddress };
  for (let i = 0; i < WORKERS; i += 1)
    extra.push(
      await startNode(
        `bare worker ${i + 1}`,
        'bench/lifecycle/bare-worker.ts',
        temporalEnv,
        () => false,
        'worker polling',
      ),
    );
  extra.push(
    await startNode('bare api', 'bench/lifecycle/bare-api.ts', { ...temporalEnv, PORT: String(barePort) }, () =>
      portIsOpen(barePort),
    ),
  );
  const db = new Pool({ connectionString: stack.databaseUrl, max: 2 });

  const vigilUrl = `${stack.apiUrl}/v1`;
  const bareUrl = `http://127.0.0.1:${barePort}`;
  const vigil: Side = {
    async open() {
      const answer = await call(
        'POST',
        `${vigilUrl}/tickets`,
        {
          customerId,
          priority: 'P3',
          title: 'Printer prints blank pages',
          description: 'Benchmark ticket.',
          contact: OPENING_CONTACT,
        },
        tokens.agent,
      );
      return {
        ...answer,
        ref: answer.body.ticketNumber as string | undefined,
        revision: answer.body.revision as number | undefined,
      };
    },
    read: (ref) => call('GET', `${vigilUrl}/tickets/${ref}`, undefined, tokens.agent),
  };
  const bare: Side = {
    async open() {
      const id = `bare-${randomUUID()}`;
      return { ...(await call('POST', `${bareUrl}/bare/${id}`, {})), ref: id };
    },
    read: (ref) => call('GET', `${bareUrl}/bare/${ref}`),
  };
  const loads = [`start ${loadAverage()}`];

  say(`warming up (${WARM_UP} of each)`);
  for (let i = 0; i < WARM_UP; i += 1)
    await alternate(
      1,
      () => vigil.open(),
      () => bare.open(),
    );

  say(`opening ${SAMPLES} tickets of each, one caller, alternating`);
  const opened = { vigil: [] as string[], bare: [] as string[] };
  const create = await alternate(
    SAMPLES,
    async () => {
      const answer = await vigil.open();
      opened.vigil.push(expectStatus(answer, 201, 'opening a Vigil ticket').body.ticketNumber as string);
      return answer;
    },
    async () => {
      const answer = await bare.open();
      opened.bare.push(expectStatus(answer, 201, 'opening a bare ticket') && answer.ref!);
      return answer;
    },
  );

  say(`reading ${SAMPLES} running tickets of each, one caller, alternating`);
  let read = 0;
  const reads = await alternate(
    SAMPLES,
    () =>
      vigil
        .read(opened.vigil[read % opened.vigil.length]!)
        .then((answer) => expectStatus(answer, 200, 'reading a Vigil ticket')),
    () =>
      bare
        .read(opened.bare[(read += 1) % opened.bare.length]!)
        .then((answer) => expectStatus(answer, 200, 'reading a bare ticket')),
  );
  loads.push(`after the single caller ${loadAverage()}`);

  // The bare burst first: Vigil's leaves work behind for its worker, which would otherwise run during the bare one.
  say(`bare: ${CALLERS} callers opening for ${WINDOW_S} s`);
  const bareBurst = await burst(bare);
  say(`vigil: ${CALLERS} callers opening for ${WINDOW_S} s`);
  const vigilBurst = await burst(vigil);
  loads.push(`end of the bursts ${loadAverage()}`);

  /** Tickets of the burst the read model holds at the revision their opening answered, or later: processed. */
  const numbers = vigilBurst.accepted.map(({ ref }) => ref);
  const wanted = new Map(vigilBurst.accepted.map(({ ref, revision }) => [ref, revision ?? 1]));
  const caughtUp = async () => {
    const { rows } = await db.query<{ number: string; revision: number }>(
      'SELECT number, revision FROM tickets WHERE number = ANY($1)',
      [numbers],
    );
    return rows.filter((row) => row.revision >= wanted.get(row.number)!).length;
  };
  const processedInWindow = await caughtUp();
  const burstEnded = performance.now();
  let lastSaid = 0;
  for (let done = processedInWindow; done < numbers.length; done = await caughtUp()) {
    if (performance.now() - lastSaid > 5_000) {
      say(`read model: ${done} of ${numbers.length} tickets of the burst written`);
      lastSaid = performance.now();
    }
    await sleep(250);
  }
  const behindS = (performance.now() - burstEnded) / 1_000;
  loads.push(`read model caught up ${loadAverage()}`);
  await db.end();

  const rate = (count: number) => count / WINDOW_S;
  const cell = (value: number | undefined) =>
    (value === undefined ? '-' : Number.isInteger(value) ? String(value) : value.toFixed(1)).padStart(10);
  const rows: Array<[string, number | undefined, number | undefined, string]> = [
    ['create, 1 caller, p50 ms', percentile(create.vigil, 50), percentile(create.bare, 50), 'ratio <= 1.3'],
    ['create, 1 caller, p99 ms', percentile(create.vigil, 99), percentile(create.bare, 99), 'ratio <= 1.5'],
    [
      `creations accepted /s (${CALLERS} callers)`,
      rate(vigilBurst.accepted.length),
      rate(bareBurst.accepted.length),
      'ratio >= 0.8',
    ],
    ['  refused busy (503) in the window', vigilBurst.refusedBusy, bareBurst.refusedBusy, ''],
    [
      'tickets processed in the window /s',
      rate(processedInWindow),
      undefined,
      `>= ${rate(vigilBurst.accepted.length).toFixed(1)} (accepted)`,
    ],
    ['read model behind after the burst s', behindS, undefined, '< 5'],
    ['GET a running ticket, p50 ms', percentile(reads.vigil, 50), percentile(reads.bare, 50), 'ratio <= 1.3'],
    ['GET a running ticket, p99 ms', percentile(reads.vigil, 99), percentile(reads.bare, 99), 'ratio <= 1.5'],
  ];
  console.log(
    `Vigil beside a bare workflow on one Temporal dev server, ${WORKERS} worker(s) each, ${SAMPLES} single-caller samples, ${WINDOW_S} s window, ${os.cpus().length} cores`,
  );
  console.log(`load average (1 / 5 / 15 min): ${loads.join('; ')}\n`);
  console.log(`${'figure'.padEnd(38)}${'vigil'.padStart(10)}${'bare'.padStart(10)}${'ratio'.padStart(10)}  target`);
  for (const [name, ours, baseline, target] of rows) {
    // A ratio only where the target is one: the other rows have no baseline to divide by.
    const ratio = target.startsWith('ratio') && ours !== undefined && baseline ? (ours / baseline).toFixed(2) : '-';
    console.log(`${name.padEnd(38)}${cell(ours)}${cell(baseline)}${ratio.padStart(10)}  ${target}`);
  }
  for (const [side, { other, details }] of [
    ['vigil', vigilBurst],
    ['bare', bareBurst],
  ] as const) {
    for (const [kind, count] of other)
      console.log(`${side}: ${count} other answers ${kind}${details.has(kind) ? `: ${details.get(kind)}` : ''}`);
  }
}

runWithStack(main);
