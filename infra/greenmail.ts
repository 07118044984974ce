import fs from 'node:fs';
import { toolPaths } from '../scripts/tool-paths';
import { startProcess, waitUntil, type ManagedProcess, type StartOptions } from './managed-process';
import { listensOn } from '../scripts/ports';

export interface GreenMailOptions {
  smtpPort: number;
  imapPort: number;
  /** One mailbox: its login is the address's local part (GreenMail's convention), e.g. `desk` for desk@desk.test. */
  user: { address: string; password: string };
  onLine?: StartOptions['onLine'];
}

export interface GreenMail {
  /** Where mail is delivered into the mailbox. */
  smtpUrl: string;
  /** The mailbox, as IMAP_URL names it. */
  imapUrl: string;
  process: ManagedProcess;
}

/**
 * GreenMail standalone (fetched by scripts/bootstrap.js), a real IMAP server that runs here without Docker: the
 * mailbox the IMAP poller (mail/inbound/imap-poller.ts) is tested against. On loopback, in memory, one user.
 */
export async function startGreenMail(options: GreenMailOptions): Promise<GreenMail> {
  const jar = toolPaths().greenmailJar;
  if (!fs.existsSync(jar)) throw new Error(`GreenMail not found at ${jar}: run 'npm run bootstrap' first`);
  const login = options.user.address.split('@')[0]!;
  const server = startProcess(
    'greenmail',
    'java',
    [
      // C1 only and the serial GC: it starts in about a second and a half on 2 cores, as the test server does.
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      '-Dgreenmail.hostname=127.0.0.1',
      `-Dgreenmail.smtp.port=${options.smtpPort}`,
      `-Dgreenmail.imap.port=${options.imapPort}`,
      `-Dgreenmail.users=${login}:${options.user.password}@${options.user.address.split('@')[1]}`,
      '-jar',
      jar,
    ],
    { onLine: options.onLine },
  );
  try {
    await waitUntil(
      `GreenMail on ${options.smtpPort} and ${options.imapPort}`,
      async () =>
        (await listensOn(server.child.pid, options.smtpPort)) && listensOn(server.child.pid, options.imapPort),
      { process: server },
    );
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    smtpUrl: `smtp://127.0.0.1:${options.smtpPort}`,
    imapUrl: `imap://${encodeURIComponent(login)}:${encodeURIComponent(options.user.password)}@127.0.0.1:${options.imapPort}/INBOX`,
    process: server,
  };
}
