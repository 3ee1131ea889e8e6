import { CompactSign, generateKeyPair, type JSONWebKeySet } from 'jose';
import { RECEIPT_JWS_TYPE } from './receipt';
import { sampleReceipt as payload, sampleReceiptChain } from './testing';
import { parseReceiptDocument, ReceiptVerificationError, verifyReceipt, verifyReceiptChain } from './receipt-verify';

const ISSUER = 'https://hub.example';

describe('verifyReceipt / verifyReceiptChain', () => {
  let jwks: JSONWebKeySet;
  let sign: (body: unknown, header?: Record<string, string>) => Promise<string>;
  let chain: string[];

  beforeAll(async () => {
    ({ jwks, chain, sign } = await sampleReceiptChain(4, ISSUER));
  });

  it('accepts an untouched chain and returns each receipt with its hash', async () => {
    const result = await verifyReceiptChain(chain, jwks, { issuer: ISSUER });
    expect(result).toMatchObject({ valid: true, findings: [] });
    expect(result.receipts.map((r) => r.receipt.chain.sequence)).toEqual([1, 2, 3, 4]);
    expect(result.receipts[1].receipt.chain.previousReceiptHash).toBe(result.receipts[0].hash);
  });

  it('detects one changed byte of a receipt', async () => {
    const [header, body, signature] = chain[1].split('.');
    const decoded = Buffer.from(body, 'base64url');
    const at = decoded.indexOf('"days":365') + 8;
    decoded[at] = '4'.charCodeAt(0); // 365 -> 465 days of retention
    const tampered = [header, decoded.toString('base64url'), signature].join('.');
    await expect(verifyReceipt(tampered, jwks)).rejects.toMatchObject({ problem: 'signature' });
    const result = await verifyReceiptChain([chain[0], tampered, chain[2], chain[3]], jwks);
    expect(result.valid).toBe(false);
    expect(result.findings).toEqual([
      expect.objectContaining({ index: 1, problem: 'signature' }),
      // The next receipt names the hash of the receipt as issued, not of the altered one.
      expect.objectContaining({ index: 2, problem: 'previous_hash' }),
    ]);
  });

  it('detects a changed byte of the signature', async () => {
    const last = chain[0].at(-10) === 'A' ? 'B' : 'A';
    const tampered = `${chain[0].slice(0, -10)}${last}${chain[0].slice(-9)}`;
    await expect(verifyReceipt(tampered, jwks)).rejects.toMatchObject({ problem: 'signature' });
  });

  it('detects a dropped receipt', async () => {
    const result = await verifyReceiptChain([chain[0], chain[2], chain[3]], jwks);
    expect(result.valid).toBe(false);
    expect(result.findings.map((f) => `${f.index}:${f.problem}`)).toEqual(['1:sequence', '1:previous_hash']);
    const withoutFirst = await verifyReceiptChain(chain.slice(1), jwks);
    expect(withoutFirst.findings.map((f) => `${f.index}:${f.problem}`)).toEqual(['0:sequence', '0:previous_hash']);
    expect((await verifyReceiptChain(chain.slice(1), jwks, { complete: false })).valid).toBe(true);
  });

  it('detects two receipts swapped', async () => {
    const result = await verifyReceiptChain([chain[0], chain[2], chain[1], chain[3]], jwks);
    expect(result.valid).toBe(false);
    expect(result.findings.map((f) => f.index)).toEqual(expect.arrayContaining([1, 2, 3]));
    expect(result.findings.every((f) => f.problem === 'sequence' || f.problem === 'previous_hash')).toBe(true);
  });

  it('refuses a receipt signed by a key that is not published', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const foreign = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload(1, null))))
      .setProtectedHeader({ alg: 'ES256', typ: RECEIPT_JWS_TYPE, kid: 'k1' }).sign(privateKey);
    await expect(verifyReceipt(foreign, jwks)).rejects.toMatchObject({ problem: 'signature' });
    const unknownKid = await sign(payload(1, null), { kid: 'k2' });
    await expect(verifyReceipt(unknownKid, jwks)).rejects.toMatchObject({ problem: 'signature', message: expect.stringContaining('k2') });
  });

  it('refuses other JWS types, payloads without the receipt fields, another issuer and garbage', async () => {
    await expect(verifyReceipt(await sign(payload(1, null), { typ: 'JWT' }), jwks)).rejects.toMatchObject({ problem: 'header' });
    const { chain: _chain, ...incomplete } = payload(1, null);
    await expect(verifyReceipt(await sign(incomplete), jwks)).rejects.toMatchObject({ problem: 'schema' });
    await expect(verifyReceipt(chain[0], jwks, { issuer: 'https://evil.example' })).rejects.toMatchObject({ problem: 'issuer' });
    await expect(verifyReceipt('not a jws', jwks)).rejects.toBeInstanceOf(ReceiptVerificationError);
  });

  it('reads every format the hub hands out', () => {
    const envelope = { recordId: 'r', jws: chain[0], receipt: {} };
    expect(parseReceiptDocument(`${chain[0]}\n`)).toEqual([chain[0]]);
    expect(parseReceiptDocument(JSON.stringify(envelope))).toEqual([chain[0]]);
    expect(parseReceiptDocument(JSON.stringify({ receipts: [envelope, { jws: chain[1] }] }))).toEqual([chain[0], chain[1]]);
    expect(parseReceiptDocument(JSON.stringify([chain[0], envelope]))).toEqual([chain[0], chain[0]]);
    expect(() => parseReceiptDocument('{"nothing":1}')).toThrow(ReceiptVerificationError);
  });
});
