import type { DataSource, EntityManager } from 'typeorm';

/** The transaction handle repositories and `AuditService.record` share. */
export type Tx = EntityManager;

/**
 * Runs `fn` in one transaction. Every write of an admin change and its audit row go through the
 * same handle, so they commit or roll back together (nothing half-written). On the embedded
 * database there is one connection: nothing inside `fn` may use the DataSource directly.
 */
export function inTransaction<T>(db: DataSource, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}

/** PostgreSQL error fields the repositories turn into domain results. */
export function pgConstraint(error: unknown): string | undefined {
  return (error as { constraint?: string }).constraint;
}
