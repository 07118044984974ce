import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { toolPaths } from '../scripts/tool-paths';
import { startEmbeddedPostgres } from './embedded-postgres';
import { startProcess, waitUntil, type ManagedProcess } from './managed-process';
import { freePort, listensOn, PortTaken } from '../scripts/ports';
import { ensureVigilNamespace, frontendAnswers } from './temporal-namespace';

/** infra/temporal/: the server's and the UI server's configurations, the dynamic configuration, the schema script. */
const CONFIG_DIR = path.join(__dirname, 'temporal');
const NAMESPACE = 'default';

export interface FullTemporalOptions {
  /** The frontend's gRPC port, the one clients use. */
  port: number;
  /** The Web UI's port; omit for none (tests). */
  uiPort?: number;
  /**
   * Where its PostgreSQL keeps its data, for the next start. Omitted, a temporary folder removed at stop. A server on
   * kept data has its internal ports derived from `port` (+1 history, +2 matching, +6 worker, -300 and up membership,
   * Temporal's own layout around 7233), the same at every start, because the membership ring it finds in the
   * database names the last run's; a throwaway one takes free ports.
   */
  dataDir?: string;
  /** Its PostgreSQL's port (free when omitted). */
  postgresPort?: number;
  onLine?: (line: string) => void;
}

/** A running Temporal, full or dev (infra/temporal.ts). */
export interface RunningTemporal {
  address: string;
  uiUrl?: string;
  /** Everything it runs (here PostgreSQL, the server, the UI server): if one exits on its own, Temporal is gone. */
  processes: ManagedProcess[];
  /** Here the UI and the server first, then their database. */
  stop(): Promise<void>;
  /** The full server's own PostgreSQL (databases `temporal` and `temporal_visibility`): the dev server has none. */
  databaseUrl?: string;
}

/** The schema keeps each service's membership port in a smallint column (cluster_membership.rpc_port). */
const MAX_MEMBERSHIP_PORT = 32_767;

interface InternalPorts {
  history: number;
  matching: number;
  worker: number;
  frontendMembership: number;
  historyMembership: number;
  matchingMembership: number;
  workerMembership: number;
}

async function internalPorts(frontend: number, derived: boolean): Promise<InternalPorts> {
  if (derived) {
    const membership = frontend - 300;
    if (membership < 1 || membership + 6 > MAX_MEMBERSHIP_PORT) {
      throw new Error(
        `the full Temporal server's frontend port must be between 301 and ${MAX_MEMBERSHIP_PORT + 294} (its membership ports are 300 below it), got ${frontend}`,
      );
    }
    return {
      history: frontend + 1,
      matching: frontend + 2,
      worker: frontend + 6,
      frontendMembership: membership,
      historyMembership: membership + 1,
      matchingMembership: membership + 2,
      workerMembership: membership + 6,
    };
  }
  // Seven distinct ones (freePort() draws each at random); the membership ports within the smallint column.
  const taken = new Set([frontend]);
  const next = async (pick: () => Promise<number>): Promise<number> => {
    for (;;) {
      const port = await pick();
      if (taken.has(port)) continue;
      taken.add(port);
      return port;
    }
  };
  const membership = () => next(() => freePort({ max: MAX_MEMBERSHIP_PORT }));
  return {
    history: await next(() => freePort()),
    matching: await next(() => freePort()),
    worker: await next(() => freePort()),
    frontendMembership: await membership(),
    historyMembership: await membership(),
    matchingMembership: await membership(),
    workerMembership: await membership(),
  };
}

function requireBuilt(binary: string): string {
  if (!fs.existsSync(binary))
    throw new Error(
      `${binary} is not built: run 'VIGIL_TEMPORAL=full npm run bootstrap' (about 20 minutes the first time)`,
    );
  return binary;
}

/** Passes every line on and keeps the last ones, to say why a start failed when the caller silences the output. */
function keepingLastLines(onLine: (line: string) => void): { onLine: (line: string) => void; last: () => string } {
  const lines: string[] = [];
  return {
    onLine: (line) => {
      // The server's lines carry their stack traces: the start of each says enough.
      lines.push(line.length > 400 ? `${line.slice(0, 400)}…` : line);
      if (lines.length > 20) lines.shift();
      onLine(line);
    },
    last: () => lines.join('\n'),
  };
}

/** Runs a short-lived step to its end. */
async function runStep(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  onLine: (line: string) => void,
): Promise<void> {
  const output = keepingLastLines(onLine);
  const code = await startProcess(name, command, args, { env, onLine: output.onLine }).exited;
  if (code !== 0) throw new Error(`${name} exited (${code}):\n${output.last()}`);
}

/**
 * The full Temporal server v1.29.1 on a PostgreSQL of its own (built by scripts/temporal-server-build.js): PostgreSQL
 * started, the `temporal` and `temporal_visibility` databases created or brought up to date by
 * infra/temporal/setup-schema.sh, the server started from infra/temporal/server.yaml, the `default` namespace and
 * Vigil's search attributes registered (infra/temporal-namespace.ts), then the Web UI server from
 * infra/temporal/ui.yaml. Its own PostgreSQL rather than Vigil's: the server's pools (infra/temporal/server.yaml)
 * would take most of one server's connections, its writes would be counted with the read model's in every
 * measurement, and an operator backs up, sizes and upgrades the two apart, as docker-compose.yml runs them.
 */
export async function startFullTemporal(options: FullTemporalOptions): Promise<RunningTemporal> {
  const paths = toolPaths();
  const server = requireBuilt(paths.temporalServer);
  const sqlTool = requireBuilt(paths.temporalSqlTool);
  const uiServer = options.uiPort === undefined ? undefined : requireBuilt(paths.temporalUiServer);
  const onLine = options.onLine ?? ((line: string) => process.stderr.write(`[temporal] ${line}\n`));

  const scratch = options.dataDir ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-temporal-'));
  // PostgreSQL runs as its own user when we are root: it must be able to enter the folder.
  if (scratch) fs.chmodSync(scratch, 0o755);
  const postgres = await startEmbeddedPostgres({
    name: 'temporal-postgres',
    dataDir: options.dataDir ?? path.join(scratch!, 'postgres'),
    port: options.postgresPort ?? (await freePort()),
    onLine,
  });
  const processes: ManagedProcess[] = [postgres.process];
  const stop = async () => {
    await Promise.all(processes.filter((part) => part !== postgres.process).map((part) => part.stop()));
    await postgres.process.stop();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  };

  try {
    const db = new URL(postgres.url);
    const ports = await internalPorts(options.port, options.dataDir !== undefined);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TEMPORAL_SQL_TOOL: sqlTool,
      VIGIL_TEMPORAL_DB_HOST: db.hostname,
      VIGIL_TEMPORAL_DB_PORT: db.port,
      VIGIL_TEMPORAL_DB_USER: decodeURIComponent(db.username),
      VIGIL_TEMPORAL_DB_PASSWORD: decodeURIComponent(db.password),
      VIGIL_TEMPORAL_FRONTEND_PORT: String(options.port),
      VIGIL_TEMPORAL_HISTORY_PORT: String(ports.history),
      VIGIL_TEMPORAL_MATCHING_PORT: String(ports.matching),
      VIGIL_TEMPORAL_WORKER_PORT: String(ports.worker),
      VIGIL_TEMPORAL_FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership),
      VIGIL_TEMPORAL_HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
      VIGIL_TEMPORAL_MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
      VIGIL_TEMPORAL_WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
      VIGIL_TEMPORAL_DYNAMIC_CONFIG: path.join(CONFIG_DIR, 'dynamic-config.yaml'),
    };
    await runStep('temporal-schema', 'sh', [path.join(CONFIG_DIR, 'setup-schema.sh')], env, onLine);

    const configArgs = ['--root', path.dirname(CONFIG_DIR), '--config', path.basename(CONFIG_DIR)];
    const serverOutput = keepingLastLines(onLine);
    const temporal = startProcess('temporal', server, [...configArgs, '--env', 'server', '--allow-no-auth', 'start'], {
      env,
      onLine: serverOutput.onLine,
    });
    processes.push(temporal);
    const address = `127.0.0.1:${options.port}`;
    // A first start creates the shards and the system namespace before it answers: longer than a later one. Answered
    // by this server, not by another that took the port.
    const answers = async () => (await listensOn(temporal.child.pid, options.port)) && frontendAnswers(address);
    await waitUntil(`Temporal on ${address}`, answers, {
      process: temporal,
      timeoutMs: 180_000,
    }).catch((error: Error) => {
      // A port taken stays PortTaken, for a caller that starts it again on others (scripts/ports.js).
      const Failure = error instanceof PortTaken ? PortTaken : Error;
      throw new Failure(`${error.message}; its last lines:\n${serverOutput.last()}`);
    });
    const connection = await Connection.connect({ address });
    try {
      await ensureVigilNamespace(connection, NAMESPACE);
    } finally {
      await connection.close();
    }

    let uiUrl: string | undefined;
    if (uiServer && options.uiPort !== undefined) {
      const uiPort = options.uiPort;
      const ui = startProcess('temporal-ui', uiServer, [...configArgs, '--env', 'ui', 'start'], {
        env: { ...env, VIGIL_TEMPORAL_ADDRESS: address, VIGIL_TEMPORAL_UI_PORT: String(uiPort) },
        onLine,
      });
      processes.push(ui);
      await waitUntil(`the Temporal UI on port ${uiPort}`, () => listensOn(ui.child.pid, uiPort), { process: ui });
      uiUrl = `http://localhost:${uiPort}`;
    }
    return { address, uiUrl, processes, stop, databaseUrl: postgres.url };
  } catch (error) {
    await stop();
    throw error;
  }
}
