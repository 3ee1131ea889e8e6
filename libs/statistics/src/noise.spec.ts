import { addDiscreteLaplace, discreteLaplaceStdDev, PrivacyBudget, secureUniform } from './noise';

/** A seeded uniform in (0, 1), so that the statistics below are the same on every run. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((((x ^ (x >>> 14)) >>> 0) + 0.5) / 2 ** 32);
  };
}

describe('discrete Laplace noise', () => {
  it('is centred on the value, with the spread its epsilon and sensitivity give, and integer', () => {
    for (const [sensitivity, epsilon] of [[1, 1], [1, 0.1], [12, 1]] as const) {
      const uniform = seeded(7 + sensitivity);
      const n = 40_000;
      let sum = 0;
      let squares = 0;
      for (let i = 0; i < n; i++) {
        const noisy = addDiscreteLaplace(100, sensitivity, epsilon, uniform);
        expect(Number.isInteger(noisy)).toBe(true);
        sum += noisy - 100;
        squares += (noisy - 100) ** 2;
      }
      const sd = discreteLaplaceStdDev(sensitivity, epsilon);
      expect(Math.abs(sum / n)).toBeLessThan((5 * sd) / Math.sqrt(n));
      expect(Math.sqrt(squares / n) / sd).toBeGreaterThan(0.95);
      expect(Math.sqrt(squares / n) / sd).toBeLessThan(1.05);
    }
  });

  it('draws from the secure source by default, within (0, 1)', () => {
    for (let i = 0; i < 1000; i++) {
      const u = secureUniform();
      expect(u).toBeGreaterThan(0);
      expect(u).toBeLessThan(1);
    }
    expect(Number.isInteger(addDiscreteLaplace(5, 1, 1))).toBe(true);
  });

  it('refuses what it cannot make private', () => {
    expect(() => addDiscreteLaplace(1.5, 1, 1)).toThrow(RangeError);
    expect(() => addDiscreteLaplace(1, 0, 1)).toThrow(RangeError);
    expect(() => addDiscreteLaplace(1, 1, 0)).toThrow(RangeError);
    expect(() => addDiscreteLaplace(1, 1, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe(PrivacyBudget.name, () => {
  it('spends until the total and then refuses, spending nothing', () => {
    const budget = new PrivacyBudget(1);
    expect(budget.spend(0.3)).toBe(true);
    expect(budget.spend(0.3)).toBe(true);
    expect(budget.spend(0.4)).toBe(true);
    expect(budget.spend(0.1)).toBe(false);
    expect(budget.spent).toBeCloseTo(1);
    expect(budget.remaining).toBe(0);
    expect(() => budget.spend(-1)).toThrow(RangeError);
    expect(() => new PrivacyBudget(0)).toThrow(RangeError);
  });
});
