/**
 * Undo steps of a benchmark run (processes, databases, Redis keys, files), run once, newest
 * first — at the end of the run or on Ctrl+C.
 */
export function cleanupStack(): { cleanups: Array<() => Promise<unknown>>; cleanup: () => Promise<void> } {
  const cleanups: Array<() => Promise<unknown>> = [];
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    for (const fn of cleanups.reverse()) await fn().catch((e: Error) => process.stderr.write(`cleanup: ${e.message}\n`));
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  }
  return { cleanups, cleanup };
}
