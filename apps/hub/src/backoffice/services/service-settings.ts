import type { ServiceAuthMethod } from '@tsunagu/contracts';

/** At most this many redirect URIs (and as many post-logout URIs) per service. */
export const MAX_URIS = 10;
const MAX_URI_LENGTH = 2000;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Private members of a JWK: a JWK Set for private_key_jwt must hold public keys only. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

export type Problem = { field: string; problem: string };

/**
 * Parses redirect URIs typed one per line. Each must be an absolute https URL without a fragment
 * or credentials (RFC 6749 §3.1.2, OAuth 2.0 Security BCP); plain http is accepted for
 * localhost / 127.0.0.1 / [::1] outside production, for developers' machines.
 */
export function parseRedirectUris(text: string | undefined, field: string, options: { production: boolean; required: boolean }): { uris: string[]; problems: Problem[] } {
  const lines = (text ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const problems: Problem[] = [];
  if (options.required && lines.length === 0) problems.push({ field, problem: 'at least one URI is required' });
  if (lines.length > MAX_URIS) problems.push({ field, problem: `at most ${MAX_URIS} URIs` });
  const uris: string[] = [];
  for (const line of lines) {
    const problem = redirectUriProblem(line, options.production);
    if (problem) problems.push({ field, problem: `${line.slice(0, 200)}: ${problem}` });
    else if (!uris.includes(line)) uris.push(line);
  }
  return { uris, problems };
}

/**
 * Parses the back-channel logout URI (OpenID Connect Back-Channel Logout 1.0): empty for none, else
 * one absolute URL under the rules of redirect URIs (https; http for loopback outside production; no
 * fragment, no credentials).
 */
export function parseBackchannelLogoutUri(text: string | undefined, field: string, options: { production: boolean }): { uri: string | null; problems: Problem[] } {
  const value = (text ?? '').trim();
  if (!value) return { uri: null, problems: [] };
  if (/\s/.test(value)) return { uri: null, problems: [{ field, problem: 'one URI only' }] };
  const problem = redirectUriProblem(value, options.production);
  return problem ? { uri: null, problems: [{ field, problem: `${value.slice(0, 200)}: ${problem}` }] } : { uri: value, problems: [] };
}

function redirectUriProblem(value: string, production: boolean): string | undefined {
  if (value.length > MAX_URI_LENGTH) return `longer than ${MAX_URI_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not an absolute URL';
  }
  if (url.hash || value.includes('#')) return 'must not contain a fragment (#)';
  if (url.username || url.password) return 'must not contain credentials';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) {
    return production ? 'http is not allowed in production (use https)' : undefined;
  }
  return url.protocol === 'http:' ? 'must use https (http only for localhost in development)' : 'must use https';
}

/**
 * Parses the JWK Set of a `private_key_jwt` client: JSON `{ "keys": [...] }`, 1–10 signing keys of
 * type RSA, EC or OKP, and no private key material (the service keeps its private key).
 */
export function parseJwks(text: string | undefined): { jwks?: { keys: Record<string, unknown>[] }; problems: Problem[] } {
  const problem = (p: string) => ({ problems: [{ field: 'jwks', problem: p }] });
  if (!text?.trim()) return problem('a JWK Set is required for private_key_jwt');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return problem('not valid JSON');
  }
  const keys = (parsed as { keys?: unknown })?.keys;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || !Array.isArray(keys)) return problem('must be an object with a "keys" array');
  if (keys.length === 0 || keys.length > 10) return problem('must hold 1 to 10 keys');
  const problems: Problem[] = [];
  keys.forEach((key: unknown, i) => {
    const k = key as Record<string, unknown>;
    if (!k || typeof k !== 'object' || Array.isArray(k)) return problems.push({ field: 'jwks', problem: `key ${i + 1}: not an object` });
    if (!['RSA', 'EC', 'OKP'].includes(String(k.kty))) problems.push({ field: 'jwks', problem: `key ${i + 1}: kty must be RSA, EC or OKP` });
    if (PRIVATE_MEMBERS.some((m) => m in k)) problems.push({ field: 'jwks', problem: `key ${i + 1}: contains private key material (remove it: the hub needs the public key only)` });
    if (k.use !== undefined && k.use !== 'sig') problems.push({ field: 'jwks', problem: `key ${i + 1}: use must be "sig"` });
    return undefined;
  });
  return problems.length ? { problems } : { jwks: { keys: keys as Record<string, unknown>[] }, problems };
}

/** Whether a method authenticates with a shared secret the hub must hold. */
export function usesSecret(method: ServiceAuthMethod | string): boolean {
  return method === 'client_secret_basic' || method === 'client_secret_post';
}

/**
 * Grant types and scopes follow from the method: public clients (`none`, PKCE only) get no
 * refresh tokens; confidential clients get them with `offline_access`.
 */
export function grantsFor(method: ServiceAuthMethod | string): { grant_types: string[]; scopes: string[] } {
  return method === 'none'
    ? { grant_types: ['authorization_code'], scopes: ['openid', 'profile'] }
    : { grant_types: ['authorization_code', 'refresh_token'], scopes: ['openid', 'profile', 'offline_access'] };
}
