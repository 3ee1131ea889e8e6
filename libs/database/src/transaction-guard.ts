import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource } from 'typeorm';

/**
 * Thrown when code that holds a transaction asks the pool for another connection. On the
 * embedded default the pool has one connection — the transaction's — so such a query waits
 * forever (CONVENTIONS.md §13); on PostgreSQL it works by luck and leaves the statement outside
 * the transaction. Either way it is a bug: pass the transaction's runner down, or read first.
 */
export class SecondConnectionError extends Error {
  constructor() {
    super('A query asked the pool for a second connection while this code holds a transaction: pass the transaction (tx) down, or read before opening it.');
    this.name = 'SecondConnectionError';
  }
}

/** What a guarded data source does on a violation: throw (development, tests, embedded) or only report. */
export type TransactionGuardMode = 'throw' | 'report';

interface OpenTransaction { open: boolean; dataSource: DataSource }

/** One scope per process: the open transaction (if any) of the current async context. */
const scope = new AsyncLocalStorage<OpenTransaction>();

/**
 * Runs `work` as if no transaction were open: for background work a transaction only *starts*
 * (an audit checkpoint after an append, a wake-up signal) and that runs on its own connection
 * without holding the caller up. On the embedded database it simply waits for the connection
 * until the caller's transaction ends — which it does, because nobody awaits the work inside it.
 */
export function detachFromTransaction<T>(work: () => T): T {
  return scope.exit(work);
}

/**
 * Makes "one connection per transaction" a checked rule instead of a convention: while the
 * callback of `dataSource.transaction(…)` runs, every attempt in the same async context to take a
 * new query runner from the pool (`dataSource.query`, a repository without `tx`, a nested
 * `dataSource.transaction`) fails with {@link SecondConnectionError} at once, on PostgreSQL as on
 * the embedded database — so the test suite finds what would freeze `npm start`.
 *
 * Work merely started inside the callback (a timer, a promise nobody awaits) is not a violation
 * once the transaction has ended: the marker is closed when the callback settles.
 */
export function guardTransactions(dataSource: DataSource, mode: TransactionGuardMode, report: (error: SecondConnectionError) => void = () => undefined): DataSource {
  const transaction = dataSource.transaction.bind(dataSource) as (isolation: unknown, work?: unknown) => Promise<unknown>;
  const createQueryRunner = dataSource.createQueryRunner.bind(dataSource);

  const guarded = (async (isolationOrWork: unknown, maybeWork?: unknown) => {
    const isolation = typeof isolationOrWork === 'function' ? undefined : isolationOrWork;
    const work = (typeof isolationOrWork === 'function' ? isolationOrWork : maybeWork) as (tx: unknown) => Promise<unknown>;
    if (typeof work !== 'function') return transaction(isolationOrWork, maybeWork);
    const inScope = (tx: unknown) => {
      const marker: OpenTransaction = { open: true, dataSource };
      return scope.run(marker, async () => {
        try {
          return await work(tx);
        } finally {
          marker.open = false;
        }
      });
    };
    return isolation === undefined ? transaction(inScope) : transaction(isolation, inScope);
  }) as DataSource['transaction'];

  Object.assign(dataSource, {
    transaction: guarded,
    createQueryRunner: (...args: Parameters<DataSource['createQueryRunner']>) => {
      const open = scope.getStore();
      if (open?.open && open.dataSource === dataSource) {
        const error = new SecondConnectionError();
        if (mode === 'throw') throw error;
        report(error);
      }
      return createQueryRunner(...args);
    },
  });
  return dataSource;
}
