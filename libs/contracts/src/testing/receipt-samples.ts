import { randomUUID } from 'node:crypto';
import { CompactSign, exportJWK, generateKeyPair, type JSONWebKeySet } from 'jose';
import { type ConsentReceipt, RECEIPT_HASH_ALGORITHM, RECEIPT_JWS_TYPE, RECEIPT_SCHEMA_VERSION, RECEIPT_STANDARD } from '../receipt';
import { receiptHash } from '../receipt-verify';

/**
 * Test material (`@tsunagu/contracts/testing`, not exported from the package index): a well-formed receipt payload and a signed
 * chain under a fresh key, for the specs of the verifier and of `receipt:verify`.
 */
export function sampleReceipt(sequence: number, previousReceiptHash: string | null, issuer = 'https://hub.example'): ConsentReceipt {
  const at = new Date(Date.UTC(2026, 11, 1, 9, sequence)).toISOString();
  return {
    schemaVersion: RECEIPT_SCHEMA_VERSION, standard: RECEIPT_STANDARD, recordId: randomUUID(), issuer, timestamp: at, language: 'ja',
    principal: { id: 'pairwise-sub', idType: 'pairwise-subject', sector: 'cashless.tottori-pref' },
    event: { type: sequence % 2 ? 'given' : 'withdrawn', state: sequence % 2 ? 'active' : 'withdrawn', validFrom: at, validUntil: null },
    consent: { id: randomUUID(), version: 1, dataUse: 'cashless.health-points', dataUseRevision: 1 },
    privacyNotice: { url: 'https://cashless.example/privacy', language: 'ja' },
    purposes: [{ code: 'health-points', description: '健康ポイントの付与', lawfulBasis: { type: 'consent', jurisdiction: 'JP', law: 'APPI', article: '27(1)', description: '本人の同意による第三者提供' } }],
    dataItems: [{ id: 'misasa-health.daily-steps', name: '歩数', specialCare: false, source: { serviceId: 'demo-misasa-health', name: '三朝' } }],
    controllers: [{ name: 'Cashless office', contact: 'privacy@cashless.example', privacyNoticeUrl: 'https://cashless.example/privacy' }],
    collectionMethod: 'portal-form',
    processing: [{ operation: 'third-party-provision', description: 'connector to connector' }],
    recipients: [{ serviceId: 'demo-cashless', name: 'Cashless', sector: 'cashless.tottori-pref' }],
    retention: { duration: 'P365D', days: 365 },
    withdrawal: { description: 'portal', url: `${issuer}/portal/consents/x` },
    chain: { sequence, previousReceiptHash, hashAlgorithm: RECEIPT_HASH_ALGORITHM },
  };
}

export async function sampleReceiptChain(length: number, issuer?: string): Promise<{
  jwks: JSONWebKeySet;
  chain: string[];
  sign: (body: unknown, header?: Record<string, string>) => Promise<string>;
}> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] };
  const sign = (body: unknown, header: Record<string, string> = {}) => new CompactSign(new TextEncoder().encode(JSON.stringify(body)))
    .setProtectedHeader({ alg: 'ES256', typ: RECEIPT_JWS_TYPE, kid: 'k1', ...header }).sign(privateKey);
  const chain: string[] = [];
  for (let sequence = 1; sequence <= length; sequence++) chain.push(await sign(sampleReceipt(sequence, chain.length ? receiptHash(chain.at(-1)!) : null, issuer)));
  return { jwks, chain, sign };
}
