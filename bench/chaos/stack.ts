/**
 * The chaos run's own Vigil: Temporal (SQLite file, so that it can be stopped and started again with its data; or,
 * with `temporal: 'full'`, the full server on a PostgreSQL of its own in a temporary folder, infra/temporal.ts),
 * PostgreSQL (a temporary data folder), the worker and the API as separate processes on free ports. Nothing of
 * `npm run dev` is touched (.data/, fixed ports). Every part can be stopped, killed and started again alone; every
 * process is in a group of its own, so a kill takes what it started with it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../infra/embedded-postgres';
import { killGroup, startProcess, waitUntil, type ManagedProcess } from '../../infra/managed-process';
import { freePort, portIsOpen } from '../../scripts/ports';
import { startTemporal, type RunningTemporal, type TemporalChoice } from '../../infra/temporal';
import { startTemporalDevServer } from '../../infra/temporal-dev-server';
import { workerNodeArguments } from '../../worker/workflow-stack-traces';

const repoRoot = path.resolve(__dirname, '..', '..');
/** How long a part is given to stop on SIGTERM before its group is killed: a chaos run does not wait for grace. */
const STOP_MS = 5_000;

export type Part = 'temporal' | 'postgres' | 'worker' | 'worker-2' | 'api';

/** The workers a run may start: the second polls the same task queue, as a second worker machine would. */
export const WORKER_PARTS = ['worker', 'worker-2'] as const satisfies readonly Part[];

export interface Ports {
  temporal: number;
  postgres: number;
  api: number;
}

export class ChaosStack {
  readonly ports: Ports;
  readonly root: string;
  readonly logDir: string;
  databaseUrl = '';
  private readonly processes = new Map<Part, ManagedProcess>();
  /** Exits nobody asked for (a worker dying of a PostgreSQL restart): each is a finding of the run. */
  readonly unexpectedExits: string[] = [];
  private readonly stopping = new Set<ManagedProcess>();
  /** Once the stack is being stopped, a scenario still running may not start a part again behind its back. */
  private closed = false;
  /** The full server's processes (its PostgreSQL, the server) and its database, while it runs. */
  private fullTemporal: RunningTemporal | undefined;

  private constructor(
    ports: Ports,
    root: string,
    readonly temporalChoice: TemporalChoice,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.ports = ports;
    this.root = root;
    this.logDir = path.join(root, 'logs');
    fs.mkdirSync(this.logDir, { recursive: true });
  }

  /** `env` goes to the worker and the API on top of this process's own (SMTP_URL, for a run that reads their mails). */
  static async create({
    temporal = 'dev',
    env = {},
  }: { temporal?: TemporalChoice; env?: NodeJS.ProcessEnv } = {}): Promise<ChaosStack> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-chaos-'));
    // PostgreSQL runs as its own user when we are root: it must be able to enter the folder.
    fs.chmodSync(root, 0o755);
    return new ChaosStack(
      { temporal: await freePort(), postgres: await freePort(), api: await freePort() },
      root,
      temporal,
      env,
    );
  }

  /** The full server's own PostgreSQL (databases `temporal` and `temporal_visibility`), while it runs. */
  get temporalDatabaseUrl(): string | undefined {
    return this.fullTemporal?.databaseUrl;
  }

  /** The full server's PostgreSQL's process (started first), for what a benchmark reads of it. */
  get temporalDatabasePid(): number | undefined {
    return this.fullTemporal?.processes[0]?.child.pid;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.ports.api}`;
  }

  get temporalAddress(): string {
    return `127.0.0.1:${this.ports.temporal}`;
  }

  /** One log file per part, appended across restarts, kept after the run for whoever reads a finding. */
  logFile(part: Part): string {
    return path.join(this.logDir, `${part}.log`);
  }

  private logger(part: Part): (line: string) => void {
    const file = this.logFile(part);
    return (line) => fs.appendFileSync(file, `${new Date().toISOString()} ${line}\n`);
  }

  private track(part: Part, managed: ManagedProcess): void {
    this.processes.set(part, managed);
    void managed.exited
      .catch(() => null)
      .then((code) => {
        if (!this.stopping.has(managed))
          this.unexpectedExits.push(`${part} exited (${code ?? managed.child.signalCode}) on its own`);
      });
  }

  /** The operating-system process id of a running part, for what a benchmark reads of it (its CPU time). */
  pid(part: Part): number | undefined {
    return this.processes.get(part)?.child.pid;
  }

  alive(part: Part): boolean {
    const managed = this.processes.get(part);
    return managed !== undefined && managed.child.exitCode === null && managed.child.signalCode === null;
  }

  async start(part: Part): Promise<void> {
    if (this.closed) throw new Error(`the stack is stopping: ${part} not started`);
    switch (part) {
      case 'temporal': {
        if (this.temporalChoice === 'full') {
          // Its database in the run's folder, as the dev server's file below: started again after a stop (the chaos
          // run's restart), it finds the workflows it held. A server on kept data derives its internal ports from
          // its port (infra/temporal-server.ts), the same at each start, as its membership ring in that database says.
          this.fullTemporal = await startTemporal('full', {
            port: this.ports.temporal,
            dataDir: path.join(this.root, 'temporal', 'postgres'),
            onLine: this.logger(part),
          });
          // The server is the part; its PostgreSQL, started before it, is the last of its processes to stop.
          return this.track(part, this.fullTemporal.processes.at(-1)!);
        }
        const temporal = await startTemporalDevServer({
          port: this.ports.temporal,
          dbFile: path.join(this.root, 'temporal', 'temporal.db'),
          onLine: this.logger(part),
        });
        return this.track(part, temporal.process);
      }
      case 'postgres': {
        const postgres = await startEmbeddedPostgres({
          dataDir: path.join(this.root, 'postgres'),
          port: this.ports.postgres,
          onLine: this.logger(part),
        });
        this.databaseUrl = postgres.url;
        return this.track(part, postgres.process);
      }
      case 'worker':
      case 'worker-2':
        return this.startNode(part, 'worker/main.ts', (line) => line.includes('worker polling task queue'));
      case 'api':
        return this.startNode(
          part,
          'api/server.ts',
          () => false,
          () => portIsOpen(this.ports.api),
        );
    }
  }

  /** The worker says when it polls; the API when its port is open. Either failing to start is an error of the run. */
  private async startNode(
    part: Part,
    entry: string,
    readyLine: (line: string) => boolean,
    readyProbe?: () => Promise<boolean>,
  ): Promise<void> {
    let ready = false;
    const log = this.logger(part);
    // The workers as package.json's `worker` script starts them, with the preload VIGIL_WORKFLOW_STACK_TRACES=off needs.
    const args =
      entry === 'worker/main.ts' ? workerNodeArguments(repoRoot) : ['--import', 'tsx', path.join(repoRoot, entry)];
    const managed = startProcess(part, process.execPath, args, {
      cwd: repoRoot,
      env: {
        ...process.env,
        ...this.env,
        TEMPORAL_ADDRESS: this.temporalAddress,
        DATABASE_URL: this.databaseUrl,
        PORT: String(this.ports.api),
        HOST: '127.0.0.1',
        // The run sends thousands of requests with a handful of keys: the per-key limit is not what it tries.
        VIGIL_RATE_LIMIT_PER_MINUTE: '1000000',
      },
      onLine: (line) => {
        if (readyLine(line)) ready = true;
        log(line);
      },
    });
    this.track(part, managed);
    await waitUntil(`the ${part}`, async () => ready || (readyProbe ? readyProbe() : false), {
      timeoutMs: 90_000,
      process: managed,
    });
  }

  /** SIGTERM, as an operator's restart does; SIGKILL to the group after STOP_MS. */
  async stop(part: Part): Promise<void> {
    const managed = this.processes.get(part);
    if (!managed) return;
    this.stopping.add(managed);
    await managed.stop(STOP_MS);
    if (part === 'temporal' && this.fullTemporal) await this.fullTemporal.stop();
  }

  /** SIGKILL to the part's process group: a crash, nothing flushed, nothing said goodbye. */
  async kill(part: Part): Promise<void> {
    const managed = this.processes.get(part);
    if (!managed) return;
    this.stopping.add(managed);
    killGroup(managed.child);
    await managed.exited.catch(() => undefined);
  }

  /** Everything, clients first; the data folders go with it, and the logs too unless `keepLogs`. */
  async stopAll({ keepLogs }: { keepLogs: boolean }): Promise<void> {
    this.closed = true;
    for (const group of [
      ['api', ...WORKER_PARTS],
      ['temporal', 'postgres'],
    ] as Part[][])
      await Promise.all(group.map((part) => this.stop(part)));
    for (const folder of keepLogs ? ['postgres', 'temporal'] : ['.'])
      fs.rmSync(path.join(this.root, folder), { recursive: true, force: true });
  }

  /** Last resort on the way out (an error, a second signal): no part may outlive the run. */
  killAllNow(): void {
    for (const managed of [...this.processes.values(), ...(this.fullTemporal?.processes ?? [])])
      killGroup(managed.child);
  }
}
