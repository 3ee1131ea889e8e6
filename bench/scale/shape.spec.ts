import { growthPerYear, medianAndSpread, parseScaleArgs, percentile, SECONDS_PER_YEAR, sizesAt, skewedIndex, skewedShare, spreadPrime } from './shape';

describe('scale data set shape', () => {
  it('asks for the issue\'s figures at scale 1 and a tenth of them at 0.1', () => {
    expect(sizesAt(1)).toEqual({ residents: 600_000, consentVersions: 3_000_000, connectors: 5_000, ledgerRows: 30_000_000, auditRows: 2_000_000 });
    expect(sizesAt(0.1)).toMatchObject({ residents: 60_000, consentVersions: 300_000, ledgerRows: 3_000_000 });
    expect(sizesAt(0.000001).connectors).toBe(100);
    expect(() => sizesAt(0)).toThrow(/positive/);
  });

  it('skews draws towards the first indexes with shares that add up to one', () => {
    expect(skewedIndex(0, 600_000)).toBe(0);
    expect(skewedIndex(0.999999, 10)).toBe(9);
    expect(skewedIndex(0.5, 100)).toBe(25);
    const n = 1000;
    const total = Array.from({ length: n }, (_, i) => skewedShare(i, n)).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 10);
    expect(skewedShare(0, n)).toBeGreaterThan(10 * skewedShare(n / 2, n));
  });

  it('spreads with a multiplier coprime to the count (a permutation)', () => {
    for (const n of [100, 7919 * 2, 6000]) {
      const p = spreadPrime(n);
      expect(new Set(Array.from({ length: n }, (_, i) => (i * p) % n)).size).toBe(n);
    }
  });

  it('turns bytes per row into bytes per year at a rate of exchanges', () => {
    const [line] = growthPerYear([{ table: 'provision_records', rows: 1000, bytes: 500_000, rowsPerExchange: 1 }], 1000);
    expect(line).toEqual({ table: 'provision_records', bytesPerRow: 500, rowsPerYear: 1000 * SECONDS_PER_YEAR, bytesPerYear: 500 * 1000 * SECONDS_PER_YEAR });
  });

  it('reports median and spread, and nearest-rank percentiles', () => {
    expect(medianAndSpread([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3 });
    expect(medianAndSpread([4, 1, 2, 3])).toEqual({ median: 2.5, min: 1, max: 4 });
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 99)).toBe(99);
  });

  it('reads --scale, --keep, --reuse and --rounds, and refuses anything else', () => {
    expect(parseScaleArgs([])).toEqual({ scale: 1, keep: false, rounds: 3 });
    expect(parseScaleArgs(['--scale', '0.1', '--keep', '--rounds=1'])).toEqual({ scale: 0.1, keep: true, rounds: 1 });
    expect(parseScaleArgs(['--reuse', 'tsunagu_scale_x'])).toMatchObject({ reuse: 'tsunagu_scale_x' });
    expect(() => parseScaleArgs(['--reuse', 'x; DROP'])).toThrow(/bad database/);
    expect(() => parseScaleArgs(['--fast'])).toThrow(/unknown argument/);
  });
});
