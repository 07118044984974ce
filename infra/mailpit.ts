import fs from 'node:fs';
import path from 'node:path';
import { toolPaths } from '../scripts/tool-paths';
import { startProcess, waitUntil, type ManagedProcess, type StartOptions } from './managed-process';
import { listensOn } from '../scripts/ports';

export interface MailpitOptions {
  smtpPort: number;
  uiPort: number;
  /** Keep the captured mails in this SQLite file (across restarts); omit for a throw-away capture. */
  dbFile?: string;
  /** Recipients matching this regular expression are accepted; the others get a 550 (the permanent failure of tests). */
  allowedRecipients?: string;
  onLine?: StartOptions['onLine'];
}

export interface Mailpit {
  smtpUrl: string;
  /** The web UI, and the HTTP API under /api/v1. */
  uiUrl: string;
  process: ManagedProcess;
}

/**
 * Starts Mailpit (built by scripts/bootstrap.js) on loopback, and waits until it listens on its SMTP and HTTP ports
 * itself; a port another process took is PortTaken (scripts/ports.js).
 */
export async function startMailpit(options: MailpitOptions): Promise<Mailpit> {
  const binary = toolPaths().mailpit;
  if (!fs.existsSync(binary)) throw new Error(`Mailpit not found at ${binary}: run 'npm run bootstrap' first`);
  if (options.dbFile) fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });
  const args = [
    '--smtp',
    `127.0.0.1:${options.smtpPort}`,
    '--listen',
    `127.0.0.1:${options.uiPort}`,
    // No network here, nor need of it: no update check, no reverse DNS of the sender.
    '--disable-version-check',
    '--smtp-disable-rdns',
    '--quiet',
    ...(options.dbFile ? ['--database', options.dbFile] : []),
    ...(options.allowedRecipients ? ['--smtp-allowed-recipients', options.allowedRecipients] : []),
  ];
  const server = startProcess('mailpit', binary, args, { onLine: options.onLine });
  try {
    await waitUntil(
      `Mailpit on ${options.smtpPort} and ${options.uiPort}`,
      async () => (await listensOn(server.child.pid, options.smtpPort)) && listensOn(server.child.pid, options.uiPort),
      { process: server },
    );
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    smtpUrl: `smtp://127.0.0.1:${options.smtpPort}`,
    uiUrl: `http://localhost:${options.uiPort}`,
    process: server,
  };
}
