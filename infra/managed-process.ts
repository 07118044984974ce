import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';

/** A child process whose output is prefixed with its name and which stops on request, escalating to SIGKILL. */
export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal) once the process has ended. */
  readonly exited: Promise<number | null>;
  stop(timeoutMs?: number): Promise<void>;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Receives every output line; by default lines go to stderr prefixed with the process name. */
  onLine?: (line: string) => void;
}

/** Last resort, also for whatever the child started itself. */
export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export function startProcess(name: string, command: string, args: readonly string[], options: StartOptions = {}): ManagedProcess {
  // A process group of its own: a Ctrl-C in the terminal reaches the supervisor only, which stops children in order.
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const onLine = options.onLine ?? ((line: string) => process.stderr.write(`[${name}] ${line}\n`));
  for (const stream of [child.stdout, child.stderr]) readline.createInterface({ input: stream }).on('line', onLine);

  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
  // A process that fails to start is reported through `exited`; this keeps Node from calling it unhandled meanwhile.
  exited.catch(() => undefined);

  return {
    name,
    child,
    exited,
    async stop(timeoutMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => killGroup(child), timeoutMs);
      try {
        await exited.catch(() => undefined);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Polls until `ready` answers true; fails early when the process it waits on has exited. */
export async function waitUntil(what: string, ready: () => Promise<boolean>, { timeoutMs = 60_000, process: watched }: { timeoutMs?: number; process?: ManagedProcess } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (watched && (watched.child.exitCode !== null || watched.child.signalCode !== null)) {
      throw new Error(`${watched.name} exited (${watched.child.exitCode ?? watched.child.signalCode}) before ${what}`);
    }
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
