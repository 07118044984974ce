/**
 * `npm run chaos`: the fault scenarios of bench/chaos/scenarios/ on a Vigil of the run's own (bench/chaos/stack.ts), each bounded in
 * requests and time, then a check against PostgreSQL and Temporal that no accepted ticket or applied action was lost
 * or doubled. Prints its figures; exits 0 only if nothing was lost or doubled, no 500 came and every check held.
 * Everything it started is stopped on the way out, on an error and on Ctrl-C. `--temporal=full` runs it on the full
 * Temporal server on PostgreSQL (infra/temporal-server.ts), whose restart stops and starts its database too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { temporalChoice } from '../../infra/temporal';
import { startReceiver, type Receiver } from '../notices/receiver';
import { seedAccounts } from './accounts';
import { checkActions, FINAL } from './check-actions';
import { checkNotices } from './check-notices';
import { checkOpenings } from './check-openings';
import { ChaosClient } from './client';
import type { ChaosContext, Scenario } from './context';
import { Ledger } from './ledger';
import { report } from './report';
import { apiKilled } from './scenarios/api-killed';
import { concurrentActions } from './scenarios/concurrent-actions';
import { postgresRestart, temporalRestart } from './scenarios/dependency-restart';
import { idempotentRetries } from './scenarios/idempotent-retries';
import { poisonText } from './scenarios/poison-text';
import { workerKilled } from './scenarios/worker-killed';
import { ChaosStack, type Part } from './stack';
import { Verdicts } from './verdicts';

const SCENARIOS: Scenario[] = [
  concurrentActions,
  workerKilled,
  apiKilled,
  postgresRestart,
  temporalRestart,
  poisonText,
  idempotentRetries,
];
/** Each scenario bounds its own requests; this bounds a scenario that hangs all the same. */
const SCENARIO_LIMIT_MS = 4 * 60_000;
const PARTS: Part[] = ['postgres', 'temporal', 'worker', 'api'];

const say = (line: string) => process.stderr.write(`[chaos] ${line}\n`);

function withLimit<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what} still running after ${ms / 1000} s`)), ms)),
  );
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

/** A part that died on its own (a finding, kept in stack.unexpectedExits) is started again, so the next scenario can run. */
async function restartDead(stack: ChaosStack): Promise<void> {
  for (const part of PARTS) {
    if (stack.alive(part)) continue;
    say(`${part} is not running: starting it again`);
    await stack.start(part);
  }
}

async function finalCheck(context: ChaosContext, verdicts: Verdicts, receiver: Receiver): Promise<void> {
  const db = new Pool({ connectionString: context.stack.databaseUrl });
  db.on('error', () => undefined);
  const connection = await Connection.connect({ address: context.stack.temporalAddress });
  try {
    const temporal = new Client({ connection });
    await checkActions({ client: context.client, ledger: context.ledger, temporal, db, verdicts });
    await checkOpenings({ ledger: context.ledger, temporal, db, verdicts, customerId: context.customerId });
    await checkNotices({ ledger: context.ledger, db, verdicts, customerId: context.customerId, receiver });
  } finally {
    await connection.close();
    await db.end();
  }
}

async function main(stack: ChaosStack, receiver: Receiver): Promise<boolean> {
  const started = Date.now();
  say(
    `starting a stack of its own in ${stack.root} (API on ${stack.ports.api}, Temporal (${stack.temporalChoice === 'full' ? 'the full server' : 'the dev server'}) on ${stack.ports.temporal}, PostgreSQL on ${stack.ports.postgres})`,
  );
  await Promise.all([stack.start('temporal'), stack.start('postgres')]);
  const { customerId, tokens } = await seedAccounts(stack.databaseUrl);
  await Promise.all([stack.start('worker'), stack.start('api')]);
  const ledger = new Ledger();
  const context: ChaosContext = { stack, ledger, customerId, client: new ChaosClient(stack.apiUrl, tokens, ledger) };
  say(`stack up in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  for (const scenario of SCENARIOS) {
    const scenarioStart = Date.now();
    say(`${scenario.name}…`);
    try {
      await withLimit(scenario.run(context), SCENARIO_LIMIT_MS, scenario.name);
    } catch (error) {
      ledger.fail(scenario.name, `stopped by an error: ${error instanceof Error ? error.message : String(error)}`);
    }
    say(`${scenario.name}: done in ${((Date.now() - scenarioStart) / 1000).toFixed(1)} s`);
    await restartDead(stack);
  }

  say('final check against PostgreSQL and Temporal…');
  const verdicts = new Verdicts();
  try {
    await withLimit(finalCheck(context, verdicts, receiver), SCENARIO_LIMIT_MS, FINAL);
  } catch (error) {
    ledger.fail(FINAL, `stopped by an error: ${error instanceof Error ? error.message : String(error)}`);
  }
  for (const exit of stack.unexpectedExits) ledger.fail(FINAL, exit);
  const { text, passed } = report(ledger, verdicts, Date.now() - started);
  if (!passed) fs.writeFileSync(path.join(stack.logDir, 'ledger.json'), JSON.stringify(ledger, null, 1));
  process.stdout.write(
    `\n${text}\n${passed ? '' : `the ledger and the logs of the stack's processes, kept: ${stack.logDir}\n`}`,
  );
  return passed;
}

async function run(): Promise<void> {
  // The worker's mails go to an SMTP server of the run's own, where the final check counts them (check-notices.ts).
  const receiver = await startReceiver();
  const stack = await ChaosStack.create({
    temporal: temporalChoice(process.argv.slice(2)),
    env: { SMTP_URL: `smtp://127.0.0.1:${receiver.port}` },
  });
  let stopping: Promise<void> | undefined;
  let passed = false;
  // The logs are kept for a run that failed or was cut short: they are where a finding is read.
  const stopStack = () => (stopping ??= stack.stopAll({ keepLogs: !passed }).catch(() => stack.killAllNow()));
  // Whatever way out: a signal stops the stack and exits; on exit, whatever is still running has its group killed.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      say(`${signal}: stopping the stack`);
      void stopStack().finally(() => process.exit(130));
    });
  }
  process.on('exit', () => stack.killAllNow());
  try {
    passed = await main(stack, receiver);
  } catch (error) {
    say(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    say('stopping the stack…');
    await stopStack();
    await receiver.close();
  }
  process.exit(passed ? 0 : 1);
}

void run();
