import { randomInt } from 'node:crypto';
import * as argon2 from 'argon2';

/** argon2id with the library's defaults (64 MiB, t=3, p=4, RFC 9106 §4): above the residents' OWASP minimum, affordable for a few admin sign-ins. */
export const ARGON2_OPTIONS = { type: argon2.argon2id } as const;

export const ADMIN_PASSWORD_MIN = 12;
export const ADMIN_PASSWORD_MAX = 128;

/** Why a new admin password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string, loginId: string): { ja: string; en: string } | undefined {
  if ([...password].length < ADMIN_PASSWORD_MIN || [...password].length > ADMIN_PASSWORD_MAX) {
    return { ja: `パスワードは${ADMIN_PASSWORD_MIN}文字以上${ADMIN_PASSWORD_MAX}文字以下にしてください。`, en: `The password must be ${ADMIN_PASSWORD_MIN} to ${ADMIN_PASSWORD_MAX} characters long.` };
  }
  if (password.toLowerCase().includes(loginId.toLowerCase())) {
    return { ja: 'パスワードにログインIDを含めることはできません。', en: 'The password must not contain the login ID.' };
  }
  return undefined;
}

/** A generated initial password: 18 random characters from an alphabet without look-alikes. */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  return Array.from({ length: 18 }, () => alphabet[randomInt(alphabet.length)]).join('');
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

export function verifyPassword(hash: string, password: string): Promise<boolean> {
  return argon2.verify(hash, password).catch(() => false);
}
