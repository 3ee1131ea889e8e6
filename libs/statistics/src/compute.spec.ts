import { computeAnswer, countSensitivity, type Contribution } from './compute';
import { TOTAL } from './disclosure';
import { checkStatisticsAnswer, type StatisticsTableSpec } from './result-check';

const MUNICIPALITIES = ['tottori', 'kurayoshi', 'misasa'];
const MONTHS = ['2026-09', '2026-10', '2026-11'];
const steps: StatisticsTableSpec = {
  aggregate: 'mean',
  dimensions: [{ name: 'municipality', values: MUNICIPALITIES }, { name: 'month', values: MONTHS }],
  k: 10,
};

/** `n` residents of a municipality, each with a month's steps in every month (resident i walks 1,000 + i a day). */
function residents(municipality: string, n: number, months = MONTHS): Contribution[][] {
  return Array.from({ length: n }, (_, i) => months.map((month) => ({ key: [municipality, month], value: (1000 + i) * 30 })));
}

describe(computeAnswer.name, () => {
  const population = [...residents('tottori', 30), ...residents('kurayoshi', 12), ...residents('misasa', 4)];

  it('computes means per municipality and month, hides the small municipality, and passes the hub\'s check', () => {
    const answer = computeAnswer(steps, population);
    expect(checkStatisticsAnswer(steps, answer)).toEqual([]);
    const at = (m: string, mo: string) => answer.entries.find((e) => e.key[0] === m && e.key[1] === mo)!;
    expect(at('tottori', '2026-10')).toEqual({ key: ['tottori', '2026-10'], contributors: 30, value: (1000 * 30 + (29 * 30) / 2) * 30 / 30 });
    expect(at('misasa', '2026-10')).toMatchObject({ contributors: null, value: null });
    // Misasa's 4 cannot be had from the totals: kurayoshi (12, the next smallest) is hidden with it in every month.
    expect(at('kurayoshi', '2026-10')).toMatchObject({ contributors: null });
    expect(at(TOTAL, '2026-10')).toMatchObject({ contributors: 46 });
    // No per-resident value anywhere: the answer is the grid of the grant, nothing else.
    expect(answer.entries).toHaveLength(4 * 4);
    expect(JSON.stringify(answer)).not.toMatch(/resident|local|C-\d/);
  });

  it('counts a resident once per cell and refuses one in more cells than a month grid allows', () => {
    const twice: Contribution[] = [{ key: ['tottori', '2026-09'], value: 1 }, { key: ['tottori', '2026-09'], value: 2 }];
    const answer = computeAnswer({ ...steps, aggregate: 'sum' }, [twice, ...residents('tottori', 20)]);
    expect(answer.entries.find((e) => e.key[0] === 'tottori' && e.key[1] === '2026-09')).toMatchObject({ contributors: 21 });
    const countSpec: StatisticsTableSpec = { aggregate: 'count', dimensions: [{ name: 'municipality', values: MUNICIPALITIES }], k: 10 };
    expect(() => computeAnswer(countSpec, [[{ key: ['tottori'] }, { key: ['misasa'] }]])).toThrow(RangeError);
  });

  it('refuses contributions outside the grant\'s grid and values that are not numbers', () => {
    expect(() => computeAnswer(steps, [[{ key: ['yonago', '2026-09'], value: 1 }]])).toThrow(RangeError);
    expect(() => computeAnswer(steps, [[{ key: ['tottori'], value: 1 }]])).toThrow(RangeError);
    expect(() => computeAnswer(steps, [[{ key: ['tottori', '2026-09'] }]])).toThrow(RangeError);
    expect(() => computeAnswer(steps, [[{ key: ['tottori', '2026-09'], value: Number.NaN }]])).toThrow(RangeError);
  });

  it('adds noise when the spec spends epsilon, keeping the suppression of the true counts', () => {
    const noisy: StatisticsTableSpec = { ...steps, aggregate: 'sum', epsilon: 1 };
    let seed = 1;
    const uniform = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
    const answer = computeAnswer(noisy, population, { valueBound: 100_000, uniform });
    expect(checkStatisticsAnswer(noisy, answer)).toEqual([]);
    const exact = computeAnswer({ ...noisy, epsilon: undefined }, population);
    expect(answer.entries.map((e) => e.contributors === null)).toEqual(exact.entries.map((e) => e.contributors === null));
    expect(answer.entries.some((e, i) => e.contributors !== exact.entries[i].contributors)).toBe(true);
    expect(countSensitivity(noisy)).toBe(3 * 4);
    expect(() => computeAnswer(noisy, population)).toThrow(/value bound/);
  });
});

describe('the threshold is on residents, not resident-months', () => {
  it('hides a municipality\'s year total when fewer than k residents make it, however many months they report', () => {
    const year: StatisticsTableSpec = {
      aggregate: 'count', k: 10,
      dimensions: [{ name: 'municipality', values: ['tottori', 'kofu'] }, { name: 'month', values: MONTHS }],
    };
    // Kōfu: 5 residents over 3 months = 15 contributions to its row total, but 5 people.
    const answer = computeAnswer(year, [...residents('tottori', 30), ...residents('kofu', 5)]);
    const at = (m: string, mo: string) => answer.entries.find((e) => e.key[0] === m && e.key[1] === mo)!;
    expect(at('kofu', TOTAL).contributors).toBeNull();
    for (const month of MONTHS) expect(at('kofu', month).contributors).toBeNull();
    // …and Tottori's year total with it, or the grand total minus Tottori's would give Kōfu's.
    expect(at('tottori', TOTAL).contributors).toBeNull();
    expect(at(TOTAL, TOTAL).contributors).toBe(105);
    expect(at(TOTAL, MONTHS[0]).contributors).toBe(35);
    expect(checkStatisticsAnswer(year, answer)).toEqual([]);
  });
});
