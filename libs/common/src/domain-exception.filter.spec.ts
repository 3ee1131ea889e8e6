import { DomainExceptionFilter, isPoolTimeout } from './domain-exception.filter';

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

  it('keeps other unknown errors a plain 500 that says nothing of the cause', () => {
    const { status, body } = filter.toResponse(new Error('relation "x" does not exist'));
    expect(status).toBe(500);
    expect(body.error.code).toBe('internal_error');
    expect(JSON.stringify(body)).not.toContain('relation');
  });
});
