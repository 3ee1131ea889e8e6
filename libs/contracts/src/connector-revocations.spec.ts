import { cursorCovers, furtherCursor } from './connector-revocations';

describe('feed positions', () => {
  it('compares positions by their sequence number, not as text', () => {
    expect(cursorCovers('s:10', 's:9')).toBe(true);
    expect(cursorCovers('s:9', 's:10')).toBe(false);
    expect(cursorCovers('s:10', 's:10')).toBe(true);
    expect(cursorCovers('s:9223372036854775807', 's:9223372036854775806')).toBe(true);
  });

  it('covers nothing from a position it cannot read', () => {
    for (const cursor of [undefined, '', '10', 's:', 's:-1', 's:1e3', 'x:10', 's:12345678901234567890']) expect(cursorCovers(cursor, 's:1')).toBe(false);
    expect(cursorCovers('s:5', 'opaque')).toBe(false);
  });

  it('keeps the further of two positions, the defined one when one is missing, the second when they cannot be compared', () => {
    expect(furtherCursor('s:9', 's:10')).toBe('s:10');
    expect(furtherCursor('s:10', 's:9')).toBe('s:10');
    expect(furtherCursor(undefined, 's:3')).toBe('s:3');
    expect(furtherCursor('s:3', undefined)).toBe('s:3');
    expect(furtherCursor(undefined, undefined)).toBeUndefined();
    expect(furtherCursor('opaque', 's:3')).toBe('s:3');
  });
});
