/** A short, log-safe reason for a failed fetch: the socket error code (ECONNREFUSED, …), a timeout, or the message. */
export function fetchProblem(error: unknown): string {
  const e = error as Error & { cause?: { code?: string } };
  if (e?.name === 'TimeoutError') return 'timeout';
  return e?.cause?.code ?? e?.message ?? String(error);
}
