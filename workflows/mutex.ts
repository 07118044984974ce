/**
 * Runs async sections one after another. Update handlers and the SLA loop both await activities in the middle of
 * a change; without this, one could read the ticket half-changed by another. Deterministic: plain promise chaining.
 */
export function createMutex(): <T>(section: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(section: () => Promise<T>) => {
    const run = tail.then(section);
    tail = run.catch(() => undefined);
    return run;
  };
}
