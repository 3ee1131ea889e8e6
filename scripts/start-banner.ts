/**
 * What `npm start` says it runs on: the hub's database and queues as the environment really sets
 * them (scripts/start-all.ts passes its environment to the hub). Secrets never appear: of a URL
 * only the host, port and database name are shown.
 */
export interface StartEnvironment {
  DATABASE_URL?: string;
  REDIS_URL?: string;
  DATA_DIR?: string;
}

/** `host:port/database` of a connection URL, without user name or password (or a placeholder when it does not parse). */
function where(url: string, withPath: boolean): string {
  try {
    const u = new URL(url);
    const path = withPath ? u.pathname.replace(/^\/+/, '') : '';
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${path ? `/${path}` : ''}`;
  } catch {
    return 'the configured server';
  }
}

/** The database the hub uses: the PostgreSQL server of DATABASE_URL, or the embedded PGlite under DATA_DIR. */
export function databaseDescription(env: StartEnvironment): string {
  if (env.DATABASE_URL) return `PostgreSQL at ${where(env.DATABASE_URL, true)} (DATABASE_URL)`;
  return `embedded PostgreSQL (PGlite) under ${env.DATA_DIR ?? './data'}`;
}

/** The hub's queues and sessions: Redis of REDIS_URL, or in-process. */
export function queueDescription(env: StartEnvironment): string {
  if (env.REDIS_URL) return `Redis at ${where(env.REDIS_URL, false)} (REDIS_URL) for queues and sessions`;
  return 'in-process queues and sessions';
}

/** The first line of the banner. */
export function runningLine(env: StartEnvironment): string {
  return `Tsunagu is running — hub database: ${databaseDescription(env)}; ${queueDescription(env)}.`;
}
