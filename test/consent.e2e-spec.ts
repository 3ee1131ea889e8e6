import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type ReceiptEnvelope, receiptHash, verifyReceipt, verifyReceiptChain } from '@tsunagu/contracts';
import { BrowserAgent, testCardEnv } from '@tsunagu/testing';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { type AppProcess, ROOT, startHub } from './support/processes';
import { PortalResident } from './support/portal-resident';

const run = promisify(execFile);
const HEALTH_POINTS = 'cashless.health-points';
const STEPS = 'misasa-health.daily-steps';
const VISITS = 'misasa-health.onsen-visits';

/** Consents through the portal's JSON API and pages, end to end on a real hub, PostgreSQL and Redis. */
describe('Consent API and portal pages (e2e)', () => {
  let hub: AppProcess;
  let taro: PortalResident;
  let hanako: PortalResident;
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-receipts-'));

  beforeAll(async () => {
    hub = await startHub('consent', { DEMO_CASHLESS_URL: 'http://127.0.0.1:39101', DEMO_MISASA_URL: 'http://127.0.0.1:39102', ...testCardEnv(dir) });
    [taro, hanako] = await Promise.all([new PortalResident(hub.url).signIn('tottori.taro'), new PortalResident(hub.url).signIn('misasa.hanako')]);
  });
  afterAll(async () => {
    await hub?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the resident their home with the seeded data uses waiting for an answer', async () => {
    const me = await taro.api('GET', '/api/v1/portal/me');
    expect(me.status).toBe(200);
    expect(me.body.commonId).toMatch(/^\d{16}$/);
    expect(me.body.pendingRequests.map((p: { dataUse: string }) => p.dataUse).sort()).toEqual([HEALTH_POINTS, 'misasa-health.onsen-spending']);
    const uses = await taro.api('GET', '/api/v1/portal/data-uses');
    const use = uses.body.find((u: { dataUse: { code: string } }) => u.dataUse.code === HEALTH_POINTS);
    expect(use).toMatchObject({ consent: null, dataUse: { consumer: { clientId: 'demo-cashless' }, purpose: { code: 'health-points' }, retentionDays: 365 } });
    expect(use.dataUse.items.map((i: { code: string }) => i.code)).toEqual([STEPS, VISITS]);
  });

  it('refuses an opt-in to a data use that requires a verified identity until the resident has verified with the card', async () => {
    // The API: a typed refusal, in Japanese first, nothing written.
    const refused = await taro.api('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [VISITS], expectedVersion: 0 });
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'identity_not_verified', message: expect.stringContaining('マイナンバーカードによる本人確認が必要です') } } });
    expect((await taro.api('GET', '/api/v1/portal/receipts')).body.receipts).toHaveLength(0);
    expect((await taro.api('GET', `/api/v1/portal/data-uses/${HEALTH_POINTS}`)).body).toMatchObject({ dataUse: { requiresVerifiedIdentity: true }, identityRequired: 'not_verified' });
    expect((await taro.api('GET', '/api/v1/portal/data-uses/misasa-health.onsen-spending')).body.identityRequired).toBeUndefined();

    // The pages: the data use says it needs verification and links the card flow instead of offering a button that fails.
    const list = await (await taro.agent.follow(`${hub.url}/portal/data-uses`)).res.text();
    expect(list).toMatch(new RegExp(`data-data-use="${HEALTH_POINTS}">[^]*?data-testid="identity-required-tag"`));
    const page = await (await taro.agent.follow(`${hub.url}/portal/data-uses/${HEALTH_POINTS}`)).res.text();
    expect(page).toContain('data-testid="identity-required" data-identity="not_verified"');
    expect(page).toContain('href="/account/verify" data-action="verify"');
    expect(page).not.toContain('data-action="agree"');
    // A form posted anyway (an old tab): the error page explains and links the card flow.
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1];
    const posted = await taro.agent.request(`${hub.url}/portal/data-uses/${HEALTH_POINTS}/consent`, { form: { csrf, items: VISITS, expectedVersion: '0' } });
    expect(posted.status).toBe(403);
    const errorPage = await posted.text();
    expect(errorPage).toContain('data-code>identity_not_verified<');
    expect(errorPage).toContain('href="/account/verify" data-action="verify"');

    // Verified with the (development) test card: the button is back.
    await Promise.all([taro.verifyIdentity(), hanako.verifyIdentity()]);
    const after = await (await taro.agent.follow(`${hub.url}/portal/data-uses/${HEALTH_POINTS}`)).res.text();
    expect(after).toContain('data-action="agree"');
    expect(after).not.toContain('data-testid="identity-required"');
    expect((await taro.api('GET', `/api/v1/portal/data-uses/${HEALTH_POINTS}`)).body.identityRequired).toBeUndefined();
  });

  it('opts in with one item left out, and returns a receipt signed with a key of the hub\'s JWKS', async () => {
    const res = await taro.api('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [VISITS], expectedVersion: 0 });
    expect(res.status).toBe(201);
    expect(res.body.consent).toMatchObject({ version: 1, state: 'active', items: [VISITS] });
    const jwks = await (await fetch(`${hub.url}/oidc/jwks`)).json();
    const verified = await verifyReceipt(res.body.receipt.jws, jwks, { issuer: hub.url });
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toContain(verified.kid);
    expect(verified.receipt).toMatchObject({ dataItems: [{ id: VISITS }], event: { type: 'given' }, collectionMethod: 'portal-api' });
    const me = await taro.api('GET', '/api/v1/portal/me');
    expect(verified.receipt.principal.id).not.toContain(me.body.commonId);
    const archive = await (await fetch(`${hub.url}/api/v1/receipts/jwks`)).json();
    expect(archive.keys.map((k: { kid: string }) => k.kid)).toEqual([verified.kid]);
    expect(archive.keys[0].d).toBeUndefined();
  });

  it('answers bad input with a clear code and leaves the data as it was', async () => {
    const before = (await taro.api('GET', '/api/v1/portal/receipts')).body.receipts.length;
    expect(await taro.api('POST', '/api/v1/portal/consents', { dataUse: 'nobody.nothing' })).toMatchObject({ status: 404, body: { error: { code: 'data_use_not_found' } } });
    expect(await taro.api('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: ['cashless.points-balance'] })).toMatchObject({ status: 400, body: { error: { code: 'items_not_offered' } } });
    expect(await taro.api('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [] })).toMatchObject({ status: 400, body: { error: { code: 'no_items_selected' } } });
    expect(await taro.api('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [VISITS] })).toMatchObject({ status: 409, body: { error: { code: 'already_consented' } } });
    const unknownField = await taro.api('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, resident: 'someone-else' });
    expect(unknownField).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', details: [{ field: 'resident', problem: 'unknown field' }] } } });
    expect(await taro.api('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS }, { 'x-csrf-token': 'forged' })).toMatchObject({ status: 403, body: { error: { code: 'csrf_invalid' } } });
    expect(await taro.api('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS }, { 'x-csrf-token': hanako.csrf })).toMatchObject({ status: 403 });
    expect((await taro.api('GET', '/api/v1/portal/receipts')).body.receipts).toHaveLength(before);
  });

  it('does not show or touch another resident\'s consent', async () => {
    const [mine] = (await taro.api('GET', '/api/v1/portal/consents')).body;
    const id = mine.consent.consentId;
    expect(await hanako.api('GET', `/api/v1/portal/consents/${id}`)).toMatchObject({ status: 404, body: { error: { code: 'consent_not_found' } } });
    expect(await hanako.api('POST', `/api/v1/portal/consents/${id}/withdraw`, {})).toMatchObject({ status: 404, body: { error: { code: 'consent_not_found' } } });
    expect(await hanako.api('GET', `/api/v1/portal/receipts/${mine.consent.receiptId}`)).toMatchObject({ status: 404, body: { error: { code: 'receipt_not_found' } } });
    expect((await taro.api('GET', `/api/v1/portal/consents/${id}`)).body.current.state).toBe('active');
  });

  it('lets one of two simultaneous decisions win and tells the other it came second', async () => {
    const [a, b] = await Promise.all([
      hanako.api('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [STEPS], expectedVersion: 0 }),
      hanako.api('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS, items: [VISITS], expectedVersion: 0 }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect([a, b].find((r) => r.status === 409)!.body.error.code).toBe('consent_conflict');
    const consents = (await hanako.api('GET', '/api/v1/portal/consents')).body;
    expect(consents).toHaveLength(1);
    expect(consents[0].consent.version).toBe(1);
  });

  it('withdraws, refuses a second withdrawal, and keeps the whole history', async () => {
    const [mine] = (await taro.api('GET', '/api/v1/portal/consents')).body;
    const id = mine.consent.consentId;
    const withdrawn = await taro.api('POST', `/api/v1/portal/consents/${id}/withdraw`, { expectedVersion: 1 });
    expect(withdrawn).toMatchObject({ status: 200, body: { consent: { state: 'withdrawn', version: 2 }, receipt: { receipt: { event: { type: 'withdrawn' } } } } });
    expect(await taro.api('POST', `/api/v1/portal/consents/${id}/withdraw`, {})).toMatchObject({ status: 409, body: { error: { code: 'consent_not_active' } } });
    const history = (await taro.api('GET', `/api/v1/portal/consents/${id}`)).body;
    expect(history.versions.map((v: { version: number; state: string }) => `${v.version}:${v.state}`)).toEqual(['2:withdrawn', '1:active']);
  });

  it('hands out the receipt chain that anyone can verify — and that the CLI catches a tampered, dropped or reordered receipt in', async () => {
    await taro.api('POST', '/api/v1/portal/consents', { dataUse: 'misasa-health.onsen-spending', language: 'en' });
    const { receipts } = (await taro.api('GET', '/api/v1/portal/receipts')).body as { receipts: ReceiptEnvelope[] };
    expect(receipts.map((r) => r.receipt.chain.sequence)).toEqual([1, 2, 3]);
    expect(receipts[1].receipt.chain.previousReceiptHash).toBe(receiptHash(receipts[0].jws));
    const jwks = await (await fetch(`${hub.url}/oidc/jwks`)).json();
    expect(await verifyReceiptChain(receipts.map((r) => r.jws), jwks, { issuer: hub.url })).toMatchObject({ valid: true });

    const cli = async (name: string, doc: unknown, ...args: string[]) => {
      const file = join(dir, name);
      writeFileSync(file, JSON.stringify(doc));
      return run(process.execPath, [join(ROOT, 'dist/scripts/receipt-verify.js'), file, ...args]).then(
        ({ stdout }) => ({ code: 0, stdout }),
        (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
      );
    };
    const ok = await cli('chain.json', { receipts }, '--issuer', hub.url);
    expect(ok).toMatchObject({ code: 0, stdout: expect.stringContaining('Chain of 3 receipts verified') });
    expect(await cli('one.json', receipts[2])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^OK {2}#3 given/) });

    const [header, payload, signature] = receipts[1].jws.split('.');
    const bytes = Buffer.from(payload, 'base64url');
    bytes[bytes.indexOf('"version":2') + 10] = '3'.charCodeAt(0);
    const tampered = [receipts[0], { ...receipts[1], jws: [header, bytes.toString('base64url'), signature].join('.') }, receipts[2]];
    expect(await cli('tampered.json', { receipts: tampered })).toMatchObject({ code: 1, stdout: expect.stringContaining('signature: The signature does not match') });
    expect(await cli('dropped.json', { receipts: [receipts[0], receipts[2]] })).toMatchObject({ code: 1, stdout: expect.stringContaining('previous_hash') });
    expect(await cli('reordered.json', { receipts: [receipts[1], receipts[0], receipts[2]] })).toMatchObject({ code: 1, stdout: expect.stringContaining('NOT VERIFIED') });
  });

  it('has a provision ledger that is empty until exchanges happen', async () => {
    expect(await taro.api('GET', '/api/v1/portal/provisions')).toEqual({ status: 200, body: { provisions: [] } });
    expect((await taro.api('GET', '/api/v1/portal/provisions?limit=abc')).status).toBe(400);
    const page = await taro.agent.follow(`${hub.url}/portal/provisions`);
    expect(await page.res.text()).toContain('まだ提供記録はありません');
  });

  it('refuses everything to a visitor who is not signed in, and sends a page visitor to sign in and back', async () => {
    expect((await fetch(`${hub.url}/api/v1/portal/consents`)).status).toBe(401);
    const visitor = new BrowserAgent();
    const res = await visitor.request(`${hub.url}/portal/consents`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account/login?next=%2Fportal%2Fconsents');
    const posted = await visitor.request(`${hub.url}/portal/data-uses/${HEALTH_POINTS}/consent`, { form: { csrf: 'x', items: STEPS } });
    expect(posted.status).toBe(303);
  });

  it('works as plain HTML forms: opt in with an item unticked, refuse a forged post, opt out', async () => {
    const agent = hanako.agent;
    const form = await (await agent.follow(`${hub.url}/portal/data-uses/misasa-health.onsen-spending`)).res.text();
    expect(form).toContain('name="items" value="cashless.monthly-spending" checked');
    const csrf = /name="csrf" value="([^"]+)"/.exec(form)![1];
    const forged = await agent.request(`${hub.url}/portal/data-uses/misasa-health.onsen-spending/consent`, { form: { csrf: 'forged', items: 'cashless.monthly-spending', expectedVersion: '0' } });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('不正なリクエストです');
    const given = await agent.follow(`${hub.url}/portal/data-uses/misasa-health.onsen-spending/consent`, { form: { csrf, items: 'cashless.monthly-spending', expectedVersion: '0' } });
    const consentPage = await given.res.text();
    expect(given.url).toMatch(/\/portal\/consents\/[0-9a-f-]{36}\?done=given$/);
    expect(consentPage).toContain('同意しました');
    expect(consentPage).toContain('data-version="1" data-state="active"');
    const none = await agent.follow(`${hub.url}/portal/data-uses/misasa-health.onsen-spending/consent`, { form: { csrf, expectedVersion: '1' } });
    expect(none.res.status).toBe(400);
    expect(await none.res.text()).toContain('提供する項目を1つ以上選んでください');
    const withdraw = /action="(\/portal\/consents\/[0-9a-f-]+\/withdraw)"/.exec(consentPage)![1];
    const stale = await agent.follow(`${hub.url}${withdraw}`, { form: { csrf, expectedVersion: '0' } });
    expect(stale.res.status).toBe(409);
    const done = await agent.follow(`${hub.url}${withdraw}`, { form: { csrf, expectedVersion: '1' } });
    const history = await done.res.text();
    expect(history).toContain('同意を撤回しました');
    expect(history).toContain('data-version="2" data-state="withdrawn"');
  });

  it('speaks English when asked and remembers it', async () => {
    const en = await taro.agent.follow(`${hub.url}/portal/data-uses?lang=en`);
    expect(await en.res.text()).toContain('<html lang="en">');
    const next = await taro.agent.follow(`${hub.url}/portal/consents`);
    expect(await next.res.text()).toContain('My consents');
    await taro.agent.follow(`${hub.url}/portal/consents?lang=ja`);
  });

  it('serves the resident manual to anyone and the OpenAPI description of the portal API', async () => {
    const manual = await fetch(`${hub.url}/portal/manual`);
    const text = await manual.text();
    expect(manual.status).toBe(200);
    expect(text).toContain('<h1 id="s1">操作マニュアル（県民等向け）</h1>');
    expect(await (await fetch(`${hub.url}/portal/manual?lang=en`)).text()).toContain('Resident manual');
    const doc = await (await fetch(`${hub.url}/api/portal/openapi.json`)).json();
    expect(Object.keys(doc.paths)).toContain('/api/v1/portal/consents');
  });

  it('answers decisions, consents and receipts as its OpenAPI description says, enforcement included', async () => {
    const doc = await (await fetch(`${hub.url}/api/portal/openapi.json`)).json();
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc, 'portal');
    const check = (schema: string, body: unknown) => {
      const validate = ajv.getSchema(`portal#/components/schemas/${schema}`)!;
      expect({ schema, valid: validate(body), errors: validate.errors ?? null }).toEqual({ schema, valid: true, errors: null });
    };
    const given = await hanako.api('POST', '/api/v1/portal/consents', { dataUse: 'misasa-health.onsen-spending' });
    expect(given.status).toBe(201);
    check('Decision', given.body);
    const withdrawn = await hanako.api('POST', `/api/v1/portal/consents/${given.body.consent.consentId}/withdraw`, {});
    check('Decision', withdrawn.body);
    // No connector held a grant under it: enforced at once.
    expect(withdrawn.body.enforcement).toMatchObject({ complete: true, connectors: [], version: given.body.consent.version + 1 });
    const history = await hanako.api('GET', `/api/v1/portal/consents/${given.body.consent.consentId}`);
    check('ConsentHistory', history.body);
    expect(history.body.enforcement).toMatchObject({ complete: true, enforcedAt: withdrawn.body.enforcement.enforcedAt });
    const receipt = await hanako.api('GET', `/api/v1/portal/receipts/${withdrawn.body.receipt.recordId}`);
    check('ReceiptEnvelope', receipt.body);
    expect(receipt.body.enforcement).toMatchObject({ committedAt: withdrawn.body.enforcement.committedAt, enforcedAt: withdrawn.body.enforcement.enforcedAt });
  });
});
