import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../infra/embedded-postgres';
import { startGreenMail } from '../../infra/greenmail';
import { startMailpit } from '../../infra/mailpit';
import { freePort, listensOn, startOnFreePorts } from '../../scripts/ports';
import { startTestServerOn } from '../support/time-skipping';

jest.setTimeout(180_000);

const quiet = () => undefined;

/** Holds `port` on 127.0.0.1, listening, as another process that took it would. */
async function hold(port: number): Promise<net.Server> {
  const holder = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    holder.once('error', reject);
    holder.listen(port, '127.0.0.1', resolve);
  });
  return holder;
}

/**
 * startOnFreePorts, with the port `index` of its first choice taken (held by this test) between its choice and the
 * server's start: the race these starts must survive. Answers the server and the ports each attempt was given.
 */
async function startWithFirstPortTaken<T>(
  count: number,
  index: number,
  start: (ports: number[]) => Promise<T>,
): Promise<{ started: T; attempts: number[][]; held: number }> {
  const attempts: number[][] = [];
  let holder: net.Server | undefined;
  try {
    const started = await startOnFreePorts(count, async (ports) => {
      attempts.push(ports);
      holder ??= await hold(ports[index]!);
      return start(ports);
    });
    return { started, attempts, held: attempts[0]![index]! };
  } finally {
    holder?.close();
  }
}

describe('servers started on ports of their own', () => {
  it('are given ports below the range the kernel takes local ports of outgoing connections from', async () => {
    const [first] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(first!);
    }
    expect(await freePort({ max: 20_000 })).toBeLessThanOrEqual(20_000);
  });

  it('Mailpit, its SMTP port taken, starts on another, where it answers itself', async () => {
    const { started, attempts, held } = await startWithFirstPortTaken(2, 0, ([smtpPort, uiPort]) =>
      startMailpit({ smtpPort: smtpPort!, uiPort: uiPort!, onLine: quiet }),
    );
    try {
      expect(attempts).toHaveLength(2);
      const smtpPort = Number(new URL(started.smtpUrl).port);
      expect(smtpPort).not.toBe(held);
      expect(await listensOn(started.process.child.pid, smtpPort)).toBe(true);
      const info = (await (await fetch(`${started.uiUrl}/api/v1/info`)).json()) as { Version?: string };
      expect(info.Version).toEqual(expect.any(String));
    } finally {
      await started.process.stop();
    }
  });

  it('GreenMail, its IMAP port taken, starts on another', async () => {
    const { started, attempts, held } = await startWithFirstPortTaken(2, 1, ([smtpPort, imapPort]) =>
      startGreenMail({
        smtpPort: smtpPort!,
        imapPort: imapPort!,
        user: { address: 'desk@desk.test', password: 's3cret' },
        onLine: quiet,
      }),
    );
    try {
      expect(attempts).toHaveLength(2);
      const imapPort = Number(new URL(started.imapUrl).port);
      expect(imapPort).not.toBe(held);
      expect(await listensOn(started.process.child.pid, imapPort)).toBe(true);
    } finally {
      await started.process.stop();
    }
  });

  it('the time-skipping server, its port taken, starts on another and answers there', async () => {
    const { started, attempts, held } = await startWithFirstPortTaken(1, 0, ([port]) => startTestServerOn(port!));
    try {
      expect(attempts).toHaveLength(2);
      expect(started.address).toBe(`127.0.0.1:${attempts[1]![0]}`);
      expect(started.address).not.toBe(`127.0.0.1:${held}`);
    } finally {
      await started.stop();
    }
  });

  it('PostgreSQL, its port taken, starts on another', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-ports-pg-'));
    // PostgreSQL runs as its own user when we are root: it must be able to enter the directory.
    fs.chmodSync(dataDir, 0o755);
    try {
      const { started, attempts, held } = await startWithFirstPortTaken(1, 0, ([port]) =>
        startEmbeddedPostgres({ dataDir: path.join(dataDir, 'data'), port: port!, onLine: quiet }),
      );
      try {
        expect(attempts).toHaveLength(2);
        expect(new URL(started.url).port).toBe(String(attempts[1]![0]));
        expect(new URL(started.url).port).not.toBe(String(held));
      } finally {
        await started.process.stop();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('gives up after a bounded number of starts, saying each port that was taken', async () => {
    const holders: net.Server[] = [];
    try {
      const failed = startOnFreePorts(1, async ([port]) => {
        holders.push(await hold(port!));
        return startMailpit({ smtpPort: port!, uiPort: await freePort(), onLine: quiet });
      });
      await expect(failed).rejects.toThrow(/5 times in a row another process took a port/);
      expect(holders).toHaveLength(5);
    } finally {
      for (const holder of holders) holder.close();
    }
  });
});
