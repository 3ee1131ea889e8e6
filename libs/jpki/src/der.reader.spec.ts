import { decodeOid, DerError, normalizeSerialHex, readTime, readTlv, readWhole, TAG } from './der.reader';

describe('DER reader', () => {
  it('reads short and long definite lengths', () => {
    const long = Buffer.concat([Buffer.from([0x04, 0x81, 0x80]), Buffer.alloc(0x80)]);

    expect(readTlv(Buffer.from([0x04, 0x02, 1, 2]), 0, 4)).toEqual({ tag: 0x04, start: 0, contentStart: 2, end: 4 });
    expect(readWhole(long, TAG.OCTET_STRING, 'x').end).toBe(long.length);
  });

  it.each([
    ['indefinite length', [0x30, 0x80, 0x00, 0x00]],
    ['non-minimal long form', [0x04, 0x81, 0x01, 0x00]],
    ['leading zero length octet', [0x04, 0x82, 0x00, 0x81, ...new Array(0x81).fill(0)]],
    ['length past the end', [0x04, 0x05, 0x00]],
    ['multi-byte tag', [0x1f, 0x81, 0x01, 0x00]],
    ['trailing data', [0x05, 0x00, 0x00]],
  ])('refuses %s', (_label, bytes) => {
    expect(() => readWhole(Uint8Array.from(bytes), bytes[0], 'x')).toThrow(DerError);
  });

  it('decodes object identifiers', () => {
    expect(decodeOid(Buffer.from('2a83088c9b550805010103', 'hex'))).toBe('1.2.392.200149.8.5.1.1.3');
    expect(decodeOid(Buffer.from('551d11', 'hex'))).toBe('2.5.29.17');
    expect(() => decodeOid(Buffer.from('2a83', 'hex'))).toThrow(DerError);
  });

  it('parses UTCTime and GeneralizedTime strictly', () => {
    const time = (tag: number, s: string) => {
      const b = Buffer.concat([Buffer.from([tag, s.length]), Buffer.from(s, 'latin1')]);
      return readTime(b, readTlv(b, 0, b.length));
    };

    expect(time(TAG.UTC_TIME, '260401000000Z').toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(time(TAG.UTC_TIME, '991231235959Z').toISOString()).toBe('1999-12-31T23:59:59.000Z');
    expect(time(TAG.GENERALIZED_TIME, '20500101000000Z').toISOString()).toBe('2050-01-01T00:00:00.000Z');
    expect(() => time(TAG.UTC_TIME, '260231000000Z')).toThrow(DerError);
    expect(() => time(TAG.UTC_TIME, '2604010000Z')).toThrow(DerError);
    expect(() => time(TAG.UTC_TIME, '260401000000+0900')).toThrow(DerError);
  });

  it('normalises serial numbers', () => {
    expect(normalizeSerialHex('00:FF:02')).toBe('ff02');
    expect(normalizeSerialHex('0')).toBe('00');
    expect(normalizeSerialHex('abc')).toBe('0abc');
    expect(normalizeSerialHex('xyz')).toBeUndefined();
  });
});
