/**
 * `npm run bench:lifecycle`: what one ticket lifecycle costs in Vigil beside a bare Temporal workflow with the same
 * timer, Updates and Query (bench/lifecycle/bare-workflow.ts), measured side by side in one run on one machine:
 * history events, workflow tasks and activities per lifecycle (read from each workflow's history), worker CPU per
 * lifecycle (each worker is a process of its own: its user + system time from /proc, before and after) and its split
 * by thread (bench/process-threads.ts), each worker's CPU per second while idle beforehand (with how long a lifecycle
 * took, to see its share), and the latency of taking charge and of proposing a resolution through each one's HTTP
 * API (e-connect's policy does not validate a proposal itself, so Vigil's proposal asks for no new plan). Lifecycles
 * alternate, Vigil's then the bare one, so that a busy moment of the machine falls on both. Prints the figures and
 * their ratios; asserts nothing.
 *
 * The targets: worker CPU per lifecycle at most 1.5x bare, take-charge median at most 1.3x bare.
 * BENCH_LIFECYCLES (default 30) sets how many of each.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { ticketWorkflowId } from '../messages/ticket';
import type { ManagedProcess } from '../infra/managed-process';
import { freePort, portIsOpen } from '../scripts/ports';
import { seedAccounts } from './chaos/accounts';
import { OPENING_CONTACT } from './chaos/actions';
import type { ChaosStack } from './chaos/stack';
import { runWithStack, startNode } from './bench-run';
import { cpuByRole, readThreads, THREAD_ROLES } from './process-threads';
import { median, percentile } from './stats';

const LIFECYCLES = Number(process.env.BENCH_LIFECYCLES ?? 30);
const WARM_UP = 3;
/** BENCH_IDLE_SECONDS (default 10): how long each worker's CPU is read with nothing to do, before the lifecycles. */
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 10);
const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);

/** Clock ticks of user + system time a process has used (fields 14 and 15 of /proc/<pid>/stat; 100 per second on Linux). */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  ms: number;
}

interface Caller {
  post(path: string, body: unknown, token?: string): Promise<Answer>;
}

function caller(baseUrl: string, defaultToken?: string): Caller {
  return {
    async post(route, body, token = defaultToken) {
      const started = performance.now();
      const response = await fetch(`${baseUrl}${route}`, {
        method: 'POST',
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const answer: Answer = {
        status: response.status,
        body: (await response.json()) as Record<string, unknown>,
        ms: performance.now() - started,
      };
      if (response.status >= 300) throw new Error(`${route}: ${response.status} ${JSON.stringify(answer.body)}`);
      return answer;
    },
  };
}

interface HistoryFigures {
  events: number;
  workflowTasks: number;
  activities: number;
}

async function historyFigures(temporal: Client, workflowId: string): Promise<HistoryFigures> {
  const handle = temporal.workflow.getHandle(workflowId);
  await handle.result();
  const events = (await handle.fetchHistory()).events ?? [];
  const count = (key: string) => events.filter((event) => (event as Record<string, unknown>)[key] != null).length;
  return {
    events: events.length,
    workflowTasks: count('workflowTaskCompletedEventAttributes'),
    activities: count('activityTaskScheduledEventAttributes') + count('markerRecordedEventAttributes'),
  };
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

async function main(stack: ChaosStack, extra: ManagedProcess[]): Promise<void> {
  say(`starting Vigil and a bare baseline in ${stack.root}`);
  await Promise.all([stack.start('temporal'), stack.start('postgres')]);
  const { customerId, tokens } = await seedAccounts(stack.databaseUrl);
  await Promise.all([stack.start('worker'), stack.start('api')]);
  const barePort = await freePort();
  const temporalEnv = { TEMPORAL_ADDRESS: stack.temporalAddress };
  extra.push(
    await startNode('bare worker', 'bench/lifecycle/bare-worker.ts', temporalEnv, () => false, 'worker polling'),
  );
  extra.push(
    await startNode('bare api', 'bench/lifecycle/bare-api.ts', { ...temporalEnv, PORT: String(barePort) }, () =>
      portIsOpen(barePort),
    ),
  );

  const connection = await Connection.connect({ address: stack.temporalAddress });
  const temporal = new Client({ connection });
  const vigil = caller(`${stack.apiUrl}/v1`, tokens.agent);
  const bare = caller(`http://127.0.0.1:${barePort}`);

  /** A lifecycle's workflow and the latency of two of its actions: taking charge, and proposing. */
  interface Lifecycle {
    workflowId: string;
    takeChargeMs: number;
    proposeMs: number;
  }
  const vigilLifecycle = async (): Promise<Lifecycle> => {
    const opened = await vigil.post('/tickets', {
      customerId,
      priority: 'P3',
      title: 'Printer prints blank pages',
      description: 'Benchmark ticket.',
      contact: OPENING_CONTACT,
    });
    const ticket = `/tickets/${opened.body.ticketNumber as string}`;
    const { ms } = await vigil.post(`${ticket}/take-charge`, { agent: 'marc' });
    await vigil.post(`${ticket}/time-entries`, {
      agent: 'marc',
      start: '2026-11-02T10:00:00+01:00',
      end: '2026-11-02T11:00:00+01:00',
    });
    const proposed = await vigil.post(`${ticket}/propose-resolution`, {
      agent: 'marc',
      resolution: 'Driver reinstalled',
    });
    await vigil.post(`${ticket}/validate`, { contact: OPENING_CONTACT.email }, tokens.customer);
    return {
      workflowId: ticketWorkflowId(opened.body.ticketNumber as string),
      takeChargeMs: ms,
      proposeMs: proposed.ms,
    };
  };
  const bareLifecycle = async (): Promise<Lifecycle> => {
    const id = `bare-${randomUUID()}`;
    await bare.post(`/bare/${id}`, {});
    const { ms } = await bare.post(`/bare/${id}/take-charge`, {});
    await bare.post(`/bare/${id}/time-entries`, {});
    const proposed = await bare.post(`/bare/${id}/propose-resolution`, {});
    await bare.post(`/bare/${id}/validate`, {});
    return { workflowId: id, takeChargeMs: ms, proposeMs: proposed.ms };
  };

  say(`warming up (${WARM_UP} of each)`);
  for (let i = 0; i < WARM_UP; i += 1)
    await Promise.all(
      [vigilLifecycle(), bareLifecycle()].map((run) => run.then((done) => historyFigures(temporal, done.workflowId))),
    );

  const workerPid = { vigil: stack.pid('worker')!, bare: extra[0]!.child.pid! };
  // What each worker spends with no ticket to work on (pollers, the dispatchers' polls): part of every figure below,
  // in proportion to how long the lifecycles take on this machine, and read apart so that it is not taken for theirs.
  say(`idle for ${IDLE_SECONDS} s`);
  const idleBefore = { vigil: cpuMs(workerPid.vigil), bare: cpuMs(workerPid.bare) };
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
  const idlePerSecond = {
    vigil: (cpuMs(workerPid.vigil) - idleBefore.vigil) / IDLE_SECONDS,
    bare: (cpuMs(workerPid.bare) - idleBefore.bare) / IDLE_SECONDS,
  };
  const started = performance.now();
  const cpuBefore = { vigil: cpuMs(workerPid.vigil), bare: cpuMs(workerPid.bare) };
  const threadsBefore = { vigil: readThreads(workerPid.vigil), bare: readThreads(workerPid.bare) };
  const runs = { vigil: [] as Lifecycle[], bare: [] as Lifecycle[] };
  say(`${LIFECYCLES} lifecycles of each, alternating`);
  for (let i = 0; i < LIFECYCLES; i += 1) {
    runs.vigil.push(await vigilLifecycle());
    runs.bare.push(await bareLifecycle());
  }
  // A lifecycle's work ends with its workflow: wait for every one before reading the CPU time spent.
  const figures = {
    vigil: await Promise.all(runs.vigil.map(({ workflowId }) => historyFigures(temporal, workflowId))),
    bare: await Promise.all(runs.bare.map(({ workflowId }) => historyFigures(temporal, workflowId))),
  };
  const secondsPerLifecycle = (performance.now() - started) / 1000 / LIFECYCLES;
  const cpuPerLifecycle = {
    vigil: (cpuMs(workerPid.vigil) - cpuBefore.vigil) / LIFECYCLES,
    bare: (cpuMs(workerPid.bare) - cpuBefore.bare) / LIFECYCLES,
  };
  const threadCpu = {
    vigil: cpuByRole(workerPid.vigil, threadsBefore.vigil, readThreads(workerPid.vigil)),
    bare: cpuByRole(workerPid.bare, threadsBefore.bare, readThreads(workerPid.bare)),
  };
  await connection.close();

  const rows: Array<[string, number, number, string?]> = [
    [
      'worker CPU ms / s idle',
      idlePerSecond.vigil,
      idlePerSecond.bare,
      `a lifecycle of each every ${secondsPerLifecycle.toFixed(1)} s`,
    ],
    ['history events / lifecycle', mean(figures.vigil.map((f) => f.events)), mean(figures.bare.map((f) => f.events))],
    [
      'workflow tasks / lifecycle',
      mean(figures.vigil.map((f) => f.workflowTasks)),
      mean(figures.bare.map((f) => f.workflowTasks)),
    ],
    [
      'activities / lifecycle',
      mean(figures.vigil.map((f) => f.activities)),
      mean(figures.bare.map((f) => f.activities)),
    ],
    ['worker CPU ms / lifecycle', cpuPerLifecycle.vigil, cpuPerLifecycle.bare, 'target <= 1.5x'],
    // Where it goes: the sandbox's share beside the main thread's says whether the workflow or its activities cost.
    ...THREAD_ROLES.map(({ role, label }): [string, number, number] => [
      `  ${label}`,
      threadCpu.vigil[role] / LIFECYCLES,
      threadCpu.bare[role] / LIFECYCLES,
    ]),
    [
      'take-charge median ms',
      median(runs.vigil.map((r) => r.takeChargeMs)),
      median(runs.bare.map((r) => r.takeChargeMs)),
      'target <= 1.3x',
    ],
    [
      'take-charge p90 ms',
      percentile(
        runs.vigil.map((r) => r.takeChargeMs),
        90,
      ),
      percentile(
        runs.bare.map((r) => r.takeChargeMs),
        90,
      ),
    ],
    [
      'propose median ms',
      median(runs.vigil.map((r) => r.proposeMs)),
      median(runs.bare.map((r) => r.proposeMs)),
      'no replan: the policy does not auto-validate',
    ],
  ];
  const WIDTH = Math.max(...rows.map(([name]) => name.length)) + 2;
  const cell = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1)).padStart(9);
  console.log(
    `one ticket lifecycle (open, take charge, log time, propose, validate), ${LIFECYCLES} of each, same run\n`,
  );
  console.log(`${'figure'.padEnd(WIDTH)}${'vigil'.padStart(9)}${'bare'.padStart(9)}${'ratio'.padStart(9)}`);
  for (const [name, ours, baseline, target] of rows) {
    const ratio = baseline > 0 ? `${(ours / baseline).toFixed(2)}x` : '-';
    console.log(
      `${name.padEnd(WIDTH)}${cell(ours)}${cell(baseline)}${ratio.padStart(9)}${target ? `  ${target}` : ''}`,
    );
  }
}

runWithStack(main);
