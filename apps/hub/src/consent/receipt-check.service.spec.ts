import { generateKeyPairSync, sign } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ReceiptEnvelope } from '@tsunagu/contracts';
import { openTestDataSource } from '@tsunagu/testing';
import { ReceiptCheckService } from './receipt-check.service';
import { consentFixture, TEST_ISSUER } from './testing/consent-fixtures';

const HEALTH_POINTS = 'cashless.health-points';
const VISITS = 'misasa-health.onsen-visits';
const STEPS = 'misasa-health.daily-steps';

/** One character of a JWS's payload changed (still valid base64url). */
function tamper(jws: string): string {
  const [header, payload, signature] = jws.split('.');
  const i = Math.floor(payload.length / 2);
  return [header, payload.slice(0, i) + (payload[i] === 'A' ? 'B' : 'A') + payload.slice(i + 1), signature].join('.');
}

/** A receipt-shaped JWS signed by some other key (another hub, or a forger). */
function signedElsewhere(payload: object, kid = 'elsewhere-1'): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const input = `${Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'consent-receipt+jws', kid })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

describe(ReceiptCheckService.name, () => {
  let db: DataSource;
  let check: ReceiptCheckService;
  let chain: ReceiptEnvelope[];

  beforeAll(async () => {
    db = await openTestDataSource([], 'receipt_check');
    const fx = await consentFixture(db, { residents: 1 });
    check = new ReceiptCheckService(fx.service, fx.keys, { PUBLIC_URL: TEST_ISSUER });
    const [resident] = fx.residents;
    const { consent } = await fx.service.give(resident, { dataUse: HEALTH_POINTS, items: [VISITS] }, 'portal-form');
    await fx.service.give(resident, { dataUse: HEALTH_POINTS, items: [VISITS, STEPS], expectedVersion: 1 }, 'portal-form');
    await fx.service.withdraw(resident, consent.consentId, {}, 'portal-form');
    chain = await fx.service.receiptChain(resident);
  });
  afterAll(() => db?.destroy());

  it('verifies a receipt as downloaded, or as the bare JWS, and says what it says', async () => {
    for (const text of [JSON.stringify(chain[0]), chain[0].jws, `\uFEFF${chain[0].jws}\n`]) {
      const outcome = await check.check(text);
      expect(outcome).toMatchObject({ result: 'receipt', receipt: { recordId: chain[0].recordId, event: { type: 'given' }, dataItems: [{ id: VISITS }] } });
    }
  });

  it('verifies a whole chain', async () => {
    expect(chain).toHaveLength(3);
    const outcome = await check.check(JSON.stringify({ receipts: chain }));
    expect(outcome).toMatchObject({ result: 'chain' });
    expect(outcome.result === 'chain' && outcome.receipts.map((r) => r.chain.sequence)).toEqual([1, 2, 3]);
  });

  it('finds a receipt with one character of its payload changed', async () => {
    expect(await check.check(tamper(chain[1].jws))).toEqual({ result: 'invalid', count: 1, findings: [expect.objectContaining({ problem: 'altered' })] });
    const outcome = await check.check(JSON.stringify({ receipts: [chain[0], { ...chain[1], jws: tamper(chain[1].jws) }, chain[2]] }));
    // The altered one is named; the link after it adds nothing the resident must act on.
    expect(outcome).toEqual({ result: 'invalid', count: 3, findings: [expect.objectContaining({ problem: 'altered', position: 2 })] });
  });

  it('finds the readable copy in a file changed while the signature is intact', async () => {
    const edited = { ...chain[0], receipt: { ...chain[0].receipt, retention: { duration: 'P1D', days: 1 } } };
    expect(await check.check(JSON.stringify(edited))).toMatchObject({ result: 'invalid', findings: [{ problem: 'copy_altered' }] });
  });

  it('names the missing sequence numbers of a chain with a receipt removed, and one out of order', async () => {
    expect(await check.check(JSON.stringify({ receipts: [chain[0], chain[2]] })))
      .toEqual({ result: 'invalid', count: 2, findings: [expect.objectContaining({ problem: 'missing', position: 2, sequence: 3, from: 2, to: 2 })] });
    expect(await check.check(JSON.stringify({ receipts: [chain[1], chain[2]] })))
      .toEqual({ result: 'invalid', count: 2, findings: [expect.objectContaining({ problem: 'missing_start', position: 1, from: 1, to: 1 })] });
    const reordered = await check.check(JSON.stringify({ receipts: [chain[0], chain[2], chain[1]] }));
    expect(reordered.result === 'invalid' && reordered.findings.map((f) => f.problem)).toEqual(['missing', 'order']);
  });

  it('tells a receipt of another hub from one signed with a key that is not the hub\'s', async () => {
    const foreign = await check.check(signedElsewhere({ ...chain[0].receipt, issuer: 'https://other-hub.example' }));
    expect(foreign).toMatchObject({ result: 'invalid', findings: [{ problem: 'other_hub', issuer: 'https://other-hub.example' }] });
    expect(await check.check(signedElsewhere(chain[0].receipt))).toMatchObject({ result: 'invalid', findings: [{ problem: 'unknown_key' }] });
  });

  it('answers every kind of garbage with a finding, never an error', async () => {
    const header = (h: object) => Buffer.from(JSON.stringify(h)).toString('base64url');
    const payload = Buffer.from(JSON.stringify(chain[0].receipt)).toString('base64url');
    const cases: [string, string][] = [
      ['', 'empty'],
      ['   \n', 'empty'],
      [Buffer.from([0, 159, 146, 150, 255, 1, 2]).toString('latin1'), 'not_receipt_file'],
      ['{"hello": "world"}', 'not_receipt_file'],
      ['[1, 2, 3]', 'not_receipt_file'],
      ['null', 'not_receipt_file'],
      ['{"receipts": []}', 'empty'],
      [JSON.stringify({ receipts: Array(1001).fill('a.b.c') }), 'too_many'],
      [`${header({ alg: 'none', typ: 'consent-receipt+jws', kid: 'x' })}.${payload}.`, 'not_receipt_file'],
      [JSON.stringify({ jws: `${header({ alg: 'none', typ: 'consent-receipt+jws', kid: 'x' })}.${payload}.` }), 'header'],
      [JSON.stringify({ jws: `${header({ alg: 'HS256', typ: 'consent-receipt+jws', kid: 'x' })}.${payload}.abc` }), 'header'],
      [chain[0].jws.slice(0, chain[0].jws.length - 20), 'altered'],
      [chain[0].jws.split('.').slice(0, 2).join('.'), 'not_receipt_file'],
      [JSON.stringify({ jws: 'not.a.jws' }), 'malformed'],
      [JSON.stringify(chain[0]).slice(0, 200), 'not_receipt_file'],
      [signedElsewhere({ hello: 'world' }, 'x'), 'unknown_key'],
    ];
    for (const [text, problem] of cases) {
      const outcome = await check.check(text);
      expect({ text: text.slice(0, 40), outcome }).toMatchObject({ outcome: { result: 'invalid', findings: [{ problem }] } });
    }
  });
});
