/**
 * Anything that runs SQL: a TypeORM DataSource, the EntityManager of a transaction in progress or
 * a QueryRunner. Repositories take one so that a caller's transaction reaches them (CONVENTIONS.md §13).
 */
export interface Queryable {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True for a string in the canonical UUID form (8-4-4-4-12 hex digits, either case). Anything else
 * cannot name a row and would make PostgreSQL throw on a `uuid` parameter — a 500 where the answer
 * is "not found" (CONVENTIONS.md §15). Non-strings (an array or object from a parsed body) are refused.
 */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
