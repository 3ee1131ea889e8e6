/** Polls `url` until it answers 2xx (a started app's health endpoint), or fails after the timeout. */
export async function waitFor(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
      last = res.status;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not become ready: ${String(last)}`);
}

/**
 * Calls `probe` every `intervalMs` until `done` accepts its value or `timeoutMs` passes, and returns
 * the last value either way: the caller asserts on it, so a timeout fails with the real value.
 * For waiting on a condition (a ledger row, a refusal) instead of sleeping a fixed time.
 */
export async function pollUntil<T>(probe: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 10_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, intervalMs));
    value = await probe();
  }
  return value;
}

/** Polls `condition` every 20 ms until it holds; throws after `timeoutMs`. For in-process state, where `waitFor` is for URLs. */
export async function waitUntil(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
