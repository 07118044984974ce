import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { VIGIL_SEARCH_ATTRIBUTES } from '../messages/search-attributes';
import { toolPaths } from '../scripts/tool-paths';
import { startProcess, waitUntil, type ManagedProcess, type StartOptions } from './managed-process';
import { freePort, listensOn } from '../scripts/ports';

export interface TemporalDevServerOptions {
  port: number;
  /** Omit for a headless server (tests). */
  uiPort?: number;
  /** Persist the server's SQLite database here; omit for an in-memory server. */
  dbFile?: string;
  onLine?: StartOptions['onLine'];
}

export interface TemporalDevServer {
  address: string;
  uiUrl?: string;
  process: ManagedProcess;
}

const CLI_TYPE_NAMES: Record<SearchAttributeType, string> = {
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

export function searchAttributeFlags(): string[] {
  return VIGIL_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${CLI_TYPE_NAMES[key.type]}`]);
}

async function answers(address: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 1_000 });
  try {
    await connection.workflowService.describeNamespace({ namespace: 'default' });
    return true;
  } finally {
    await connection.close();
  }
}

/** Starts `temporal server start-dev` (built by scripts/bootstrap.js) with Vigil's search attributes registered. */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const cli = toolPaths().temporalCli;
  if (!fs.existsSync(cli)) throw new Error(`Temporal CLI not found at ${cli}: run 'npm run bootstrap' first`);
  if (options.dbFile) fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--http-port',
    String(await freePort()),
    '--namespace',
    'default',
    '--log-level',
    'warn',
    ...(options.uiPort === undefined ? ['--headless'] : ['--ui-port', String(options.uiPort)]),
    ...(options.dbFile ? ['--db-filename', options.dbFile] : []),
    ...searchAttributeFlags(),
  ];
  const server = startProcess('temporal', cli, args, { onLine: options.onLine });
  const address = `127.0.0.1:${options.port}`;
  try {
    // Answered by this server, not by another that took the port (it is PortTaken then).
    await waitUntil(
      `Temporal on ${address}`,
      async () => (await listensOn(server.child.pid, options.port)) && answers(address),
      { process: server },
    );
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    address,
    uiUrl: options.uiPort === undefined ? undefined : `http://localhost:${options.uiPort}`,
    process: server,
  };
}
