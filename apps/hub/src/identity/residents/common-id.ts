import { randomInt } from 'node:crypto';

/*
 * The common ID (共通ID): 15 random digits and a Damm check digit, shown as 4-4-4-4.
 * Damm's algorithm catches every single-digit error and every adjacent transposition — the
 * mistakes people make when they read an ID off a screen or type it at a counter (Luhn misses
 * 09↔90). Random digits carry no information about the resident.
 */
const DAMM: readonly (readonly number[])[] = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

export const COMMON_ID_LENGTH = 16;

export function dammCheckDigit(digits: string): number {
  let interim = 0;
  for (const ch of digits) interim = DAMM[interim][ch.charCodeAt(0) - 48];
  return interim;
}

/** A fresh common ID (16 digits, last one the check digit). The first digit is never 0. */
export function generateCommonId(random: (max: number) => number = randomInt): string {
  let body = String(1 + random(9));
  while (body.length < COMMON_ID_LENGTH - 1) body += String(random(10));
  return body + String(dammCheckDigit(body));
}

/** Accepts spaces and hyphens as typed by people; returns the 16 digits or undefined if invalid. */
export function normalizeCommonId(input: string): string | undefined {
  const digits = input.replace(/[\s-]/g, '');
  if (!/^[1-9]\d{15}$/.test(digits)) return undefined;
  return dammCheckDigit(digits) === 0 ? digits : undefined;
}

export function formatCommonId(id: string): string {
  return id.replace(/(\d{4})(?=\d)/g, '$1-');
}
