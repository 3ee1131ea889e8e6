import type { Browser } from 'playwright-core';
import type { ReceiptEnvelope } from '@tsunagu/contracts';
import { axeViolations, launchBrowser, screenshot } from './support/browser';
import { testCardEnv } from '@tsunagu/testing';
import { PortalResident } from './support/portal-resident';
import { type AppProcess, startHub } from './support/processes';

const HEALTH_POINTS = 'cashless.health-points';
const STEPS = 'misasa-health.daily-steps';
const VISITS = 'misasa-health.onsen-visits';

/** One character of the JWS payload changed (still base64url): the kind of edit a forger makes. */
function tamper(jws: string): string {
  const [header, payload, signature] = jws.split('.');
  const i = Math.floor(payload.length / 2);
  return [header, payload.slice(0, i) + (payload[i] === 'A' ? 'B' : 'A') + payload.slice(i + 1), signature].join('.');
}

/** The page's words outside the 「詳細」 details: what a resident reads first. */
function outsideDetails(page: string): string {
  return page.replace(/<details>[\s\S]*?<\/details>/g, '');
}

/**
 * The public receipt check page (`/portal/receipts/verify`) on a real hub: genuine receipts and
 * chains downloaded from the portal, altered and incomplete ones, garbage and oversized uploads.
 */
describe('Receipt check page (e2e)', () => {
  let hub: AppProcess;
  let taro: PortalResident;
  let chain: ReceiptEnvelope[];
  let chainFile: string;

  /** Posts the form as a browser does: multipart, with a file part (empty when no file was chosen). */
  async function upload(file: string | Uint8Array<ArrayBuffer> | undefined, text = '', extra?: (form: FormData) => void): Promise<{ status: number; page: string; cache: string | null }> {
    const form = new FormData();
    form.append('file', new Blob(file === undefined ? [] : [file], { type: 'application/json' }), file === undefined ? '' : 'receipt.json');
    form.append('receipt', text);
    extra?.(form);
    const res = await fetch(`${hub.url}/portal/receipts/verify`, { method: 'POST', body: form });
    return { status: res.status, page: await res.text(), cache: res.headers.get('cache-control') };
  }

  beforeAll(async () => {
    hub = await startHub('receipt_verify', testCardEnv());
    taro = await (await new PortalResident(hub.url).signIn('tottori.taro')).verifyIdentity();
    const given = await taro.api('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [VISITS], expectedVersion: 0 });
    await taro.api('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [VISITS, STEPS], expectedVersion: 1 });
    await taro.api('POST', `/api/v1/portal/consents/${given.body.consent.consentId}/withdraw`, { expectedVersion: 2 });
    // The files exactly as the portal's download links hand them out.
    const res = await taro.agent.request(`${hub.url}/portal/receipts/chain.json`);
    chainFile = await res.text();
    chain = (JSON.parse(chainFile) as { receipts: ReceiptEnvelope[] }).receipts;
    expect(chain.map((r) => r.receipt.chain.sequence)).toEqual([1, 2, 3]);
  }, 60_000);
  afterAll(() => hub?.stop());

  it('shows a form that needs neither sign-in nor JavaScript, linked from the consents and receipt pages', async () => {
    const res = await fetch(`${hub.url}/portal/receipts/verify`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('enctype="multipart/form-data"');
    expect(page).toContain('<input type="file" id="receipt-file" name="file" accept=".json,application/json">');
    expect(page).toContain('<textarea id="receipt-text" name="receipt"');
    expect(page).toContain('連携基盤には保存しません');
    for (const path of ['/portal/consents', `/portal/receipts/${chain[0].recordId}`]) {
      expect(await (await taro.agent.request(`${hub.url}${path}`)).text()).toContain('href="/portal/receipts/verify"');
    }
  });

  it('says a genuine receipt is genuine and what it says — from the downloaded file, or the bare JWS pasted', async () => {
    const download = await (await taro.agent.request(`${hub.url}/portal/receipts/${chain[0].recordId}/download`)).text();
    const one = await upload(download);
    expect(one.status).toBe(200);
    expect(one.cache).toBe('no-store');
    expect(one.page).toContain('data-result="genuine"');
    expect(one.page).toContain('この記録は本物です（改ざんされていません）');
    expect(one.page).toContain('温泉施設の利用履歴');
    expect(one.page).not.toContain('1日ごとの歩数');
    expect(one.page).toContain(chain[0].recordId);
    const pasted = await upload(undefined, chain[1].jws);
    expect(pasted.page).toContain('data-result="genuine"');
    expect(pasted.page).toContain('1日ごとの歩数');
    // The urlencoded form of the same post (a client without multipart) is read too.
    const res = await fetch(`${hub.url}/portal/receipts/verify?lang=en`, { method: 'POST', body: new URLSearchParams({ receipt: chain[2].jws }) });
    expect(await res.text()).toContain('This receipt is genuine (it has not been altered)');
  });

  it('says a whole chain is genuine, with none missing or reordered', async () => {
    const { status, page } = await upload(chainFile);
    expect(status).toBe(200);
    expect(page).toContain('data-result="chain"');
    expect(page).toContain('3 件すべて本物で、抜けも並べ替えもありません');
  });

  it('finds a receipt with one character of its payload changed, alone or in the chain, in words', async () => {
    const alone = await upload(JSON.stringify({ ...chain[1], jws: tamper(chain[1].jws) }));
    expect(alone.page).toContain('data-result="invalid"');
    expect(alone.page).toContain('data-problem="altered"');
    expect(alone.page).toContain('記録が書き換えられています（改ざん）');
    expect(outsideDetails(alone.page)).not.toMatch(/signature:|ERR_|altered:/);
    const inChain = await upload(JSON.stringify({ receipts: [chain[0], { ...chain[1], jws: tamper(chain[1].jws) }, chain[2]] }));
    expect(inChain.page).toContain('ファイルの 2 件目：電子署名が内容と一致しません。');
  });

  it('names the receipt missing from a chain with one removed', async () => {
    const { status, page } = await upload(JSON.stringify({ receipts: [chain[0], chain[2]] }));
    expect(status).toBe(200);
    expect(page).toContain('data-problem="missing"');
    expect(page).toContain('2 番目の記録が抜けています。');
  });

  it('answers garbage of every kind with the page and words, never a 500', async () => {
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${b64({ alg: 'none', typ: 'consent-receipt+jws', kid: 'x' })}.${chain[0].jws.split('.')[1]}.`;
    const cases: [string, string | Uint8Array<ArrayBuffer> | undefined, string][] = [
      ['nothing at all', undefined, 'empty'],
      ['an empty file', '', 'empty'],
      ['a binary file', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0xff]), 'not_receipt_file'],
      ['JSON of another shape', '{"name": "tottori", "items": [1, 2]}', 'not_receipt_file'],
      ['a JWS with alg none', JSON.stringify({ jws: unsigned }), 'header'],
      ['a truncated download', chainFile.slice(0, Math.floor(chainFile.length / 2)), 'not_receipt_file'],
      ['a truncated JWS', chain[0].jws.slice(0, -10), 'altered'],
    ];
    for (const [name, file, problem] of cases) {
      const { status, page } = await upload(file);
      expect({ name, status, problem: /data-problem="([a-z_]+)"/.exec(page)?.[1] }).toEqual({ name, status: 200, problem });
    }
  });

  it('refuses an upload over 1 MB (413) and a post it cannot read (400) with the page', async () => {
    const huge = await upload(`{"receipts": ["${'a'.repeat(1024 * 1024 + 10)}"]}`);
    expect(huge.status).toBe(413);
    expect(huge.page).toContain('ファイルが大きすぎます');
    expect(huge.page).toContain('data-testid="verify-form"');
    const hugeText = await upload(undefined, 'x'.repeat(1024 * 1024 + 10));
    expect(hugeText.status).toBe(413);
    const twoFiles = await upload(chainFile, '', (form) => form.append('file', new Blob([chainFile]), 'second.json'));
    expect(twoFiles.status).toBe(400);
    expect(twoFiles.page).toContain('送信された内容を読み取れませんでした');
    const broken = await fetch(`${hub.url}/portal/receipts/verify`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=xyz' }, body: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.json"\r\n\r\n{"jws' });
    expect(broken.status).toBe(400);
    expect(await broken.text()).toContain('送信された内容を読み取れませんでした');
  });

  it('answers machines at POST /api/v1/receipts/verify: what verified, or receipt_not_verified with one detail per problem', async () => {
    const post = async (body: unknown) => {
      const res = await fetch(`${hub.url}/api/v1/receipts/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, body: await res.json() };
    };
    const ok = await post(JSON.parse(chainFile));
    expect(ok).toMatchObject({ status: 200, body: { valid: true, kind: 'chain' } });
    expect(ok.body.receipts.map((r: { sequence: number; event: string }) => `${r.sequence}:${r.event}`)).toEqual(['1:given', '2:given', '3:withdrawn']);
    expect(await post(chain[0])).toMatchObject({ status: 200, body: { valid: true, kind: 'receipt', receipts: [{ recordId: chain[0].recordId, dataUse: HEALTH_POINTS }] } });
    expect(await post({ receipts: [chain[0], { ...chain[1], jws: tamper(chain[1].jws) }, chain[2]] }))
      .toMatchObject({ status: 400, body: { error: { code: 'receipt_not_verified', details: [{ field: 'receipts[1]', problem: 'altered' }] } } });
    expect(await post({ receipts: [chain[0], chain[2]] }))
      .toMatchObject({ status: 400, body: { error: { code: 'receipt_not_verified', details: [{ field: 'receipts[1]', problem: 'missing' }] } } });
    expect(await post({ hello: 'world' })).toMatchObject({ status: 400, body: { error: { code: 'receipt_not_verified', details: [{ field: 'document', problem: 'not_receipt_file' }] } } });
  });

  describe('in Chromium at 375 px without JavaScript', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchBrowser();
    });
    afterAll(() => browser?.close());

    it('checks a chosen file and shows the result within the screen, with no axe-core violations', async () => {
      const context = await browser.newContext({ viewport: { width: 375, height: 800 }, locale: 'ja-JP', javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(`${hub.url}/portal/receipts/verify`);
      await page.setInputFiles('#receipt-file', { name: 'consent-receipts.json', mimeType: 'application/json', buffer: Buffer.from(chainFile) });
      await Promise.all([page.waitForURL(`${hub.url}/portal/receipts/verify`), page.waitForLoadState('load'), page.click('[data-action=verify]')]);
      await page.waitForSelector('[data-testid=verify-result]');
      expect(await page.textContent('[data-testid=verify-result]')).toContain('3 件すべて本物で、抜けも並べ替えもありません');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await screenshot(page, 'portal-receipt-verify-chain-375');
      await context.close();

      // axe is injected as a script: the hub's CSP (script-src 'self') is bypassed for the check only.
      const checked = await browser.newContext({ viewport: { width: 375, height: 800 }, locale: 'ja-JP', bypassCSP: true });
      const axePage = await checked.newPage();
      await axePage.goto(`${hub.url}/portal/receipts/verify`);
      await axePage.fill('#receipt-text', JSON.stringify({ receipts: [chain[0], chain[2]] }));
      await Promise.all([axePage.waitForSelector('[data-result=invalid]'), axePage.click('[data-action=verify]')]);
      expect(await axeViolations(axePage)).toEqual([]);
      expect(await axePage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await screenshot(axePage, 'portal-receipt-verify-missing-375');
      await checked.close();
    }, 60_000);
  });
});
