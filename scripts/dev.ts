/**
 * `npm run dev`: Temporal (Web UI on 8233: the dev server, or with `-- --temporal=full` or VIGIL_TEMPORAL=full the
 * full server on a PostgreSQL of its own, built first if it is not yet; infra/temporal.ts), PostgreSQL, Mailpit (the
 * SMTP capture the notices go to, UI on 8025),
 * the worker, the API and the inbound mail process (its SMTP listener on 2525) on one machine, stopped together on Ctrl-C or SIGTERM with data kept in .data/ for the next
 * start. TEMPORAL_ADDRESS, DATABASE_URL or SMTP_URL, when set, point at servers that are already running, and none
 * is started for them. A worker or API that crashes is started
 * again with backoff, alone; one that keeps crashing at start, or a server that exits, stops everything.
 */
import path from 'node:path';
import { startEmbeddedPostgres } from '../infra/embedded-postgres';
import { startMailpit } from '../infra/mailpit';
import {
  startProcess,
  supervise,
  superviseUntilSignalled,
  waitUntil,
  type SupervisedProcess,
} from '../infra/managed-process';
import { portIsOpen } from './ports';
import { startTemporal, temporalChoice, type RunningTemporal } from '../infra/temporal';
import { ensureDevAccounts } from './dev-accounts';
import { DEV_PASSWORD, DEV_PEOPLE, ensureDevPeople } from './dev-people';
import { ensureTemporalServer } from './temporal-server-build';
import { workerNodeArguments } from '../worker/workflow-stack-traces';

const repoRoot = path.resolve(__dirname, '..');
const dataDir = path.join(repoRoot, '.data');
const numberFromEnv = (name: string, fallback: number) => Number(process.env[name] || fallback);

const apps: SupervisedProcess[] = [];
let temporal: RunningTemporal | undefined;
let stopping = false;

// The API and worker first, so that they finish their work against servers that are still up; then every other
// process started (the servers, one still starting included).
const stopAll = superviseUntilSignalled(async () => {
  stopping = true;
  process.stderr.write('\nstopping Vigil…\n');
  await Promise.all(apps.map((app) => app.stop()));
  // The full server before its database, which the generic stop below would stop at the same time.
  await temporal?.stop();
});

/** A process of the repository run as its npm script runs it: `entry` with tsx, or `args` (the worker's). */
function node(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  args = ['--import', 'tsx', path.join(repoRoot, entry)],
): SupervisedProcess {
  const app = supervise(name, () =>
    startProcess(name, process.execPath, args, {
      cwd: repoRoot,
      env: { ...process.env, ...env },
    }),
  );
  void app.gaveUp.then(() => void stopAll(1));
  return app;
}

/** A server the stack cannot run without: if it exits, everything stops (its data folder and port are the next start's). */
function essential(name: string, exited: Promise<number | null>): void {
  void exited.then((code) => {
    if (stopping) return;
    process.stderr.write(`${name} exited unexpectedly (${code}); stopping everything\n`);
    void stopAll(1);
  });
}

async function main(): Promise<void> {
  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  let temporalUi = 'the Web UI of your Temporal server';
  if (!temporalAddress) {
    const choice = temporalChoice();
    if (choice === 'full') ensureTemporalServer();
    temporal = await startTemporal(choice, {
      port: numberFromEnv('TEMPORAL_PORT', 7233),
      uiPort: numberFromEnv('TEMPORAL_UI_PORT', 8233),
      dataDir: path.join(dataDir, 'temporal'),
      postgresPort: numberFromEnv('VIGIL_TEMPORAL_PG_PORT', 54330),
      // Temporal warns a lot while it starts and stops; errors are what a developer needs to see (the dev server
      // writes level=ERROR, the full server JSON).
      onLine: (line) => {
        if (!stopping && /level=ERROR|"level":"(error|dpanic|panic|fatal)"/.test(line))
          process.stderr.write(`[temporal] ${line}\n`);
      },
    });
    for (const part of temporal.processes) essential(part.name, part.exited);
    temporalAddress = temporal.address;
    temporalUi = temporal.uiUrl!;
  }

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const postgres = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, 'postgres'),
      port: numberFromEnv('VIGIL_PG_PORT', 54329),
      onLine: (line) => {
        if (/ERROR|FATAL|PANIC/.test(line)) process.stderr.write(`[postgres] ${line}\n`);
      },
    });
    essential('postgres', postgres.process.exited);
    databaseUrl = postgres.url;
  }

  let smtpUrl = process.env.SMTP_URL;
  let mailUi = 'the web UI of your SMTP server, if it has one';
  if (!smtpUrl) {
    const mailpit = await startMailpit({
      smtpPort: numberFromEnv('MAILPIT_SMTP_PORT', 1025),
      uiPort: numberFromEnv('MAILPIT_UI_PORT', 8025),
      dbFile: path.join(dataDir, 'mailpit', 'mailpit.db'),
      onLine: (line) => {
        if (!stopping) process.stderr.write(`[mailpit] ${line}\n`);
      },
    });
    essential('mailpit', mailpit.process.exited);
    smtpUrl = mailpit.smtpUrl;
    mailUi = mailpit.uiUrl;
  }
  // The desk's addresses per escalation level (mail/desk-roles.ts): the worker resolves notices with them, the API and
  // the dev accounts below check contracts against them. A catch-all, so that every level reaches the capture.
  process.env.VIGIL_DESK_ROLES ||= '*=desk@vigil.localhost';

  const apiPort = numberFromEnv('PORT', 3000);
  // The worker serves its SDK metrics here; the API appends them to its own /metrics.
  const workerMetrics = `127.0.0.1:${numberFromEnv('VIGIL_WORKER_METRICS_PORT', 9464)}`;
  const env = {
    TEMPORAL_ADDRESS: temporalAddress,
    DATABASE_URL: databaseUrl,
    PORT: String(apiPort),
    VIGIL_WORKER_METRICS_ADDRESS: workerMetrics,
    VIGIL_WORKER_METRICS_URL: `http://${workerMetrics}/metrics`,
    SMTP_URL: smtpUrl,
    VIGIL_PUBLIC_URL: process.env.VIGIL_PUBLIC_URL || `http://localhost:${apiPort}`,
  };
  const api = node('api', 'api/server.ts', env);
  // With the preload that VIGIL_WORKFLOW_STACK_TRACES=off needs (worker/workflow-stack-traces.ts).
  apps.push(node('worker', 'worker/main.ts', env, workerNodeArguments(repoRoot)), api);
  const keysFile = path.join(dataDir, 'dev-keys.json');
  const [keys] = await Promise.all([
    ensureDevAccounts(databaseUrl, keysFile).then(async (made) => {
      await ensureDevPeople(databaseUrl);
      return made;
    }),
    // A crash at start is restarted like any other: only giving up on the API ends the wait.
    Promise.race([
      waitUntil(`the API on port ${apiPort}`, () => portIsOpen(apiPort)),
      api.gaveUp.then((code) => Promise.reject(new Error(`the API kept exiting (${code})`))),
    ]),
  ]);

  // Mail in: its own process (mail/inbound/main.ts says why), acting through the API with its mail-relay key.
  const inboundPort = numberFromEnv('INBOUND_SMTP_PORT', 2525);
  const supportAddress = process.env.VIGIL_SUPPORT_ADDRESS || 'support@vigil.localhost';
  apps.push(
    node('inbound', 'mail/inbound/main.ts', {
      ...env,
      INBOUND_SMTP_PORT: String(inboundPort),
      VIGIL_SUPPORT_ADDRESS: supportAddress,
      VIGIL_EMERGENCY_ADDRESS: process.env.VIGIL_EMERGENCY_ADDRESS || 'urgence@vigil.localhost',
      VIGIL_API_URL: `http://127.0.0.1:${apiPort}/v1`,
      VIGIL_INBOUND_API_KEY: keys.inbound,
    }),
  );
  // A Message-ID of its own each time: the same Message-ID (or, without one, the same bytes) is the same mail, one ticket.
  const mailIn = `printf 'From: Ana Lopes <ana@acme.lu>\\r\\nTo: ${supportAddress}\\r\\nMessage-ID: <%s@acme.lu>\\r\\nSubject: Printer offline\\r\\n\\r\\nNothing prints since this morning.\\r\\n' $RANDOM$RANDOM | curl -s smtp://localhost:${inboundPort} --mail-from ana@acme.lu --mail-rcpt ${supportAddress} -T -`;

  process.stdout.write(
    [
      '',
      'Vigil is running:',
      `  API          http://localhost:${apiPort}/v1/tickets`,
      `  API docs     http://localhost:${apiPort}/docs  (OpenAPI at /docs/json; /health, /ready, /metrics)`,
      `  Temporal UI  ${temporalUi}`,
      `  Temporal     ${temporalAddress}`,
      `  E-mail       ${mailUi}  (notices are delivered to ${smtpUrl}; failed ones: GET /v1/admin/outbox?state=failed)`,
      `  Mail in      smtp://localhost:${inboundPort} for ${supportAddress} (and urgence@ for emergencies); unknown senders: GET /v1/admin/inbound?state=triage`,
      `  PostgreSQL   ${databaseUrl}`,
      `API keys (Authorization: Bearer <token>; kept in ${path.relative(repoRoot, keysFile)}):`,
      `  admin        ${keys.admin}`,
      `  agent        ${keys.agent}`,
      `  customer     ${keys.customer}  (acme: econnect, contact Ana Lopes <ana@acme.lu>)`,
      `  try          curl -s localhost:${apiPort}/v1/admin/customers -H 'authorization: Bearer ${keys.admin}'`,
      `  open by mail ${mailIn}`,
      `Console      http://localhost:${apiPort}/console/  (password ${DEV_PASSWORD}: ${DEV_PEOPLE.map((person) => person.email).join(', ')})`,
      'Ctrl-C stops everything; data stays in .data/ for the next start.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`npm run dev failed: ${error instanceof Error ? error.message : String(error)}\n`);
  void stopAll(1);
});
