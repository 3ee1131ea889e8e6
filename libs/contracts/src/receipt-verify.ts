import { createHash } from 'node:crypto';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { type CompactVerifyGetKey, compactVerify, createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, type JSONWebKeySet, type JWK } from 'jose';
import {
  type ConsentReceipt, consentReceiptSchema, ENFORCEMENT_JWS_TYPE, type EnforcementStatement, enforcementStatementSchema, RECEIPT_JWS_TYPE, type ReceiptEnvelope,
} from './receipt';
import { ERASURE_CERTIFICATE_JWS_TYPE, type ErasureCertificate, erasureCertificateSchema } from './erasure-certificate';
import { TENANT_ARCHIVE_JWS_TYPE, type TenantArchive, tenantArchiveSchema } from './tenant-archive';

/**
 * Where the public keys come from: a JWKS document you hold (offline verification), the URL of
 * the hub's JWKS (`https://<hub>/oidc/jwks`), or a key resolver of `jose` (e.g. one you cache).
 */
export type ReceiptKeys = JSONWebKeySet | URL | ((header: { kid?: string; alg?: string }) => Promise<CryptoKey | Uint8Array | JWK>);

/** Why a receipt did not verify. */
export type ReceiptProblem =
  /** Not a compact JWS, or its payload is not JSON. */
  | 'malformed'
  /** The signature does not match (the receipt was altered), or no published key has its `kid`. */
  | 'signature'
  /** The header is not that of a consent receipt (wrong `typ`, `alg` other than ES256). */
  | 'header'
  /** The payload does not have the receipt fields (see `consentReceiptSchema`). */
  | 'schema'
  /** Issued by another hub than the one expected. */
  | 'issuer'
  /** Chain only: the sequence numbers are not consecutive from the first receipt. */
  | 'sequence'
  /** Chain only: `previousReceiptHash` is not the hash of the receipt before it. */
  | 'previous_hash';

/** Thrown by {@link verifyReceipt}. */
export class ReceiptVerificationError extends Error {
  constructor(readonly problem: ReceiptProblem, message: string) {
    super(message);
    this.name = 'ReceiptVerificationError';
  }
}

/** A receipt whose signature and fields were checked. */
export interface VerifiedReceipt {
  jws: string;
  receipt: ConsentReceipt;
  /** The key that signed it. */
  kid: string;
  /** Its chain hash: what the next receipt of the resident carries as `previousReceiptHash`. */
  hash: string;
}

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validatePayload = ajv.compile<ConsentReceipt>(consentReceiptSchema);
const validateStatement = ajv.compile<EnforcementStatement>(enforcementStatementSchema);
const validateCertificate = ajv.compile<ErasureCertificate>(erasureCertificateSchema);
const validateArchive = ajv.compile<TenantArchive>(tenantArchiveSchema);
const remoteSets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/** The chain hash of a receipt: SHA-256 over the compact JWS exactly as issued, base64url. */
export function receiptHash(jws: string): string {
  return createHash('sha256').update(jws.trim(), 'ascii').digest('base64url');
}

function resolver(keys: ReceiptKeys): CompactVerifyGetKey {
  if (typeof keys === 'function') return keys as unknown as CompactVerifyGetKey;
  if (keys instanceof URL) {
    let set = remoteSets.get(keys.href);
    if (!set) {
      set = createRemoteJWKSet(keys);
      remoteSets.set(keys.href, set);
    }
    return set;
  }
  return createLocalJWKSet(keys);
}

/**
 * Verifies one consent receipt: ES256 signature by a key of the given JWKS, the receipt header,
 * and the receipt fields. Pass `issuer` to pin the hub (recommended when the keys come from a URL
 * you took from the receipt itself). Throws {@link ReceiptVerificationError}.
 */
export async function verifyReceipt(jws: string, keys: ReceiptKeys, options: { issuer?: string } = {}): Promise<VerifiedReceipt> {
  const compact = jws.trim();
  const { payload: receipt, kid } = await verifySignedJson(compact, keys, RECEIPT_JWS_TYPE, validatePayload, 'a consent receipt');
  if (options.issuer !== undefined && receipt.issuer !== options.issuer) {
    throw new ReceiptVerificationError('issuer', `Issued by ${receipt.issuer}, not ${options.issuer}`);
  }
  return { jws: compact, receipt, kid, hash: receiptHash(compact) };
}

/** One finding of {@link verifyReceiptChain}. */
export interface ChainFinding {
  /** Position in the list given (0-based). */
  index: number;
  recordId?: string;
  problem: ReceiptProblem;
  message: string;
}

/** The outcome of {@link verifyReceiptChain}. */
export interface ChainVerification {
  /** True when every receipt verified and they form one unbroken chain. */
  valid: boolean;
  /** The receipts whose signature and fields verified, in the order given. */
  receipts: VerifiedReceipt[];
  findings: ChainFinding[];
}

/**
 * Verifies a resident's receipts, oldest first: each signature, then the hash chain — every
 * receipt must name the hash of the one before it and carry the next sequence number, so a
 * deleted, inserted or reordered receipt is detected. By default the list must be complete (start
 * at sequence 1); pass `complete: false` to check a tail of the chain.
 */
export async function verifyReceiptChain(jwsList: string[], keys: ReceiptKeys, options: { issuer?: string; complete?: boolean } = {}): Promise<ChainVerification> {
  const findings: ChainFinding[] = [];
  const receipts: VerifiedReceipt[] = [];
  const complete = options.complete ?? true;
  let previous: { hash: string; sequence?: number } | undefined;
  for (const [index, raw] of jwsList.entries()) {
    const jws = raw.trim();
    let verified: VerifiedReceipt | undefined;
    try {
      verified = await verifyReceipt(jws, keys, options);
      receipts.push(verified);
    } catch (error) {
      if (!(error instanceof ReceiptVerificationError)) throw error;
      findings.push({ index, problem: error.problem, message: error.message });
    }
    if (verified) {
      const { chain, recordId } = verified.receipt;
      if (!previous) {
        if (complete && chain.sequence !== 1) findings.push({ index, recordId, problem: 'sequence', message: `The chain starts at sequence ${chain.sequence}, not 1: earlier receipts are missing` });
        if (complete && chain.previousReceiptHash !== null) findings.push({ index, recordId, problem: 'previous_hash', message: 'The first receipt names a previous receipt' });
      } else {
        if (previous.sequence !== undefined && chain.sequence !== previous.sequence + 1) {
          findings.push({ index, recordId, problem: 'sequence', message: `Sequence ${chain.sequence} follows ${previous.sequence}: a receipt is missing or out of order` });
        }
        if (chain.previousReceiptHash !== previous.hash) {
          findings.push({ index, recordId, problem: 'previous_hash', message: 'The previous-receipt hash does not match the receipt before it' });
        }
      }
    }
    // An unverifiable receipt still has a hash: the link to the next one is checked all the same.
    previous = { hash: receiptHash(jws), sequence: verified?.receipt.chain.sequence };
  }
  return { valid: findings.length === 0, receipts, findings };
}

/**
 * Reads the receipt formats the hub hands out: a compact JWS, a {@link ReceiptEnvelope}
 * (`{ "jws": … }`), a list of either, or a chain document (`{ "receipts": [ … ] }`).
 * Returns the compact JWSs in file order.
 */
export function parseReceiptDocument(text: string): string[] {
  const trimmed = text.trim();
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(trimmed)) return [trimmed];
  let doc: unknown;
  try {
    doc = JSON.parse(trimmed);
  } catch {
    throw new ReceiptVerificationError('malformed', 'Neither a compact JWS nor JSON');
  }
  const one = (entry: unknown): string => {
    if (typeof entry === 'string') return entry.trim();
    const jws = (entry as Partial<ReceiptEnvelope> | null)?.jws;
    if (typeof jws === 'string') return jws.trim();
    throw new ReceiptVerificationError('malformed', 'An entry has no "jws"');
  };
  if (Array.isArray(doc)) return doc.map(one);
  const list = (doc as { receipts?: unknown } | null)?.receipts;
  if (Array.isArray(list)) return list.map(one);
  return [one(doc)];
}

/**
 * Verifies a signed statement of how a consent change was enforced (ENFORCEMENT_JWS_TYPE, signed
 * with the receipt keys): the signature, its header and fields, and, with `issuer`, the hub. Pair
 * it with its receipt by `receipt.hash`. Throws {@link ReceiptVerificationError}.
 */
export async function verifyEnforcementStatement(jws: string, keys: ReceiptKeys, options: { issuer?: string } = {}): Promise<EnforcementStatement> {
  const { payload } = await verifySignedJson(jws.trim(), keys, ENFORCEMENT_JWS_TYPE, validateStatement, 'an enforcement statement');
  if (options.issuer !== undefined && payload.issuer !== options.issuer) {
    throw new ReceiptVerificationError('issuer', `Issued by ${payload.issuer}, not ${options.issuer}`);
  }
  return payload;
}

/**
 * Verifies an erasure certificate (消去証明書, ERASURE_CERTIFICATE_JWS_TYPE, signed with the receipt
 * keys): the signature, its header and fields, and, with `issuer`, the hub. Offline with a JWKS
 * you hold. Throws {@link ReceiptVerificationError}.
 */
export async function verifyErasureCertificate(jws: string, keys: ReceiptKeys, options: { issuer?: string } = {}): Promise<{ certificate: ErasureCertificate; kid: string }> {
  const { payload, kid } = await verifySignedJson(jws.trim(), keys, ERASURE_CERTIFICATE_JWS_TYPE, validateCertificate, 'an erasure certificate');
  if (options.issuer !== undefined && payload.issuer !== options.issuer) {
    throw new ReceiptVerificationError('issuer', `Issued by ${payload.issuer}, not ${options.issuer}`);
  }
  return { certificate: payload, kid };
}

/**
 * Verifies a tenant's archive (docs/erasure.md "Tenants leaving", TENANT_ARCHIVE_JWS_TYPE, signed
 * with the receipt keys): signature, header, payload shape and, when given, the issuer. Returns
 * the archive and its SHA-256 (hex over the compact JWS), the digest the hub's export record and
 * the tenant's erasure certificate name, so a recipient can show which archive it holds.
 */
export async function verifyTenantArchive(jws: string, keys: ReceiptKeys, options: { issuer?: string } = {}): Promise<{ archive: TenantArchive; kid: string; digest: string }> {
  const compact = jws.trim();
  const { payload, kid } = await verifySignedJson(compact, keys, TENANT_ARCHIVE_JWS_TYPE, validateArchive, 'a tenant archive');
  if (options.issuer !== undefined && payload.issuer !== options.issuer) {
    throw new ReceiptVerificationError('issuer', `Issued by ${payload.issuer}, not ${options.issuer}`);
  }
  return { archive: payload, kid, digest: createHash('sha256').update(compact, 'ascii').digest('hex') };
}

/** The part every signed document of the hub shares: ES256 by a published key, the expected `typ`, a JSON payload its schema accepts. */
async function verifySignedJson<T>(compact: string, keys: ReceiptKeys, typ: string, validate: ValidateFunction<T>, what: string): Promise<{ payload: T; kid: string }> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(compact);
  } catch {
    throw new ReceiptVerificationError('malformed', 'Not a compact JWS');
  }
  if (header.alg !== 'ES256' || header.typ !== typ || typeof header.kid !== 'string') {
    throw new ReceiptVerificationError('header', `Not the header of ${what} (alg ${String(header.alg)}, typ ${String(header.typ)})`);
  }
  let bytes: Uint8Array;
  try {
    ({ payload: bytes } = await compactVerify(compact, resolver(keys), { algorithms: ['ES256'] }));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_JWKS_NO_MATCHING_KEY') throw new ReceiptVerificationError('signature', `No published key has kid ${header.kid}`);
    if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') throw new ReceiptVerificationError('signature', `The signature does not match: ${what} was altered`);
    if (code === 'ERR_JWS_INVALID' || code === 'ERR_JOSE_NOT_SUPPORTED') throw new ReceiptVerificationError('malformed', 'Not a valid JWS');
    throw error;
  }
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new ReceiptVerificationError('malformed', 'The payload is not JSON');
  }
  if (!validate(payload)) {
    const first = validate.errors?.[0];
    throw new ReceiptVerificationError('schema', `Not ${what}: ${first?.instancePath || '(root)'} ${first?.message ?? ''}`.trim());
  }
  return { payload, kid: header.kid };
}
