/**
 * A worker process's CPU split by thread, from /proc (Linux), so that a bench can say which part of a worker spends
 * what: Node's main thread (where the SDK handles each task and activities run), the SDK's workflow thread (the
 * sandbox the workflows run in), the SDK core's Rust threads, and the rest (V8's garbage collector and compiler
 * helpers, libuv's pool).
 *
 * Node names none of its own threads: the main thread is the one whose id is the process's, and the workflow thread
 * is the JavaScript thread started last (the SDK starts it when its worker is created, after V8's helpers, which start
 * with the process; with `reuseV8Context`, the SDK's default, there is one). The core's threads carry their Rust names
 * (`tokio-runtime-w`, `workflow-proces`).
 */
import fs from 'node:fs';

interface ThreadSample {
  name: string;
  /** When the thread started, in clock ticks since boot (field 22 of its stat). */
  startedAt: number;
  cpuMs: number;
}

export type ThreadRole = 'main' | 'workflow' | 'core' | 'helpers';

export const THREAD_ROLES: ReadonlyArray<{ role: ThreadRole; label: string }> = [
  { role: 'main', label: 'main thread (tasks, activities)' },
  { role: 'workflow', label: 'workflow thread (sandbox)' },
  { role: 'core', label: 'SDK core (Rust threads)' },
  { role: 'helpers', label: 'V8 and libuv helpers (GC)' },
];

/** Each thread of `pid`, by thread id. A thread that ends while it is read is left out. */
export function readThreads(pid: number): Map<number, ThreadSample> {
  const threads = new Map<number, ThreadSample>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue;
    }
    // The name is in parentheses and may hold spaces; the fields after it are counted from field 3.
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    threads.set(Number(tid), {
      name,
      startedAt: Number(fields[19]),
      cpuMs: (Number(fields[11]) + Number(fields[12])) * 10,
    });
  }
  return threads;
}

/** The CPU each role of `pid`'s threads spent between two readings, in ms. */
export function cpuByRole(
  pid: number,
  before: Map<number, ThreadSample>,
  after: Map<number, ThreadSample>,
): Record<ThreadRole, number> {
  const javascript = [...after].filter(([tid, thread]) => tid !== pid && thread.name === 'node');
  const workflowTid = javascript.sort(([, a], [, b]) => b.startedAt - a.startedAt)[0]?.[0];
  const spent: Record<ThreadRole, number> = { main: 0, workflow: 0, core: 0, helpers: 0 };
  for (const [tid, thread] of after) {
    const role: ThreadRole =
      tid === pid
        ? 'main'
        : tid === workflowTid
          ? 'workflow'
          : thread.name === 'node' || thread.name.startsWith('libuv')
            ? 'helpers'
            : 'core';
    spent[role] += thread.cpuMs - (before.get(tid)?.cpuMs ?? 0);
  }
  return spent;
}
