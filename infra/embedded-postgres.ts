import path from 'node:path';
import { PortTaken } from '../scripts/ports';
import { startProcess, type ManagedProcess } from './managed-process';

export interface EmbeddedPostgres {
  url: string;
  process: ManagedProcess;
}

const SERVER_SCRIPT = path.join(__dirname, 'postgres-server.ts');

/**
 * Starts PostgreSQL (data kept in `dataDir`) and resolves with its URL once it accepts connections; PortTaken when
 * another process holds its port.
 */
export async function startEmbeddedPostgres({
  dataDir,
  port,
  onLine,
  name = 'postgres',
}: {
  dataDir: string;
  port: number;
  onLine?: (line: string) => void;
  name?: string;
}): Promise<EmbeddedPostgres> {
  let resolveUrl: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => (resolveUrl = resolve));
  const log = onLine ?? ((line: string) => process.stderr.write(`[${name}] ${line}\n`));
  // A caller that silences the log (the e2e setup) must still learn why a start failed: the last lines say.
  const lastLines: string[] = [];
  const server = startProcess(name, process.execPath, ['--import', 'tsx', SERVER_SCRIPT, dataDir, String(port)], {
    onLine: (line) => {
      if (line.startsWith('{"url"')) return resolveUrl((JSON.parse(line) as { url: string }).url);
      lastLines.push(line);
      if (lastLines.length > 10) lastLines.shift();
      log(line);
    },
  });
  const outcome = await Promise.race([
    url,
    server.exited.then((code) => {
      // A port another process took: scripts/ports.js startOnFreePorts starts it again on another.
      const Failure = server.portTaken === undefined ? Error : PortTaken;
      return new Failure(`PostgreSQL exited (${code}) before it was ready on port ${port}:\n${lastLines.join('\n')}`);
    }),
  ]);
  if (outcome instanceof Error) throw outcome;
  return { url: outcome, process: server };
}
