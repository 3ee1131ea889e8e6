import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify } from 'jose';
import type Provider from 'oidc-provider';

/** The algorithms a DPoP proof may be signed with: those the provider accepts at its token endpoint. */
const DPOP_ALGORITHMS = ['ES256', 'EdDSA', 'Ed25519'];
/** How far a proof's `iat` may be from now (RFC 9449 §11.1: a short window, plus clock skew). */
const IAT_WINDOW_SECONDS = 60;

/** Why a DPoP proof was refused (for the log; the client gets one code, `invalid_dpop_proof`). */
export class DpopProofError extends Error {}

/**
 * Checks the DPoP proof of a request to one of the hub's own resources (RFC 9449 §7): a JWT of
 * type `dpop+jwt` signed by the key in its header, for this method and URL, issued just now, used
 * once (recorded atomically through the provider's replay detection), carrying the hash of the
 * access token (`ath`), and signed by the very key the token is bound to (`jkt`).
 */
export async function verifyDpopProof(p: {
  provider: Provider; proof: string | undefined; method: string; url: string; accessToken: string; jkt: string;
}): Promise<void> {
  if (!p.proof || p.proof.length > 4096) throw new DpopProofError('missing DPoP proof');
  let verified: Awaited<ReturnType<typeof jwtVerify>>;
  try {
    verified = await jwtVerify(p.proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: DPOP_ALGORITHMS });
  } catch (error) {
    throw new DpopProofError(`DPoP proof not verified: ${(error as Error).message}`);
  }
  const { payload, protectedHeader } = verified;
  if (payload.htm !== p.method) throw new DpopProofError('DPoP proof htm mismatch');
  if (typeof payload.htu !== 'string' || stripQuery(payload.htu) !== stripQuery(p.url)) throw new DpopProofError('DPoP proof htu mismatch');
  const now = Math.floor(Date.now() / 1000);
  if (typeof payload.iat !== 'number' || Math.abs(now - payload.iat) > IAT_WINDOW_SECONDS) throw new DpopProofError('DPoP proof iat is not recent');
  if (typeof payload.jti !== 'string' || !payload.jti || payload.jti.length > 256) throw new DpopProofError('DPoP proof jti missing');
  if (payload.ath !== createHash('sha256').update(p.accessToken).digest('base64url')) throw new DpopProofError('DPoP proof ath mismatch');
  if ((await calculateJwkThumbprint(protectedHeader.jwk!)) !== p.jkt) throw new DpopProofError('DPoP proof signed by another key');
  const unique = await p.provider.ReplayDetection.unique(`dpop-resource:${p.jkt}`, payload.jti, payload.iat + IAT_WINDOW_SECONDS * 2);
  if (!unique) throw new DpopProofError('DPoP proof replayed');
}

/** RFC 9449 §4.3: htu is compared without query and fragment. */
function stripQuery(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '';
  }
}
