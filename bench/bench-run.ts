/**
 * What the benches that set Vigil beside a bare baseline share (bench/lifecycle.bench.ts, bench/scale.bench.ts): a
 * Node process of the repository started with tsx and waited for, and a run that starts a ChaosStack, hands it to the
 * bench with a list for its own processes, and stops them all whatever happens.
 */
import path from 'node:path';
import { killGroup, startProcess, waitUntil, type ManagedProcess } from '../infra/managed-process';
import { ChaosStack } from './chaos/stack';

const repoRoot = path.resolve(__dirname, '..');

/** Starts `entry` and resolves once it says `readyLine` or `ready()` holds; its output is left unread otherwise. */
export async function startNode(
  name: string,
  entry: string,
  env: Record<string, string>,
  ready: () => boolean | Promise<boolean>,
  readyLine?: string,
): Promise<ManagedProcess> {
  let said = false;
  const managed = startProcess(name, process.execPath, ['--import', 'tsx', path.join(repoRoot, entry)], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    onLine: (line) => {
      if (readyLine && line.includes(readyLine)) said = true;
    },
  });
  await waitUntil(name, async () => said || (await ready()), { timeoutMs: 90_000, process: managed });
  return managed;
}

/** Runs `main` on a new stack; its processes and the bench's own (`extra`) are stopped at the end, an error or Ctrl-C. */
export function runWithStack(main: (stack: ChaosStack, extra: ManagedProcess[]) => Promise<void>): void {
  void (async () => {
    const stack = await ChaosStack.create();
    const extra: ManagedProcess[] = [];
    const stopAll = async () => {
      await Promise.all(extra.map((managed) => managed.stop(5_000)));
      await stack.stopAll({ keepLogs: false });
    };
    process.once('SIGINT', () => {
      for (const managed of extra) killGroup(managed.child);
      stack.killAllNow();
      process.exit(130);
    });
    try {
      await main(stack, extra);
      await stopAll();
    } catch (error) {
      console.error(error);
      await stopAll().catch(() => stack.killAllNow());
      process.exitCode = 1;
    }
  })();
}
