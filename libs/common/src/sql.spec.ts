import { isUuid } from './sql';

describe(isUuid.name, () => {
  it('accepts the canonical form in either case', () => {
    expect(isUuid('0190a3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6b')).toBe(true);
    expect(isUuid('0190A3C4-5B6D-7E8F-9A0B-1C2D3E4F5A6B')).toBe(true);
    expect(isUuid('00000000-0000-0000-0000-000000000000')).toBe(true);
  });

  it('refuses what PostgreSQL would not take as a row id, and non-strings', () => {
    for (const value of [
      '', 'not-a-uuid', '0190a3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6', '0190a3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6bb', '0190a3c45b6d7e8f9a0b1c2d3e4f5a6b',
      '{0190a3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6b}', 'urn:uuid:0190a3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6b', ' 0190a3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6b',
      '0190a3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6b\n', '0190a3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6\u0000', '0190g3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6b',
    ]) expect([value, isUuid(value)]).toEqual([value, false]);
    for (const value of [undefined, null, 42, ['0190a3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6b'], { toString: () => '0190a3c4-5b6d-7e8f-9a0b-1c2d3e4f5a6b' }]) {
      expect(isUuid(value)).toBe(false);
    }
  });
});
