/**
 * What a process and its children use, read from /proc: resident memory now and CPU time so far. A part of the stack
 * is a process tree (the embedded PostgreSQL is a node wrapper and the postgres processes under it).
 */
import fs from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's times: 100 on Linux. */
const TICKS_PER_SECOND = 100;

interface Stat {
  ppid: number;
  cpuSeconds: number;
}

function statOf(pid: number): Stat | undefined {
  try {
    // The command name, between parentheses, may hold spaces: the fields start after its closing one.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return { ppid: Number(fields[1]), cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

function rssBytes(pid: number): number {
  try {
    const line = fs
      .readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('VmRSS:'));
    return line ? Number(line.split(/\s+/)[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** `pid` and every process below it. */
function tree(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = statOf(Number(entry));
    if (stat) parents.set(Number(entry), stat.ppid);
  }
  const found = [pid];
  for (let i = 0; i < found.length; i += 1)
    for (const [child, parent] of parents) if (parent === found[i]) found.push(child);
  return found;
}

export interface Usage {
  /** Resident set of the process alone (a tree's children share PostgreSQL's buffers: their sum would overcount). */
  rssBytes: number;
  /** User + system CPU time of the whole tree so far, in seconds. */
  cpuSeconds: number;
}

export function usageOf(pid: number | undefined): Usage {
  if (pid === undefined) return { rssBytes: 0, cpuSeconds: 0 };
  const cpuSeconds = tree(pid).reduce((sum, member) => sum + (statOf(member)?.cpuSeconds ?? 0), 0);
  return { rssBytes: rssBytes(pid), cpuSeconds };
}
