import { randomBytes } from 'node:crypto';

/**
 * Differentially private noise for integer aggregates (issue #20): the discrete Laplace
 * (two-sided geometric) mechanism, P(X = x) ∝ exp(−ε·|x| / Δ). For integer-valued counts and sums
 * it is the discrete form of the Laplace mechanism (Ghosh, Roughgarden, Sundararajan 2009) and,
 * unlike the continuous one computed in floating point, it leaks nothing through the low bits of
 * the result (Mironov 2012, "On significance of the least significant bits for differential
 * privacy"). Randomness comes from `crypto.randomBytes`.
 *
 * Written by hand: no maintained npm package implements the discrete mechanism with a secure
 * source of randomness; the sampler is a few lines (difference of two geometric variables).
 */

/** A uniform number in (0, 1) from 53 random bits (never 0, so the logarithm is finite). */
export type UniformSource = () => number;

export const secureUniform: UniformSource = () => {
  const bytes = randomBytes(7);
  // 53 bits: 7 bytes are 56; drop the lowest 3.
  let n = 0;
  for (const b of bytes) n = n * 256 + b;
  return (Math.floor(n / 8) + 0.5) / 2 ** 53;
};

/** A geometric variable on {0, 1, 2, …} with P(G = g) = (1 − q)·q^g, by inversion. */
function geometric(q: number, uniform: UniformSource): number {
  if (q === 0) return 0;
  return Math.floor(Math.log(uniform()) / Math.log(q));
}

/**
 * `value` plus discrete Laplace noise for a release whose L1 sensitivity is `sensitivity` (how much
 * one resident can change the whole table: 1 for one count per resident; the number of cells a
 * resident is counted in otherwise; times the value bound for sums) at privacy loss `epsilon`.
 */
export function addDiscreteLaplace(value: number, sensitivity: number, epsilon: number, uniform: UniformSource = secureUniform): number {
  if (!Number.isSafeInteger(value)) throw new RangeError('noise is added to integer aggregates');
  if (!(Number.isSafeInteger(sensitivity) && sensitivity >= 1)) throw new RangeError('sensitivity must be a positive integer');
  if (!(Number.isFinite(epsilon) && epsilon > 0)) throw new RangeError('epsilon must be a positive number');
  const q = Math.exp(-epsilon / sensitivity);
  return value + geometric(q, uniform) - geometric(q, uniform);
}

/** The noise's standard deviation, for the note a release carries: √(2q) / (1 − q) with q = e^(−ε/Δ). */
export function discreteLaplaceStdDev(sensitivity: number, epsilon: number): number {
  const q = Math.exp(-epsilon / sensitivity);
  return Math.sqrt(2 * q) / (1 - q);
}

/**
 * A data use's privacy budget over a period: releases spend from it; once spent, nothing more is
 * released in that period (sequential composition: the losses add up).
 */
export class PrivacyBudget {
  private spentSoFar: number;

  constructor(readonly total: number, spent = 0) {
    if (!(Number.isFinite(total) && total > 0)) throw new RangeError('a budget is a positive epsilon');
    if (!(Number.isFinite(spent) && spent >= 0)) throw new RangeError('spent epsilon cannot be negative');
    this.spentSoFar = spent;
  }

  get spent(): number {
    return this.spentSoFar;
  }

  get remaining(): number {
    return Math.max(0, this.total - this.spentSoFar);
  }

  /** Spends `epsilon` when it fits (with a tolerance of 1e-9 for sums of decimal fractions); false, and nothing spent, when not. */
  spend(epsilon: number): boolean {
    if (!(Number.isFinite(epsilon) && epsilon > 0)) throw new RangeError('epsilon must be a positive number');
    if (this.spentSoFar + epsilon > this.total + 1e-9) return false;
    this.spentSoFar += epsilon;
    return true;
  }
}
