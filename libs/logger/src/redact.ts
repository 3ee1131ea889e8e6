import { format } from 'winston';

/**
 * Words of a field name whose value never reaches a log line, whatever a caller passes:
 * credentials, tokens, keys, signatures, certificates and exchanged payloads. A name is split into
 * its camelCase / snake_case words (`refreshToken` → refresh, token; `client_secret` → client,
 * secret), so `items` or `opinion` are not caught, `payload` and `idToken` are.
 */
const SECRET_WORDS = new Set(['password', 'passwd', 'passphrase', 'secret', 'secrets', 'token', 'tokens', 'authorization', 'cookie', 'cookies', 'assertion',
  'signature', 'certificate', 'jws', 'jwt', 'jwk', 'payload', 'body', 'otp', 'pin', 'credential', 'credentials']);
/** Names with a secret word that are counts, kinds or addresses, not the secret. */
const ALLOWED_NAME = /^(tokenType|token_type|cookieName|bodyBytes|payloadBytes|jwksUrl|tokenEndpoint|passwordChanged)$/;

function words(key: string): string[] {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[\s_.-]+/).filter(Boolean);
}

/** Values that look like a JWT/JWS (three base64url parts) are dropped wherever they are. */
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g;

export const REDACTED = '[redacted]';

function clean(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.replace(JWT, REDACTED);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => clean(v, depth + 1));
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = isSecretName(key) ? REDACTED : clean(v, depth + 1);
  return out;
}

export function isSecretName(key: string): boolean {
  if (ALLOWED_NAME.test(key)) return false;
  const w = words(key);
  return w.some((word) => SECRET_WORDS.has(word)) || w.join(' ').includes('private key');
}

/** A winston format that removes secrets from every line's fields and message before any transport sees it. */
export const redactSecrets = format((info) => {
  for (const key of Object.keys(info)) {
    if (key === 'level' || key === 'message' || key === 'stack') {
      if (typeof info[key] === 'string') info[key] = (info[key] as string).replace(JWT, REDACTED);
      continue;
    }
    info[key] = isSecretName(key) ? REDACTED : clean(info[key], 0);
  }
  return info;
});
