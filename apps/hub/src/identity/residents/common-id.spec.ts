import { dammCheckDigit, formatCommonId, generateCommonId, normalizeCommonId } from './common-id';

describe('common ID', () => {
  it('generates 16 digits whose check digit validates', () => {
    for (let i = 0; i < 200; i++) {
      const id = generateCommonId();
      expect(id).toMatch(/^[1-9]\d{15}$/);
      expect(normalizeCommonId(id)).toBe(id);
    }
  });

  it('computes the Damm check digit of the reference example', () => {
    expect(dammCheckDigit('572')).toBe(4);
    expect(dammCheckDigit('5724')).toBe(0);
  });

  it('catches every single-digit error', () => {
    const id = generateCommonId();
    for (let pos = 1; pos < id.length; pos++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === id[pos]) continue;
        const typo = id.slice(0, pos) + d + id.slice(pos + 1);
        expect(normalizeCommonId(typo)).toBeUndefined();
      }
    }
  });

  it('catches every adjacent transposition', () => {
    const id = generateCommonId();
    for (let pos = 0; pos < id.length - 1; pos++) {
      if (id[pos] === id[pos + 1]) continue;
      const swapped = id.slice(0, pos) + id[pos + 1] + id[pos] + id.slice(pos + 2);
      if (swapped[0] === '0') continue;
      expect(normalizeCommonId(swapped)).toBeUndefined();
    }
  });

  it('accepts the displayed form with hyphens and spaces', () => {
    const id = generateCommonId();
    expect(normalizeCommonId(formatCommonId(id))).toBe(id);
    expect(normalizeCommonId(` ${formatCommonId(id).replace(/-/g, ' ')} `)).toBe(id);
    expect(formatCommonId('1234567890123456')).toBe('1234-5678-9012-3456');
  });
});
