/**
 * TOTP (RFC 6238: SHA-1, 6 digits, 30 s) through otplib, as every authenticator app expects.
 * otplib is loaded on first use: its crypto dependency ships as ES modules only, which Node's
 * require() loads but Jest's module system does not, and specs of modules that merely import
 * this file must not need it.
 */
type Otplib = typeof import('otplib');
let otplib: Otplib | undefined;
function lib(): Otplib {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  otplib ??= require('otplib') as Otplib;
  return otplib;
}

/** Codes one period either side of now are accepted (clock drift of a phone). */
const TOLERANCE_SECONDS = 30;

/** A new random secret, Base32, 160 bits (RFC 4226's recommendation). */
export function newTotpSecret(): string {
  return lib().generateSecret({ length: 20 });
}

/** The otpauth:// URI an authenticator app scans. */
export function totpUri(secret: string, loginId: string, issuer = 'Tsunagu'): string {
  return lib().generateURI({ issuer, label: loginId, secret });
}

/**
 * Checks a code. Returns the time step it belongs to, or undefined when it is wrong or belongs to
 * a step at or before `afterStep` (the last one used: a code works once).
 */
export async function verifyTotp(secret: string, code: string, afterStep?: number | null): Promise<number | undefined> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  try {
    const result = await lib().verify({
      secret, token, epochTolerance: TOLERANCE_SECONDS, ...(afterStep != null ? { afterTimeStep: Number(afterStep) } : {}),
    });
    return result.valid ? (result as { timeStep: number }).timeStep : undefined;
  } catch {
    return undefined;
  }
}
