import { cpuByRole, readThreads } from '../../bench/process-threads';

const thread = (name: string, startedAt: number, cpuMs: number) => ({ name, startedAt, cpuMs });

describe("a worker process's CPU by thread", () => {
  it('tells the main thread, the workflow thread started last, the core and the helpers apart', () => {
    const pid = 100;
    const before = new Map([
      [100, thread('node', 10, 1_000)],
      [101, thread('node', 11, 50)],
      [102, thread('node', 11, 40)],
      [110, thread('tokio-runtime-w', 300, 200)],
      [111, thread('workflow-proces', 300, 20)],
      [120, thread('node', 305, 500)],
      [130, thread('libuv-worker', 400, 5)],
    ]);
    const after = new Map([
      [100, thread('node', 10, 1_600)],
      [101, thread('node', 11, 80)],
      [102, thread('node', 11, 40)],
      [110, thread('tokio-runtime-w', 300, 260)],
      [111, thread('workflow-proces', 300, 30)],
      [120, thread('node', 305, 900)],
      [130, thread('libuv-worker', 400, 15)],
      // A thread born between the readings counts from zero.
      [140, thread('tokio-runtime-w', 500, 7)],
    ]);
    expect(cpuByRole(pid, before, after)).toEqual({ main: 600, workflow: 400, core: 77, helpers: 40 });
  });

  it("reads this process's own threads, the main one under the process's id", () => {
    const threads = readThreads(process.pid);
    const main = threads.get(process.pid);
    expect(main).toBeDefined();
    expect(main!.cpuMs).toBeGreaterThan(0);
    expect([...threads.values()].every((each) => Number.isInteger(each.startedAt) && each.cpuMs >= 0)).toBe(true);
  });
});
