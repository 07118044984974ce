/**
 * The lines a child process writes, for tests that wait on what it says rather than on the clock: `waitFor` resolves
 * with the first line, seen already or to come, matching `pattern`. A test that must not wait on a dead process
 * pushes a line of its own when it exits, and waits for either.
 */
export class OutputLines {
  readonly lines: string[] = [];
  private waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];

  /** Give this as the process's `onLine`. */
  readonly push = (line: string): void => {
    this.lines.push(line);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.pattern.test(line)) return true;
      waiter.resolve(line);
      return false;
    });
  };

  /** Lines count from `from` on (0: every line), so that a test can wait for the next occurrence of a line. */
  waitFor(pattern: RegExp, from = 0): Promise<string> {
    const seen = this.lines.slice(from).find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ pattern, resolve }));
  }

  /** Where a `waitFor` should start to see only the lines written from now on. */
  get mark(): number {
    return this.lines.length;
  }
}
