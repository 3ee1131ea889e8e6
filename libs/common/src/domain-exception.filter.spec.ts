import { Client } from 'pg';
import { QueryFailedError } from 'typeorm';
import { freePort } from './free-port';
import { DomainExceptionFilter, isBackendUnavailable, isPoolTimeout } from './domain-exception.filter';

describe(DomainExceptionFilter.name, () => {
  const filter = new DomainExceptionFilter();

  it('answers 503 database_busy, in words, when no pool connection became free in time', () => {
    // The message `pg`'s Pool gives when connectionTimeoutMillis passes (pg-pool/index.js).
    const error = new Error('timeout exceeded when trying to connect');
    expect(isPoolTimeout(error)).toBe(true);
    const { status, body } = filter.toResponse(error);
    expect(status).toBe(503);
    expect(body.error).toMatchObject({ code: 'database_busy', message: expect.stringContaining('混み合っています') });
  });

  it('answers 503 backend_unavailable for PostgreSQL or Redis out of reach: refused, shutting down, a cut connection', async () => {
    // A real refusal: nothing listens on a free port.
    const refused = await new Client({ host: '127.0.0.1', port: await freePort(), connectionTimeoutMillis: 2000 }).connect().catch((e: unknown) => e);
    // What a query gets when PostgreSQL restarts (SQLSTATE 57P01, wrapped by TypeORM), and ioredis's words.
    const shutdown = new QueryFailedError('SELECT 1', [], Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
    const cases = [refused, shutdown, new Error('Connection terminated unexpectedly'), new Error('Connection is closed.'), Object.assign(new Error('Reached the max retries per request limit'), { name: 'MaxRetriesPerRequestError' })];
    for (const error of cases) {
      expect(isBackendUnavailable(error)).toBe(true);
      const { status, body } = filter.toResponse(error);
      expect({ status, code: body.error.code }).toEqual({ status: 503, code: 'backend_unavailable' });
      expect(body.error.message).toContain('しばらくしてから');
    }
    // A query that is wrong is a bug, not an outage.
    expect(isBackendUnavailable(new QueryFailedError('SELECT x', [], Object.assign(new Error('column "x" does not exist'), { code: '42703' })))).toBe(false);
  });

  it('keeps other unknown errors a plain 500 that says nothing of the cause', () => {
    const { status, body } = filter.toResponse(new Error('relation "x" does not exist'));
    expect(status).toBe(500);
    expect(body.error.code).toBe('internal_error');
    expect(JSON.stringify(body)).not.toContain('relation');
  });
});
