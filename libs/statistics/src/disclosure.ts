/**
 * Disclosure control of an aggregate table computed at a provider (issue #20): cell suppression
 * with complementary suppression, and the check the hub makes of what a provider returns.
 *
 * The table is additive and published with its marginal totals: for dimensions of n₁ … n_d
 * values, the entries form an (n₁ + 1) × … × (n_d + 1) grid in which coordinate `TOTAL` along a
 * dimension is the sum over that dimension. A **line** is the n_i + 1 entries that differ only in
 * dimension i (the n_i inner ones and their total); anyone holding the published entries of a
 * line can subtract, so along every line:
 *
 * - an entry with 0 < contributors < k is suppressed (primary suppression; a zero is published:
 *   it describes nobody);
 * - a line with suppressed entries must have at least two, and together at least k contributors
 *   (otherwise the difference of the published ones gives the hidden one, or a group under k) —
 *   unless all its entries are suppressed. Complementary suppressions are added, smallest first,
 *   until every line holds.
 *
 * This is the line rule of cell-suppression practice (e.g. the 「秘匿」 of Japan's official
 * statistics); it rules out recovery by subtraction along any line. It does not prove that no
 * suppressed value can be narrowed to an interval by solving several lines together (what an
 * optimal, linear-programming-audited suppression such as τ-ARGUS does); tables here have at
 * most three dimensions of coarse values, and the optional noise ({@link ./noise}) is the answer
 * where more is needed.
 */

/** The coordinate of an entry along a dimension over which it is the total. */
export const TOTAL = '*';

/** The smallest k a statistics data use may set (issue #20: k ≥ 10, configurable upward only). */
export const MIN_K = 10;

/** One entry of the grid: its coordinate per dimension (a value or {@link TOTAL}) and how many residents it counts. */
export interface TableEntry {
  key: readonly string[];
  contributors: number;
}

/** Why an entry is hidden: it counts too few (`primary`) or it protects one that does (`complementary`). */
export type SuppressionReason = 'primary' | 'complementary';

export interface Suppression {
  /** Index into the entries, in {@link gridEntries} order. */
  index: number;
  reason: SuppressionReason;
}

/** Every coordinate of the grid of `dimensions` (each with its values, then {@link TOTAL}), in row-major order. */
export function gridKeys(dimensions: readonly (readonly string[])[]): string[][] {
  let keys: string[][] = [[]];
  for (const values of dimensions) {
    keys = keys.flatMap((prefix) => [...values, TOTAL].map((v) => [...prefix, v]));
  }
  return keys;
}

/**
 * The whole grid from the counts of the inner cells (one per combination of values; a missing
 * combination counts 0): the totals are summed here, so they always add up.
 */
export function gridEntries(dimensions: readonly (readonly string[])[], cellCounts: ReadonlyMap<string, number>): TableEntry[] {
  const keys = gridKeys(dimensions);
  const counts = new Map<string, number>();
  for (const key of keys) {
    if (key.includes(TOTAL)) continue;
    const n = cellCounts.get(keyId(key)) ?? 0;
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`a cell counts ${n} contributors`);
    // Add the cell to every entry it is part of: itself and each of its totals (2^d entries).
    for (let mask = 0; mask < 1 << key.length; mask++) {
      const target = key.map((v, i) => (mask & (1 << i) ? TOTAL : v));
      const id = keyId(target);
      counts.set(id, (counts.get(id) ?? 0) + n);
    }
  }
  return keys.map((key) => ({ key, contributors: counts.get(keyId(key)) ?? 0 }));
}

/** A stable text form of a coordinate (values cannot contain the separator: they are codes). */
export function keyId(key: readonly string[]): string {
  return key.join('\u001f');
}

/** Each line of the grid: the indexes of its entries, the total last. */
export function gridLines(dimensions: readonly (readonly string[])[]): number[][] {
  const sizes = dimensions.map((values) => values.length + 1);
  const strides = sizes.map((_, i) => sizes.slice(i + 1).reduce((a, b) => a * b, 1));
  const total = sizes.reduce((a, b) => a * b, 1);
  const lines: number[][] = [];
  for (let d = 0; d < sizes.length; d++) {
    for (let start = 0; start < total; start++) {
      // A line starts where the coordinate along d is 0.
      if (Math.floor(start / strides[d]) % sizes[d] !== 0) continue;
      lines.push(Array.from({ length: sizes[d] }, (_, j) => start + j * strides[d]));
    }
  }
  return lines;
}

/**
 * How many distinct residents a group of entries counts. An entry's `contributors` count a resident
 * once per cell, so a total over months counts resident-months; the threshold is on people, so
 * the provider, which knows who is in which cell, passes the exact count of the union. Without it
 * the sum of contributions is used, which is exact when each resident is in one cell only. The
 * rules only ask whether a group is under k, so an implementation may stop counting at k.
 */
export type DistinctResidents = (entries: readonly number[]) => number;

/** True when the hidden entries of a line cannot be recovered along it (see the module's comment). */
function lineHolds(line: readonly number[], hidden: ReadonlySet<number>, residentsOf: DistinctResidents, k: number): boolean {
  const inLine = line.filter((i) => hidden.has(i));
  if (inLine.length === 0 || inLine.length === line.length) return true;
  return inLine.length >= 2 && residentsOf(inLine) >= k;
}

/**
 * The suppressions that protect `entries` (from {@link gridEntries}) at threshold `k`: primary
 * ones (an entry of 1 to k − 1 residents), then complementary ones, each the entry of the failing
 * line with the fewest contributors (non-zero first, inner cells before totals), until every line
 * holds — its hidden entries none, all, or at least two that together count at least k residents.
 */
export function suppress(dimensions: readonly (readonly string[])[], entries: readonly TableEntry[], k: number, distinct?: DistinctResidents): Suppression[] {
  if (!Number.isSafeInteger(k) || k < MIN_K) throw new RangeError(`k must be an integer ≥ ${MIN_K}`);
  const lines = gridLines(dimensions);
  if (entries.length !== lines.reduce((max, line) => Math.max(max, ...line), -1) + 1) throw new RangeError('entries do not fill the grid');
  const residentsOf: DistinctResidents = distinct ?? ((group) => group.reduce((sum, i) => sum + entries[i].contributors, 0));
  const hidden = new Map<number, SuppressionReason>();
  entries.forEach((e, i) => {
    if (e.contributors > 0 && residentsOf([i]) < k) hidden.set(i, 'primary');
  });
  const isTotal = (i: number) => entries[i].key.includes(TOTAL);
  const order = (a: number, b: number) =>
    Number(entries[a].contributors === 0) - Number(entries[b].contributors === 0)
    || Number(isTotal(a)) - Number(isTotal(b))
    || entries[a].contributors - entries[b].contributors
    || a - b;
  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines) {
      if (lineHolds(line, new Set(hidden.keys()), residentsOf, k)) continue;
      const candidate = line.filter((i) => !hidden.has(i)).sort(order)[0];
      hidden.set(candidate, 'complementary');
      changed = true;
    }
  }
  return [...hidden].map(([index, reason]) => ({ index, reason })).sort((a, b) => a.index - b.index);
}

/** What the hub finds wrong with a returned table. */
export type DisclosureViolation =
  | { code: 'cell_under_k'; key: readonly string[]; contributors: number }
  | { code: 'suppression_recoverable'; line: readonly (readonly string[])[] };

/** A returned entry: its contributors when published, `null` when suppressed. */
export interface ReturnedEntry {
  key: readonly string[];
  contributors: number | null;
}

/**
 * The hub's check of a table a provider returned (exact counts, no noise): every published entry
 * counts 0 or at least k, and along every line the suppressed entries are none, all, or at least
 * two whose sum — which anyone can compute from a published total — is at least k. With noise the
 * counts are not exact, so only the pattern is checked (`noisy`).
 */
export function checkDisclosure(dimensions: readonly (readonly string[])[], returned: readonly ReturnedEntry[], k: number, noisy = false): DisclosureViolation[] {
  const violations: DisclosureViolation[] = [];
  if (!noisy) {
    for (const e of returned) {
      if (e.contributors !== null && e.contributors > 0 && e.contributors < k) violations.push({ code: 'cell_under_k', key: e.key, contributors: e.contributors });
    }
  }
  for (const line of gridLines(dimensions)) {
    const hiddenIdx = line.filter((i) => returned[i].contributors === null);
    if (hiddenIdx.length === 0 || hiddenIdx.length === line.length) continue;
    let recoverable = hiddenIdx.length < 2;
    const totalIdx = line[line.length - 1];
    const total = returned[totalIdx].contributors;
    if (!recoverable && !noisy && total !== null) {
      const shown = line.slice(0, -1).reduce((sum, i) => sum + (returned[i].contributors ?? 0), 0);
      recoverable = total - shown < k;
    }
    if (recoverable) violations.push({ code: 'suppression_recoverable', line: line.map((i) => returned[i].key) });
  }
  return violations;
}
