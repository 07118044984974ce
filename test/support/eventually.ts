/**
 * Polls until `read` gives a value `done` accepts, or the time is up, and answers the last value read for the caller to
 * assert on: the read model follows the workflow asynchronously, and a loaded machine only makes the wait longer.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
