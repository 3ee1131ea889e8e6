import { createHash, createPrivateKey, createPublicKey, KeyObject, randomUUID, sign as signWith, verify as verifyWith } from 'node:crypto';
import Ajv, { type ValidateFunction } from 'ajv';
import {
  calculateJwkThumbprint, CompactEncrypt, compactDecrypt, compactVerify, decodeProtectedHeader, importJWK,
  type JWK, SignJWT,
} from 'jose';
import type { ConnectorErrorCode } from './connector-errors';
import {
  GRANT_CLOCK_TOLERANCE_SECONDS, GRANT_CONTENT_ENCRYPTION, GRANT_JWE_CONTENT_TYPE, GRANT_JWT_TYPE, GRANT_KEY_MANAGEMENT_ALG,
  GRANT_MAX_LIFETIME_SECONDS, GRANT_SIGNING_ALG, type GrantClaims, grantClaimsSchema, PROOF_JWT_TYPE, PROOF_MAX_AGE_SECONDS,
  type ProofClaims, proofClaimsSchema,
} from './grant';
import { STATISTICS_GRANT_JWT_TYPE, type StatisticsGrantClaims, statisticsGrantClaimsSchema } from './statistics-grant';

/**
 * Thrown by every verifier of this module and of `connector-tokens.ts`. `code` is one of the
 * published connector codes; `problem` says what exactly failed, for logs (never for callers: it
 * may help an attacker probe).
 */
export class TokenVerificationError extends Error {
  constructor(readonly code: ConnectorErrorCode, readonly problem: string) {
    super(`${code}: ${problem}`);
    this.name = 'TokenVerificationError';
  }
}

/** Throws the verification error (a function declaration, so that the compiler narrows after it). */
export function failVerification(code: ConnectorErrorCode, problem: string): never {
  throw new TokenVerificationError(code, problem);
}
const fail: (code: ConnectorErrorCode, problem: string) => never = failVerification;

/** A private or public key as WebCrypto `CryptoKey`, or as a JWK. */
export type TokenKey = CryptoKey | JWK;

/**
 * Resolves the hub's public key for a protected header (by `kid`). Return `undefined` (or throw)
 * when no published key has that `kid`; connectors refresh their JWKS cache first.
 */
export type HubKeyResolver = (header: { kid?: string; alg?: string }) => Promise<TokenKey | undefined>;

const ajv = new Ajv({ allErrors: false, strict: false });
const validateGrantClaims: ValidateFunction<GrantClaims> = ajv.compile(grantClaimsSchema);
const validateProofClaims: ValidateFunction<ProofClaims> = ajv.compile(proofClaimsSchema);
const validateStatisticsGrantClaims: ValidateFunction<StatisticsGrantClaims> = ajv.compile(statisticsGrantClaimsSchema);

/** Seconds since the epoch. */
export function epochSeconds(now: Date = new Date()): number {
  return Math.floor(now.getTime() / 1000);
}

/**
 * Imported keys, remembered: importing a JWK costs about as much as the signature it serves (the
 * hub signs a feed page and checks a client assertion for every pull of every connector). By key
 * object, and for public EC keys also by their coordinates, since callers often rebuild the JWK
 * object of the same key (e.g. from a database row). Private keys are cached by object only.
 */
const importedByObject = new WeakMap<object, Map<string, CryptoKey>>();
const importedPublic = new Map<string, CryptoKey>();
const MAX_IMPORTED_PUBLIC = 1_000;

/** Imports a JWK for `alg` (a `CryptoKey` is returned as is). */
export async function asCryptoKey(key: TokenKey, alg: string): Promise<CryptoKey> {
  if (typeof (key as CryptoKey).algorithm === 'object' && typeof (key as CryptoKey).type === 'string') return key as CryptoKey;
  const jwk = key as JWK;
  const byAlg = importedByObject.get(jwk) ?? new Map<string, CryptoKey>();
  const known = byAlg.get(alg);
  if (known) return known;
  const publicId = jwk.kty === 'EC' && jwk.d === undefined ? `${alg}|${jwk.crv}|${jwk.x}|${jwk.y}` : undefined;
  let imported = publicId === undefined ? undefined : importedPublic.get(publicId);
  if (!imported) {
    imported = (await importJWK(jwk, alg)) as CryptoKey;
    if (publicId !== undefined) {
      if (importedPublic.size >= MAX_IMPORTED_PUBLIC) importedPublic.clear();
      importedPublic.set(publicId, imported);
    }
  }
  byAlg.set(alg, imported);
  importedByObject.set(jwk, byAlg);
  return imported;
}

/**
 * The same key as a node:crypto `KeyObject`, remembered per key object. DPoP proofs are signed and
 * verified on every exchange: node:crypto does that synchronously, where WebCrypto (what jose
 * uses) queues each operation to the thread pool and costs several times the CPU.
 */
const keyObjects = new WeakMap<object, KeyObject>();
function asKeyObject(key: TokenKey, type: 'private' | 'public'): KeyObject {
  let keyObject = keyObjects.get(key);
  if (!keyObject) {
    const isCryptoKey = typeof (key as CryptoKey).algorithm === 'object' && typeof (key as CryptoKey).type === 'string';
    if (isCryptoKey) keyObject = KeyObject.from(key as CryptoKey);
    else if (type === 'private') keyObject = createPrivateKey({ key: key as import('node:crypto').JsonWebKey, format: 'jwk' });
    else keyObject = createPublicKey({ key: key as import('node:crypto').JsonWebKey, format: 'jwk' });
    keyObjects.set(key, keyObject);
  }
  if (keyObject.type !== type || keyObject.asymmetricKeyType !== 'ec' || keyObject.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new TypeError(`expected a ${type} P-256 key`);
  }
  return keyObject;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const ES256_SIGNATURE_BYTES = 64;
const b64uJson = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A compact ES256 JWS over `header` and `payload` (JWS §7.1; the signature as R || S, RFC 7518 §3.4). */
function signEs256(header: Record<string, unknown>, payload: Record<string, unknown>, privateKey: TokenKey): string {
  const input = `${b64uJson(header)}.${b64uJson(payload)}`;
  const signature = signWith('sha256', Buffer.from(input, 'ascii'), { key: asKeyObject(privateKey, 'private'), dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

/**
 * Public P-256 keys of proof headers, as KeyObjects with their thumbprints. A consumer connector
 * sends the same key in every proof, so importing and thumbprinting it once saves both on every
 * exchange. Bounded: emptied when full (entries are only a cache of a pure function of the JWK).
 */
const proofKeys = new Map<string, { key: KeyObject; jkt: string }>();
const PROOF_KEYS_MAX = 1000;
function proofKey(jwk: JWK): { key: KeyObject; jkt: string } {
  const id = `${jwk.x}.${jwk.y}`;
  let entry = proofKeys.get(id);
  if (!entry) {
    const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, format: 'jwk' });
    // RFC 7638: the required members in lexicographic order, no whitespace.
    const jkt = createHash('sha256').update(JSON.stringify({ crv: 'P-256', kty: 'EC', x: jwk.x, y: jwk.y })).digest('base64url');
    entry = { key, jkt };
    if (proofKeys.size >= PROOF_KEYS_MAX) proofKeys.clear();
    proofKeys.set(id, entry);
  }
  return entry;
}

/** RFC 7638 SHA-256 thumbprint of a public key (base64url), as used in `cnf.jkt` and as key IDs. */
export function jwkThumbprint(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint(jwk, 'sha256');
}

/** `ath`: base64url(SHA-256) over the exact grant string (RFC 9449 §4.2). */
export function grantHash(grant: string): string {
  return createHash('sha256').update(grant, 'ascii').digest('base64url');
}

/** A public P-256 key without private parts, or `undefined` when the JWK is anything else. */
export function publicEcJwk(jwk: unknown): JWK | undefined {
  if (!jwk || typeof jwk !== 'object') return undefined;
  const k = jwk as JWK;
  if (k.kty !== 'EC' || k.crv !== 'P-256' || typeof k.x !== 'string' || typeof k.y !== 'string' || 'd' in k) return undefined;
  return { kty: 'EC', crv: 'P-256', x: k.x, y: k.y };
}

/** What the hub needs to issue one grant. */
export interface IssueGrantInput {
  /** Every claim except `jti`, `iat` and `exp`, which are set here. */
  claims: Omit<GrantClaims, 'jti' | 'iat' | 'exp'>;
  /** The hub's grant-signing private key (ES256) and its `kid` as published in the hub's JWKS. */
  signingKey: TokenKey;
  kid: string;
  /** The providing connector's public encryption key (P-256, as registered). */
  providerEncryptionKey: TokenKey;
  /** Seconds; at most {@link GRANT_MAX_LIFETIME_SECONDS}. */
  lifetimeSeconds: number;
  now?: Date;
  jti?: string;
}

/** An issued grant: the compact JWE to hand to the consumer, and what the hub records. */
export interface IssuedGrant {
  grant: string;
  jti: string;
  iat: number;
  exp: number;
}

/**
 * Hub side: signs the grant claims (ES256, `typ: tsunagu-grant+jwt`) and encrypts the result to the
 * providing connector (`ECDH-ES+A256KW` / `A256GCM`, `cty: JWT`). The JWE header repeats `aud`
 * (RFC 7519 §5.3) so that a connector can tell "not for me" from "broken".
 */
export async function issueGrant(input: IssueGrantInput): Promise<IssuedGrant> {
  return sealClaims(input, GRANT_JWT_TYPE, validateGrantClaims);
}

/** A token the hub signs and encrypts to one connector: an exchange grant, a statistics grant. */
interface SealInput<C> {
  claims: Omit<C, 'jti' | 'iat' | 'exp'> & { aud: string };
  signingKey: TokenKey;
  kid: string;
  providerEncryptionKey: TokenKey;
  lifetimeSeconds: number;
  now?: Date;
  jti?: string;
}

/**
 * Signs claims (ES256, `typ` naming the kind of token, so that one kind is never taken for
 * another) and encrypts them to the connector (`ECDH-ES+A256KW` / `A256GCM`, `cty: JWT`).
 */
async function sealClaims<C extends { jti: string; iat: number; exp: number; aud: string }>(input: SealInput<C>, typ: string, validate: ValidateFunction<C>): Promise<IssuedGrant> {
  if (!Number.isInteger(input.lifetimeSeconds) || input.lifetimeSeconds < 1 || input.lifetimeSeconds > GRANT_MAX_LIFETIME_SECONDS) {
    throw new RangeError(`grant lifetime must be 1–${GRANT_MAX_LIFETIME_SECONDS} seconds`);
  }
  const iat = epochSeconds(input.now);
  const exp = iat + input.lifetimeSeconds;
  const jti = input.jti ?? randomUUID();
  const claims = { ...input.claims, jti, iat, exp } as C;
  if (!validate(claims)) throw new TypeError(`invalid grant claims: ${ajv.errorsText(validate.errors)}`);
  const signed = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: GRANT_SIGNING_ALG, typ, kid: input.kid })
    .sign(await asCryptoKey(input.signingKey, GRANT_SIGNING_ALG));
  const grant = await new CompactEncrypt(new TextEncoder().encode(signed))
    .setProtectedHeader({ alg: GRANT_KEY_MANAGEMENT_ALG, enc: GRANT_CONTENT_ENCRYPTION, cty: GRANT_JWE_CONTENT_TYPE, aud: claims.aud })
    .encrypt(await asCryptoKey(input.providerEncryptionKey, GRANT_KEY_MANAGEMENT_ALG));
  return { grant, jti, iat, exp };
}

/** What a statistics grant carries besides `jti`, `iat` and `exp` (set when it is sealed). */
export type IssueStatisticsGrantInput = Omit<IssueGrantInput, 'claims'> & { claims: Omit<StatisticsGrantClaims, 'jti' | 'iat' | 'exp'> };

/** Hub side: a statistics grant (issue #20), sealed as an exchange grant is but with its own `typ`. */
export async function issueStatisticsGrant(input: IssueStatisticsGrantInput): Promise<IssuedGrant> {
  return sealClaims(input, STATISTICS_GRANT_JWT_TYPE, validateStatisticsGrantClaims);
}

/** Provider side: opens a statistics grant with the checks of {@link openGrant}; an exchange grant is refused (`typ`). */
export async function openStatisticsGrant(grant: string, options: OpenGrantOptions): Promise<StatisticsGrantClaims> {
  return openSealed(grant, options, STATISTICS_GRANT_JWT_TYPE, validateStatisticsGrantClaims);
}

/** What the providing connector checks a grant against. */
export interface OpenGrantOptions {
  /** Resolves the hub's signing keys (the hub JWKS, cached). */
  hubKeys: HubKeyResolver;
  /** This connector's private encryption key. */
  decryptionKey: TokenKey;
  /** The hub's issuer identifier (`iss`). */
  issuer: string;
  /** This connector's ID (`aud`). */
  audience: string;
  now?: Date;
}

/** A base64url JSON object (a JWS header or payload), or `undefined` when it is anything else. */
function parseJsonObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function decodeHeader(token: string): Record<string, unknown> | undefined {
  try {
    return decodeProtectedHeader(token) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * Provider side: decrypts and verifies a grant. Checks, in order: the outer JWE (algorithms,
 * audience hint), decryption with this connector's key, the inner header (`typ`, `alg: ES256` only
 * — `none` and HS* are refused before any key is looked up), the hub's signature, the claims'
 * shape, issuer, audience, lifetime (≤ 60 s) and expiry. Replay (`jti`), key binding and the
 * revocation set are the caller's next steps. Throws {@link TokenVerificationError}.
 */
export async function openGrant(grant: string, options: OpenGrantOptions): Promise<GrantClaims> {
  return openSealed(grant, options, GRANT_JWT_TYPE, validateGrantClaims);
}

async function openSealed<C extends { iss: string; aud: string; iat: number; exp: number }>(grant: string, options: OpenGrantOptions, typ: string, validate: ValidateFunction<C>): Promise<C> {
  const parts = grant.split('.');
  if (parts.length === 3) fail('grant_invalid', 'grant is not encrypted');
  if (parts.length !== 5) fail('grant_invalid', 'not a compact JWE');
  const outer = decodeHeader(grant) ?? fail('grant_invalid', 'unreadable JWE header');
  if (outer.alg !== GRANT_KEY_MANAGEMENT_ALG || outer.enc !== GRANT_CONTENT_ENCRYPTION || outer.cty !== GRANT_JWE_CONTENT_TYPE) {
    fail('grant_invalid', 'JWE algorithms or content type refused');
  }
  if (typeof outer.aud === 'string' && outer.aud !== options.audience) fail('grant_wrong_audience', 'JWE addressed to another connector');

  let inner = '';
  try {
    const { plaintext } = await compactDecrypt(grant, await asCryptoKey(options.decryptionKey, GRANT_KEY_MANAGEMENT_ALG), {
      keyManagementAlgorithms: [GRANT_KEY_MANAGEMENT_ALG],
      contentEncryptionAlgorithms: [GRANT_CONTENT_ENCRYPTION],
    });
    inner = new TextDecoder().decode(plaintext);
  } catch {
    fail('grant_invalid', 'cannot decrypt');
  }

  const header = decodeHeader(inner) ?? fail('grant_invalid', 'unreadable JWS header');
  if (header.alg !== GRANT_SIGNING_ALG) fail('grant_invalid', `algorithm ${String(header.alg)} refused`);
  if (header.typ !== typ) fail('grant_invalid', 'wrong typ');

  let payload: Uint8Array = new Uint8Array();
  try {
    const key = await options.hubKeys({ kid: header.kid as string | undefined, alg: GRANT_SIGNING_ALG });
    if (!key) fail('grant_invalid', 'unknown signing key');
    ({ payload } = await compactVerify(inner, await asCryptoKey(key!, GRANT_SIGNING_ALG), { algorithms: [GRANT_SIGNING_ALG] }));
  } catch (error) {
    if (error instanceof TokenVerificationError) throw error;
    fail('grant_invalid', 'signature does not verify');
  }

  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder().decode(payload));
  } catch {
    fail('grant_invalid', 'payload is not JSON');
  }
  if (!validate(claims)) fail('grant_invalid', `claims: ${ajv.errorsText(validate.errors)}`);
  const c = claims as C;
  if (c.iss !== options.issuer) fail('grant_invalid', 'wrong issuer');
  if (c.aud !== options.audience) fail('grant_wrong_audience', 'aud is another connector');
  const now = epochSeconds(options.now);
  if (c.exp - c.iat > GRANT_MAX_LIFETIME_SECONDS || c.exp <= c.iat) fail('grant_invalid', 'lifetime over 60 seconds');
  if (c.iat > now + GRANT_CLOCK_TOLERANCE_SECONDS) fail('grant_invalid', 'issued in the future');
  if (now >= c.exp + GRANT_CLOCK_TOLERANCE_SECONDS) fail('grant_expired', 'expired');
  return c;
}

/** What a consumer connector needs to prove possession of its key for one request. */
export interface CreateProofInput {
  /** The connector's private signing key (ES256) and its public JWK (embedded in the header). */
  privateKey: TokenKey;
  publicJwk: JWK;
  /** HTTP method and URL of the request (query and fragment are dropped). */
  htm: string;
  htu: string;
  /** The grant sent in `Authorization`, hashed into `ath`. */
  grant: string;
  now?: Date;
  jti?: string;
}

/** Normalises a URL for `htu` comparison (RFC 9449 §4.3): scheme, host and port as the URL parser gives them, path; no query, no fragment. */
export function normaliseHtu(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return undefined;
  }
}

/** Consumer side: a DPoP proof (RFC 9449) bound to one request and one grant (async for its callers; the work is synchronous). */
export async function createProof(input: CreateProofInput): Promise<string> {
  const pub = publicEcJwk(input.publicJwk);
  if (!pub) throw new TypeError('proof key must be a public P-256 JWK');
  const htu = normaliseHtu(input.htu);
  if (!htu) throw new TypeError('htu must be an http(s) URL');
  return signEs256(
    { alg: GRANT_SIGNING_ALG, typ: PROOF_JWT_TYPE, jwk: pub },
    { htm: input.htm.toUpperCase(), htu, ath: grantHash(input.grant), jti: input.jti ?? randomUUID(), iat: epochSeconds(input.now) },
    input.privateKey,
  );
}

/** What the provider checks a proof against. */
export interface VerifyProofOptions {
  /** The method and URL the provider was called with (its public URL + path). */
  htm: string;
  htu: string;
  /** The grant from `Authorization`. */
  grant: string;
  /** The grant's `cnf.jkt`. */
  expectedJkt: string;
  now?: Date;
}

/** A proof that verified: its `jti` (for the replay cache) and when it expires from that cache. */
export interface VerifiedProof {
  jti: string;
  iat: number;
  jkt: string;
}

/**
 * Provider side: verifies a DPoP proof: `typ: dpop+jwt`, `alg: ES256`, a public P-256 `jwk` in the
 * header that signs the proof, the key's thumbprint equal to the grant's `cnf.jkt`
 * (`proof_key_mismatch` otherwise), `htm`, `htu`, `iat` within {@link PROOF_MAX_AGE_SECONDS} (and not
 * in the future beyond the tolerated skew) and `ath`. Replay of `jti` is the caller's check.
 */
export async function verifyProof(proof: string | undefined, options: VerifyProofOptions): Promise<VerifiedProof> {
  if (!proof) fail('proof_invalid', 'missing DPoP header');
  const parts = proof!.split('.');
  if (parts.length !== 3 || !BASE64URL.test(parts[0]) || !BASE64URL.test(parts[1]) || !/^[A-Za-z0-9_-]*$/.test(parts[2])) fail('proof_invalid', 'not a compact JWS');
  const header = parseJsonObject(parts[0]) ?? fail('proof_invalid', 'unreadable header');
  if (header.typ !== PROOF_JWT_TYPE) fail('proof_invalid', 'wrong typ');
  if (header.alg !== GRANT_SIGNING_ALG) fail('proof_invalid', `algorithm ${String(header.alg)} refused`);
  // No JWS extension is understood here: a critical one must be refused (RFC 7515 §4.1.11), as is
  // an unencoded payload (RFC 7797), which jose refused before this was done by hand.
  if ('crit' in header || 'b64' in header) fail('proof_invalid', 'unsupported header parameter');
  const jwk = publicEcJwk(header.jwk) ?? fail('proof_invalid', 'header jwk is not a public P-256 key');

  let key: { key: KeyObject; jkt: string };
  try {
    key = proofKey(jwk);
  } catch {
    fail('proof_invalid', 'header jwk is not a public P-256 key');
  }
  const signature = Buffer.from(parts[2], 'base64url');
  let valid = false;
  try {
    valid = signature.length === ES256_SIGNATURE_BYTES
      && verifyWith('sha256', Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii'), { key: key!.key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    valid = false;
  }
  if (!valid) fail('proof_invalid', 'signature does not verify');
  const jkt = key!.jkt;
  if (jkt !== options.expectedJkt) fail('proof_key_mismatch', 'proof key is not the key the grant is bound to');

  const claims = parseJsonObject(parts[1]) ?? fail('proof_invalid', 'payload is not JSON');
  if (!validateProofClaims(claims)) fail('proof_invalid', `claims: ${ajv.errorsText(validateProofClaims.errors)}`);
  const c = claims as ProofClaims;
  if (c.htm !== options.htm.toUpperCase()) fail('proof_invalid', 'htm does not match the request');
  const expected = normaliseHtu(options.htu);
  if (!expected || normaliseHtu(c.htu) !== expected) fail('proof_invalid', 'htu does not match the request');
  const now = epochSeconds(options.now);
  if (c.iat > now + GRANT_CLOCK_TOLERANCE_SECONDS) fail('proof_invalid', 'iat in the future');
  if (c.iat < now - PROOF_MAX_AGE_SECONDS) fail('proof_invalid', 'proof too old');
  if (c.ath !== grantHash(options.grant)) fail('proof_invalid', 'ath is not the hash of this grant');
  return { jti: c.jti, iat: c.iat, jkt };
}
