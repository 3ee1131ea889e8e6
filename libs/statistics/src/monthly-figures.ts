import type { Contribution } from './compute';
import { keyId } from './disclosure';
import type { StatisticsTableSpec } from './result-check';
import { binLabels, type StatisticsUseDefinition } from './statistics-use';

/**
 * What a provider's service reports for a statistics grant (issue #20): per resident and month,
 * the resident's readings with its coarse groups. The connector turns them into the table's
 * contributions here — one figure per resident and month — and only the table leaves it.
 */
export interface MonthlyRow {
  localId: string;
  /** `YYYY-MM`, Japan time. */
  month: string;
  /** The reading (sums, means, histograms); ignored for counts. */
  value?: number;
  municipality?: string;
  age_band?: string;
}

/** Rows the connector did not count, by why (none of them may change the table). */
export interface IgnoredRows {
  /** A local ID the grant does not name: the service answered for someone who did not opt in. */
  notInGrant: number;
  /** A month outside the grant's period. */
  outsidePeriod: number;
}

/**
 * Each granted resident's contributions: per month, one figure — the mean of its readings for
 * means and histograms, their total for sums, its presence for counts — keyed by the table's
 * dimensions (a histogram's bin from the figure). A row missing a dimension the table groups by,
 * or without a finite value where one is needed, is an error of the adapter (RangeError), not a
 * resident to leave out silently.
 */
export function monthlyContributions(
  definition: Pick<StatisticsUseDefinition, 'aggregate' | 'bins'>, spec: StatisticsTableSpec, rows: Iterable<MonthlyRow>, subjects: ReadonlySet<string>,
): { residents: Contribution[][]; ignored: IgnoredRows } {
  const months = new Set(spec.dimensions.find((d) => d.name === 'month')?.values ?? []);
  const periodMonths = months.size ? months : undefined;
  const grouped = spec.dimensions.map((d) => d.name).filter((name): name is 'municipality' | 'age_band' | 'month' => name !== 'bin');
  const byResident = new Map<string, Map<string, { key: string[]; total: number; n: number }>>();
  const ignored: IgnoredRows = { notInGrant: 0, outsidePeriod: 0 };
  const needsValue = definition.aggregate !== 'count';
  for (const row of rows) {
    if (!subjects.has(row.localId)) { ignored.notInGrant++; continue; }
    if (periodMonths && !periodMonths.has(row.month)) { ignored.outsidePeriod++; continue; }
    const key = grouped.map((name) => {
      const value = name === 'month' ? row.month : row[name];
      if (typeof value !== 'string' || !value) throw new RangeError(`a row without ${name}`);
      return value;
    });
    if (needsValue && (typeof row.value !== 'number' || !Number.isFinite(row.value))) throw new RangeError('a row without a finite value');
    const cells = byResident.get(row.localId) ?? new Map();
    byResident.set(row.localId, cells);
    const id = keyId(key);
    const cell = cells.get(id) ?? { key, total: 0, n: 0 };
    cells.set(id, cell);
    cell.total += needsValue ? row.value! : 0;
    cell.n += 1;
  }
  const labels = definition.aggregate === 'histogram' ? binLabels(definition.bins ?? []) : [];
  const residents: Contribution[][] = [];
  for (const cells of byResident.values()) {
    residents.push([...cells.values()].map(({ key, total, n }) => {
      switch (definition.aggregate) {
        case 'count': return { key };
        case 'sum': return { key, value: total };
        case 'mean': return { key, value: total / n };
        case 'histogram': return { key: [...key, labels[binIndex(definition.bins!, total / n)]] };
      }
    }));
  }
  return { residents, ignored };
}

/** The bin of a figure: [e₀, e₁), …, [e_last, ∞); below the first edge falls into the first bin. */
function binIndex(edges: readonly number[], figure: number): number {
  let i = 0;
  while (i + 1 < edges.length && figure >= edges[i + 1]) i++;
  return i;
}
