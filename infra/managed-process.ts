import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { PortTaken, saysPortTaken } from '../scripts/ports';

/** A child process whose output is prefixed with its name and which stops on request, escalating to SIGKILL. */
export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal) once the process has ended. */
  readonly exited: Promise<number | null>;
  /** The first line it wrote saying that it could not bind a port (scripts/ports.js), if any. */
  readonly portTaken: string | undefined;
  stop(timeoutMs?: number): Promise<void>;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Receives every output line; by default lines go to stderr prefixed with the process name. */
  onLine?: (line: string) => void;
}

/** How long a process is given to stop on SIGTERM before its whole group is killed. */
export const STOP_GRACE_MS = 15_000;

/**
 * Every managed process of this process, from its spawn until its exit: a supervisor that must stop, whatever the
 * moment (a server still starting included), stops all of them, and never leaves one it does not know of.
 */
const running = new Set<ManagedProcess>();

/** Last resort, also for whatever the child started itself. */
export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

export function startProcess(
  name: string,
  command: string,
  args: readonly string[],
  options: StartOptions = {},
): ManagedProcess {
  // A process group of its own: a Ctrl-C in the terminal, or a signal to the supervisor's group, reaches the
  // supervisor only, which stops children in order.
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const onLine = options.onLine ?? ((line: string) => process.stderr.write(`[${name}] ${line}\n`));
  let portTaken: string | undefined;
  for (const stream of [child.stdout, child.stderr])
    readline.createInterface({ input: stream }).on('line', (line) => {
      if (portTaken === undefined && saysPortTaken(line)) portTaken = line;
      onLine(line);
    });

  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
  // A process that fails to start is reported through `exited`; this keeps Node from calling it unhandled meanwhile.
  exited.catch(() => undefined);

  const managed: ManagedProcess = {
    name,
    child,
    exited,
    get portTaken() {
      return portTaken;
    },
    async stop(timeoutMs = STOP_GRACE_MS) {
      if (!hasExited(child)) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => killGroup(child), timeoutMs);
        try {
          await exited.catch(() => undefined);
        } finally {
          clearTimeout(timer);
        }
      }
      // What the child started and left behind in its group (a server's own workers) goes with it.
      killGroup(child);
    },
  };
  running.add(managed);
  void exited.finally(() => running.delete(managed)).catch(() => undefined);
  return managed;
}

/**
 * Polls until `ready` answers true; fails early when the process it waits on has exited, or has said that a port it
 * was given is taken (PortTaken: scripts/ports.js startOnFreePorts starts it again on others), whether it exits on it
 * or not.
 */
export async function waitUntil(
  what: string,
  ready: () => Promise<boolean>,
  { timeoutMs = 60_000, process: watched }: { timeoutMs?: number; process?: ManagedProcess } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (watched?.portTaken !== undefined) {
      throw new PortTaken(`${watched.name} could not bind its port before ${what}: ${watched.portTaken}`);
    }
    if (watched && hasExited(watched.child)) {
      throw new Error(`${watched.name} exited (${watched.child.exitCode ?? watched.child.signalCode}) before ${what}`);
    }
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface RestartPolicy {
  /** The first restart waits this long; each crash in a row doubles it, up to `maxBackoffMs`. */
  minBackoffMs: number;
  maxBackoffMs: number;
  /** A run shorter than this is a fast crash: it does not reset the backoff, and `maxFastCrashes` of them in a row end it. */
  fastCrashMs: number;
  maxFastCrashes: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  minBackoffMs: 1_000,
  maxBackoffMs: 30_000,
  fastCrashMs: 10_000,
  maxFastCrashes: 5,
};

/** A process kept running: restarted with backoff when it exits on its own, until it crashes fast too often. */
export interface SupervisedProcess {
  readonly name: string;
  /** The run in progress (or the last one while a restart waits). */
  readonly current: ManagedProcess;
  /** Resolves with the last exit code when the supervisor gives up on it; never once it is stopped. */
  readonly gaveUp: Promise<number | null>;
  /** Stops the run in progress, and any restart waiting. */
  stop(timeoutMs?: number): Promise<void>;
}

export function supervise(
  name: string,
  start: () => ManagedProcess,
  {
    policy = DEFAULT_RESTART_POLICY,
    log = (line: string) => process.stderr.write(`${line}\n`),
    now = Date.now,
  }: { policy?: RestartPolicy; log?: (line: string) => void; now?: () => number } = {},
): SupervisedProcess {
  let stopped = false;
  let current: ManagedProcess;
  let restartTimer: NodeJS.Timeout | undefined;
  let fastCrashes = 0;
  let backoffMs = policy.minBackoffMs;
  let giveUp: (code: number | null) => void = () => undefined;
  const gaveUp = new Promise<number | null>((resolve) => (giveUp = resolve));

  const run = (): ManagedProcess => {
    const startedAt = now();
    const managed = start();
    void managed.exited
      .catch(() => null)
      .then((code) => {
        if (stopped) return;
        if (now() - startedAt < policy.fastCrashMs) fastCrashes += 1;
        else [fastCrashes, backoffMs] = [0, policy.minBackoffMs];
        if (fastCrashes >= policy.maxFastCrashes) {
          log(
            `${name} exited (${code}) ${fastCrashes} times in a row within ${policy.fastCrashMs / 1000} s of starting — giving up`,
          );
          giveUp(code);
          return;
        }
        log(`${name} exited (${code}) — restarting in ${backoffMs / 1000} s`);
        restartTimer = setTimeout(() => {
          restartTimer = undefined;
          if (!stopped) current = run();
        }, backoffMs);
        backoffMs = Math.min(backoffMs * 2, policy.maxBackoffMs);
      });
    return managed;
  };

  current = run();
  return {
    name,
    get current() {
      return current;
    },
    gaveUp,
    async stop(timeoutMs?: number) {
      stopped = true;
      clearTimeout(restartTimer);
      await current.stop(timeoutMs);
    },
  };
}

/**
 * Makes this process a supervisor that stops its children on every way out. The first SIGINT, SIGTERM or SIGHUP runs
 * `stopInOrder` (graceful: SIGTERM, SIGKILL to the group after the grace) and exits; a later one is acknowledged and
 * ignored, because the same signal often comes twice (a terminal's Ctrl-C, or a kill of the whole process group,
 * reaches npm too, which relays it): dying of the second would orphan the children still stopping. An
 * uncaught error stops them the same way, and on exit whatever is still running has its group killed.
 * Returns the function that stops everything and exits with the given code.
 */
export function superviseUntilSignalled(
  stopInOrder: () => Promise<void>,
  {
    graceMs = STOP_GRACE_MS,
    log = (line: string) => process.stderr.write(`${line}\n`),
  }: { graceMs?: number; log?: (line: string) => void } = {},
): (exitCode: number) => Promise<never> {
  let stopping: Promise<never> | undefined;
  const stopAll = (exitCode: number): Promise<never> => {
    stopping ??= (async () => {
      try {
        await stopInOrder();
        await Promise.all([...running].map((child) => child.stop(graceMs)));
      } finally {
        process.exit(exitCode);
      }
    })();
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stopping) log(`${signal} again: still stopping (children get SIGKILL ${graceMs / 1000} s after SIGTERM)`);
      else void stopAll(0);
    });
  }
  process.on('uncaughtException', (error) => {
    log(`stopping after an unexpected error: ${error.stack ?? String(error)}`);
    void stopAll(1);
  });
  process.on('exit', () => [...running].forEach((child) => killGroup(child.child)));
  return stopAll;
}
