/**
 * The shape of the prefecture-sized data set (`npm run bench:scale`, issue #19 part 5), as plain
 * numbers: how many rows of each table a scale asks for, how the load is skewed, and how tables
 * grow per year at a given exchange rate. The seed's SQL (seed.ts) applies the same formulas inside
 * PostgreSQL; these functions are what a unit spec can check and what the report prints.
 */

/** Tottori had about 540,000 residents in 2025; the issue asks for 600,000 to leave headroom. */
export const FULL_SIZE = {
  residents: 600_000,
  /** Consent versions: three consents per resident, two of them with a second version (5 per resident). */
  consentVersions: 3_000_000,
  connectors: 5_000,
  ledgerRows: 30_000_000,
  /** Not named by the issue: enough rows to time the append and `audit:verify` per million rows. */
  auditRows: 2_000_000,
} as const;

export type DataSetSize = { -readonly [K in keyof typeof FULL_SIZE]: number };

/** Consents per resident and how many of them have a second version. */
export const CONSENTS_PER_RESIDENT = 3;
export const VERSIONED_CONSENTS_PER_RESIDENT = 2;

/** The sizes at `scale` (1 = the figures); never fewer than a handful of each. */
export function sizesAt(scale: number): DataSetSize {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`scale must be a positive number, not ${scale}`);
  const residents = Math.max(100, Math.round(FULL_SIZE.residents * scale));
  return {
    residents,
    consentVersions: residents * (CONSENTS_PER_RESIDENT + VERSIONED_CONSENTS_PER_RESIDENT),
    connectors: Math.max(100, Math.round(FULL_SIZE.connectors * scale)),
    ledgerRows: Math.max(1_000, Math.round(FULL_SIZE.ledgerRows * scale)),
    auditRows: Math.max(1_000, Math.round(FULL_SIZE.auditRows * scale)),
  };
}

/**
 * Maps a uniform u in [0, 1) onto 0..n-1 with density ∝ 1/√x: index i receives a share
 * √((i+1)/n) − √(i/n) of the draws, so the most active resident sees about √n times the median's
 * load (at 600,000 residents and 30 M rows: ≈ 38,700 rows against a median of ≈ 50). The seed
 * applies it as `floor(n * u * u)`.
 */
export function skewedIndex(u: number, n: number): number {
  return Math.min(n - 1, Math.floor(n * u * u));
}

/** The share of all draws that index `i` of `n` receives under {@link skewedIndex}. */
export function skewedShare(i: number, n: number): number {
  return Math.sqrt((i + 1) / n) - Math.sqrt(i / n);
}

/**
 * A permutation of 0..n-1 (i ↦ i·p mod n, p coprime to n) so the busiest residents are spread over
 * the table rather than its first rows.
 */
export function spreadPrime(n: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let p = 7_919;
  while (gcd(p, n) !== 1) p += 2;
  return p;
}

export interface TableGrowth {
  table: string;
  rows: number;
  bytes: number;
  /** Rows written per exchange (a ledger row, the audit rows of its grant, …). */
  rowsPerExchange: number;
}

export interface GrowthLine {
  table: string;
  bytesPerRow: number;
  rowsPerYear: number;
  bytesPerYear: number;
}

export const SECONDS_PER_YEAR = 365 * 86_400;

/** Measured bytes per row (table, TOAST and indexes ÷ rows) × rows per year at `exchangesPerSecond`. */
export function growthPerYear(tables: TableGrowth[], exchangesPerSecond: number): GrowthLine[] {
  return tables.map((t) => {
    const bytesPerRow = t.rows ? t.bytes / t.rows : 0;
    const rowsPerYear = t.rowsPerExchange * exchangesPerSecond * SECONDS_PER_YEAR;
    return { table: t.table, bytesPerRow, rowsPerYear, bytesPerYear: bytesPerRow * rowsPerYear };
  });
}

/** Median and spread (min–max) of a few runs' figures. */
export function medianAndSpread(values: number[]): { median: number; min: number; max: number } {
  if (!values.length) return { median: NaN, min: NaN, max: NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** Nearest-rank percentile of ascending samples. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface ScaleArgs {
  scale: number;
  keep: boolean;
  /** Reuse a kept database (its seed) instead of seeding: measure again, after pending migrations. */
  reuse?: string;
  rounds: number;
}

/** `--scale 0.1`, `--keep`, `--reuse <database>`, `--rounds 3` (both `--x y` and `--x=y`). */
export function parseScaleArgs(argv: string[]): ScaleArgs {
  const args: ScaleArgs = { scale: 1, keep: false, rounds: 3 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--scale') args.scale = Number(value());
    else if (flag === '--keep') args.keep = true;
    else if (flag === '--reuse') args.reuse = value();
    else if (flag === '--rounds') args.rounds = Number(value());
    else throw new Error(`unknown argument ${argv[i]} (known: --scale N, --keep, --reuse DATABASE, --rounds N)`);
  }
  if (!(args.scale > 0)) throw new Error('--scale must be a positive number');
  if (!Number.isInteger(args.rounds) || args.rounds < 1) throw new Error('--rounds must be a positive integer');
  if (args.reuse !== undefined && !/^[a-z0-9_]+$/.test(args.reuse)) throw new Error(`bad database name ${args.reuse}`);
  return args;
}
