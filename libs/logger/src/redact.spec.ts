import { isSecretName, REDACTED, redactSecrets } from './redact';

describe('log redaction', () => {
  it.each(['password', 'newPassword', 'client_secret', 'refreshToken', 'id_token', 'Authorization', 'cookie', 'clientAssertion', 'signature', 'certificate', 'ackJws', 'privateKey', 'private_key', 'payload', 'body', 'otp', 'pin'])('drops %s', (name) => {
    expect(isSecretName(name)).toBe(true);
  });
  it.each(['items', 'opinion', 'tokenType', 'spinner', 'somebody', 'connectorId', 'grantId', 'status', 'bodyBytes', 'jwksUrl', 'stack', 'code'])('keeps %s', (name) => {
    expect(isSecretName(name)).toBe(false);
  });

  it('removes secrets at any depth and JWTs wherever they appear, message included', () => {
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJyZXNpZGVudCJ9.c2lnbmF0dXJlLXZhbHVlLXg';
    const info = redactSecrets().transform({
      level: 'info', message: `refused ${jwt}`, [Symbol.for('level')]: 'info',
      details: { password: 'tsunagu-demo-2026', nested: [{ refresh_token: 'abc', note: `see ${jwt}` }], count: 3 },
      accessToken: 'opaque', connectorId: 'c-1',
    } as never) as Record<string, unknown>;
    expect(JSON.stringify(info)).not.toContain('tsunagu-demo-2026');
    expect(JSON.stringify(info)).not.toContain('eyJ');
    expect(info).toMatchObject({ message: `refused ${REDACTED}`, accessToken: REDACTED, connectorId: 'c-1', details: { password: REDACTED, count: 3, nested: [{ refresh_token: REDACTED, note: `see ${REDACTED}` }] } });
  });
});
