import { LogKind } from '@tsunagu/logger';
import { logKindOf } from './audit-event';
import { canonicalJson, cleanDetails, cleanString, GENESIS_HASH, hashRecord } from './audit-hash';

describe(hashRecord.name, () => {
  const record = {
    seq: 1, time: '2026-11-22T10:00:00.123Z', type: 'auth.sign_in', actor: { kind: 'resident' as const, id: 'r-1' },
    tenantId: null, subject: 'r-1', outcome: 'success' as const, reason: null, details: { b: 1, a: { y: [1, 'x'], x: true } },
    correlationId: 'c-1', prevHash: GENESIS_HASH,
  };

  it('gives the same hash whatever order the keys come back in', () => {
    const reordered = { ...record, details: { a: { x: true, y: [1, 'x'] }, b: 1 } };
    expect(hashRecord(reordered)).toBe(hashRecord(record));
    expect(hashRecord(record)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes when any field changes, the previous hash included', () => {
    const base = hashRecord(record);
    expect(hashRecord({ ...record, seq: 2 })).not.toBe(base);
    expect(hashRecord({ ...record, outcome: 'failure' })).not.toBe(base);
    expect(hashRecord({ ...record, details: { b: 2, a: { y: [1, 'x'], x: true } } })).not.toBe(base);
    expect(hashRecord({ ...record, prevHash: 'f'.repeat(64) })).not.toBe(base);
    expect(hashRecord({ ...record, actor: { kind: 'admin', id: 'r-1' } })).not.toBe(base);
  });

  it('writes canonical JSON without whitespace and with sorted keys', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: null }], a: 'é', u: undefined })).toBe('{"a":"é","b":[2,{"c":null,"d":1}]}');
  });
});

describe(cleanDetails.name, () => {
  it('redacts values under secret-looking keys, however they are cased', () => {
    expect(cleanDetails({ password: 'x', clientSecret: 'y', access_token: 'z', jpki_pin: '1234', apiKey: 'k', tokenCount: 3, signatureValid: true }))
      .toEqual({ password: '[redacted]', clientSecret: '[redacted]', access_token: '[redacted]', jpki_pin: '[redacted]', apiKey: '[redacted]', tokenCount: 3, signatureValid: true });
  });

  it('caps strings and depth and turns dates into ISO strings', () => {
    const out = cleanDetails({ long: 'a'.repeat(2000), at: new Date('2026-01-01T00:00:00Z'), deep: { a: { b: { c: { d: 1 } } } } });
    expect((out.long as string).length).toBe(501);
    expect(out.at).toBe('2026-01-01T00:00:00.000Z');
    expect(out.deep).toEqual({ a: { b: { c: '[truncated]' } } });
  });

  it('removes what PostgreSQL cannot store identically', () => {
    expect(cleanString('a\u0000b\uD800c')).toBe('ab\uFFFDc');
  });
});

describe(logKindOf.name, () => {
  it('mirrors sign-ins as authentication, admin changes as operation and decisions as event', () => {
    expect(logKindOf('auth.sign_in_failed')).toBe(LogKind.Authentication);
    expect(logKindOf('jpki.verification')).toBe(LogKind.Authentication);
    expect(logKindOf('admin.change')).toBe(LogKind.Operation);
    expect(logKindOf('link.removed')).toBe(LogKind.Operation);
    expect(logKindOf('consent.decision')).toBe(LogKind.Event);
    expect(logKindOf('grant.refused')).toBe(LogKind.Event);
  });
});
