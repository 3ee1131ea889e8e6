import { gridEntries, keyId, suppress, TOTAL } from './disclosure';
import { addDiscreteLaplace, type UniformSource } from './noise';
import type { StatisticsAnswer, StatisticsTableSpec } from './result-check';

/**
 * The provider's side of a statistics release (issue #20): from each consenting resident's
 * contributions, the table of the grant — contributors and values per cell and total —
 * suppressed, and noised when the spec says so. Only this table leaves the provider.
 */

/** One resident's contribution to one cell: its coordinate and, for sums and means, its value. */
export interface Contribution {
  key: readonly string[];
  value?: number;
}

export interface ComputeOptions {
  /** For sums and means with noise: the largest value one contribution may have (values are clamped to [0, bound]). */
  valueBound?: number;
  uniform?: UniformSource;
}

/**
 * Builds the answer. A resident counts once per cell however many contributions it has there
 * (its values there are added). Contributions outside the grid are refused: the adapter must map
 * every resident to the grant's coarse values, and a value the grant does not know means a
 * mistake, not a new cell.
 */
export function computeAnswer(spec: StatisticsTableSpec, residents: Iterable<readonly Contribution[]>, options: ComputeOptions = {}): StatisticsAnswer {
  const dims = spec.dimensions.map((d) => d.values);
  const allowed = dims.map((values) => new Set(values));
  const valued = spec.aggregate === 'sum' || spec.aggregate === 'mean';
  const counts = new Map<string, number>();
  const sums = new Map<string, number>();
  /** Per cell, the first k residents (by their order here) counted in it: the threshold is on people, not resident-months. */
  const members = new Map<string, number[]>();
  let residentNo = 0;
  const perResident = cellsPerResident(spec);
  for (const contributions of residents) {
    const seen = new Set<string>();
    for (const c of contributions) {
      if (c.key.length !== dims.length || c.key.some((v, i) => !allowed[i].has(v))) throw new RangeError(`a contribution outside the grant's grid: ${JSON.stringify(c.key)}`);
      const id = keyId(c.key);
      if (!seen.has(id)) {
        seen.add(id);
        if (seen.size > perResident) throw new RangeError(`a resident in more than ${perResident} cells (one per month at most)`);
        counts.set(id, (counts.get(id) ?? 0) + 1);
        // A cell's first k residents are enough: a group holding a full cell has k people already.
        const list = members.get(id);
        if (list) { if (list.length < spec.k) list.push(residentNo); }
        else members.set(id, [residentNo]);
      }
      if (valued) {
        if (typeof c.value !== 'number' || !Number.isFinite(c.value)) throw new RangeError(`a ${spec.aggregate} needs a finite value per contribution`);
        const v = options.valueBound === undefined ? c.value : Math.min(Math.max(c.value, 0), options.valueBound);
        sums.set(id, (sums.get(id) ?? 0) + v);
      }
    }
    residentNo++;
  }

  const entries = gridEntries(dims, counts);
  // The totals' sums, the same way gridEntries adds up the counts.
  const entrySums = valued ? gridEntries(dims, new Map([...sums].map(([k, v]) => [k, Math.round(v)]))) : undefined;
  // The cells each entry covers (an inner cell covers itself; a total, every cell it sums).
  const cellsOf = entries.map((e) => [...members.keys()].filter((id) => {
    const key = id.split('\u001f');
    return e.key.every((v, d) => v === TOTAL || v === key[d]);
  }));
  const memo = new Map<string, number>();
  const distinct = (group: readonly number[]): number => {
    // Never more people than contributions: below k already, no need to count them.
    if (group.reduce((sum, i) => sum + entries[i].contributors, 0) < spec.k) return group.reduce((sum, i) => sum + entries[i].contributors, 0);
    const signature = group.join(',');
    const known = memo.get(signature);
    if (known !== undefined) return known;
    // Only "under k or not" matters to the rules, so counting stops at k: small sets, whatever the population.
    const people = new Set<number>();
    count: for (const i of group) for (const id of cellsOf[i]) for (const r of members.get(id)!) {
      people.add(r);
      if (people.size >= spec.k) break count;
    }
    memo.set(signature, people.size);
    return people.size;
  };
  // With one cell per resident, contributions are people and their sum is exact.
  const hidden = new Set(suppress(dims, entries, spec.k, perResident > 1 ? distinct : undefined).map((s) => s.index));
  const noise = spec.epsilon;
  const sensitivity = countSensitivity(spec);
  return {
    entries: entries.map((e, i) => {
      if (hidden.has(i)) return valued ? { key: [...e.key], contributors: null, value: null } : { key: [...e.key], contributors: null };
      let contributors = e.contributors;
      let sum = entrySums?.[i].contributors;
      if (noise !== undefined) {
        // Half of the budget to counts, half to sums (sequential composition within the release).
        const share = valued ? noise / 2 : noise;
        contributors = Math.max(0, addDiscreteLaplace(contributors, sensitivity, share, options.uniform));
        if (sum !== undefined) {
          if (options.valueBound === undefined) throw new RangeError('noise on sums needs a value bound');
          sum = addDiscreteLaplace(sum, sensitivity * Math.ceil(options.valueBound), share, options.uniform);
        }
      }
      if (!valued) return { key: [...e.key], contributors };
      const value = spec.aggregate === 'sum' ? sum! : contributors > 0 ? sum! / contributors : null;
      return { key: [...e.key], contributors, value };
    }),
  };
}

/**
 * How many cells one resident may be counted in: one municipality and one age band, one bin per
 * month (or one in all), so one cell per month of the grid, or one. Residents counted in more
 * are refused, so that the noise's sensitivity holds.
 */
export function cellsPerResident(spec: StatisticsTableSpec): number {
  return spec.dimensions.filter((d) => d.name === 'month').reduce((n, d) => n * d.values.length, 1);
}

/** The L1 sensitivity of the whole grid's counts: each cell of a resident is counted in it and in each of its 2^d − 1 totals. */
export function countSensitivity(spec: StatisticsTableSpec): number {
  return cellsPerResident(spec) * 2 ** spec.dimensions.length;
}
