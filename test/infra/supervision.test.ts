import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startProcess, type ManagedProcess } from '../../infra/managed-process';
import { eventually } from '../support/eventually';
import { OutputLines } from '../support/output-lines';

jest.setTimeout(60_000);

const repoRoot = path.resolve(__dirname, '../..');

/**
 * The supervisor of test/infra/fixtures/supervisor.ts run as `npm run dev` runs scripts/dev.ts: by node with tsx's
 * loader (`node --import tsx`), in a process group of its own as a terminal gives it. Not through the tsx CLI: on a
 * SIGTERM its parent process waits 30 ms for the script to say it got it too, relays it, and SIGKILLs the script after
 * 30 ms more, so a script the machine did not run within that (a loaded machine) died at once, its children left.
 */
function startSupervisor(mode: string): { supervisor: ManagedProcess; output: OutputLines; scratch: string } {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-supervision-'));
  const output = new OutputLines();
  const supervisor = startProcess(
    'supervisor',
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'fixtures/supervisor.ts'), mode, scratch],
    { cwd: repoRoot, onLine: output.push },
  );
  void supervisor.exited.then((code) => output.push(`supervisor exited (${code})`));
  return { supervisor, output, scratch };
}

/** Alive as the kernel sees it: an exited process waiting to be reaped (a zombie) is not. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Processes killed by a signal to their group, not our children: nothing to wait on but their entry in /proc. */
const gone = (pids: number[]): Promise<number[]> =>
  eventually(
    () => Promise.resolve(pids.filter(alive)),
    (left) => left.length === 0,
  );

describe('supervision as npm run dev does it', () => {
  const started: { supervisor: ManagedProcess; scratch: string }[] = [];
  const start = (mode: string) => {
    const run = startSupervisor(mode);
    started.push(run);
    return run;
  };

  afterAll(async () => {
    for (const { supervisor, scratch } of started) {
      await supervisor.stop(2_000);
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('restarts a crashed child alone, with backoff, and says so', async () => {
    const { supervisor, output } = start('crash');
    expect(await output.waitFor(/^app exited|^supervisor exited/)).toBe('app exited (3) — restarting in 0.1 s');
    expect(await output.waitFor(/^\[app\] running$|^supervisor exited/)).toBe('[app] running');
    supervisor.child.kill('SIGTERM');
    expect(await supervisor.exited).toBe(0);
  });

  it('gives up after repeated fast crashes, backing off between them', async () => {
    const { supervisor, output } = start('always-crash');
    expect(await supervisor.exited).toBe(1);
    expect(output.lines.filter((line) => line.startsWith('app exited'))).toEqual([
      'app exited (3) — restarting in 0.1 s',
      'app exited (3) — restarting in 0.2 s',
      'app exited (3) 3 times in a row within 60 s of starting — giving up',
    ]);
  });

  it('leaves no child behind when its process group gets SIGTERM, twice', async () => {
    const { supervisor, output } = start('long');
    const pidsLine = await output.waitFor(/^pids |^supervisor exited/);
    const pids = JSON.parse(pidsLine.replace(/^pids /, '')) as Record<string, number>;
    expect(Object.keys(pids).sort()).toEqual(['app', 'grandchild', 'server', 'stubborn', 'supervisor']);
    const children = Object.entries(pids).filter(([name]) => name !== 'supervisor');
    expect(children.filter(([, pid]) => !alive(pid))).toEqual([]);

    // As `kill -TERM -<pgid>` on `npm run dev`: the script gets it (and npm, which relays it once more).
    process.kill(-supervisor.child.pid!, 'SIGTERM');
    await output.waitFor(/^stopping$/);
    // The supervisor stops nothing until SIGUSR2 (the fixture's `long` mode): this one comes while it is stopping.
    process.kill(-supervisor.child.pid!, 'SIGTERM');
    expect(await output.waitFor(/^SIGTERM again|^supervisor exited/)).toBe(
      'SIGTERM again: still stopping (children get SIGKILL 0.5 s after SIGTERM)',
    );
    process.kill(pids.supervisor!, 'SIGUSR2');
    expect(await supervisor.exited).toBe(0);
    // The app ends of the SIGTERM, the stubborn child of the SIGKILL after the grace, whenever it got to its handler
    // (its `ignoring SIGTERM` comes only if the machine ran it within the grace).
    expect(output.lines).toContain('ended {"app":"SIGTERM","stubborn":"SIGKILL"}');
    expect(await gone(children.map(([, pid]) => pid))).toEqual([]);
  });
});
