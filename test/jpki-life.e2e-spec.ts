import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { type CrlReason, generateTestCa, issueTestCrl, type TestCa } from '@tsunagu/jpki';
import { BrowserAgent, createTestDatabase, pollUntil } from '@tsunagu/testing';
import { runTestCardApp, testCardSerial } from '../scripts/jpki/test-card';
import { codeFlow, discover } from './support/oidc-flow';
import { PortalResident } from './support/portal-resident';
import { launchBrowser, screenshot } from './support/browser';
import { type AppProcess, freePort, ROOT, startApp } from './support/processes';

const HEALTH_POINTS = 'cashless.health-points';
const ONSEN_SPENDING = 'misasa-health.onsen-spending';
const HOUR = 3_600_000;

/**
 * Issue 15 part B, end to end on the production configuration path (trust anchors and CRLs from
 * files): a resident who started on a PC finishes with a card app on another device (the
 * development test card, run as the CLI a vendor's app stands for), and verification for life —
 * the test CA revokes the resident's certificate (affiliationChanged, keyCompromise,
 * cessationOfOperation), the re-check lapses the verification, pauses the consent that requires a
 * verified identity with a signed receipt, the portal says so, and a new card resumes it.
 */
describe('JPKI for life and the card app on another device (e2e)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsunagu-jpki-life-'));
  let ca: TestCa;
  let hub: AppProcess;
  let databaseUrl: string;
  const revoked: { serialNumber: string; reason: CrlReason; revokedAt: Date }[] = [];
  /** The stored row of the 鳥取市 partition, which the test cards name as their CRL distribution point. */
  let partitionScope: string | undefined;

  async function sql<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return (await client.query(text, values)).rows as T[];
    } finally {
      await client.end();
    }
  }

  async function transfer(resident: PortalResident): Promise<{ transferId: string; link: string; token: string }> {
    const res = await resident.api('POST', '/api/v1/identity/jpki/transfers', {});
    expect(res.status).toBe(201);
    return res.body;
  }

  const card = (name: string) => join(dir, `${name}.json`);
  const cli = promisify(execFile);

  /** The test CA lists a certificate in a new signing-CA CRL, as J-LIS does when a name or address changes. */
  async function revoke(serialNumber: string, reason: CrlReason): Promise<void> {
    const now = new Date();
    revoked.push({ serialNumber, reason, revokedAt: new Date(now.getTime() - 60_000) });
    const crl = await issueTestCrl(ca.signingCa, { thisUpdate: now, nextUpdate: new Date(now.getTime() + 24 * HOUR), revoked, distributionPoint: 'tottori' });
    if (partitionScope === undefined) {
      const rows = await sql<{ scope: string; der: Buffer }>(`SELECT scope, der FROM jpki_crls WHERE issuer = $1`, [ca.signingCa.subject]);
      partitionScope = rows.find((r) => Buffer.from(r.der).equals(Buffer.from(ca.crls.current.der)))!.scope;
    }
    // What a refresh (here: another replica's, or the platform operator's mirror) stores; every replica reloads it, and this one re-checks.
    await sql(`UPDATE jpki_crls SET der = $3, this_update = $4, next_update = $5, revoked_count = $6, fetched_at = now() WHERE issuer = $1 AND scope = $2`,
      [ca.signingCa.subject, partitionScope, Buffer.from(crl.der), crl.thisUpdate, crl.nextUpdate, crl.revokedCount]);
  }

  async function consentTo(resident: PortalResident, dataUse: string): Promise<{ state: string; reason: string | null; receiptId: string }> {
    const res = await resident.api('GET', '/api/v1/portal/consents');
    const entry = (res.body.consents ?? res.body).find((c: { dataUse: { code: string } }) => c.dataUse.code === dataUse);
    return entry.consent;
  }

  beforeAll(async () => {
    ca = await generateTestCa();
    const file = (name: string, data: Uint8Array | string) => {
      writeFileSync(join(dir, name), data);
      return join(dir, name);
    };
    file('signing-ca.key', ca.signingCa.privateKeyPkcs8);
    const port = await freePort();
    databaseUrl = await createTestDatabase('jpki_life');
    hub = await startApp('apps/hub/src/main.js', {
      PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATABASE_URL: databaseUrl, KEY_ENCRYPTION_KEY: 'l'.repeat(43),
      DEMO_CASHLESS_URL: 'http://127.0.0.1:39111', THROTTLE_JPKI_PER_MINUTE: '1000', JPKI_RECHECK_SECONDS: '2',
      JPKI_TRUST_ANCHORS: file('root.pem', ca.root.pem), JPKI_INTERMEDIATES: file('signing-ca.der', ca.signingCa.der),
      JPKI_CRL_SOURCES: `${file('root.crl', ca.crls.root.der)},${file('signing.crl', ca.crls.current.der)}`,
    }, port);
  }, 60_000);
  afterAll(async () => {
    await hub?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes on a phone: the test card app scans the link, signs and posts with the token; the PC page shows the result', async () => {
    const taro = await new PortalResident(hub.url).signIn('tottori.taro');
    const page = await taro.agent.request(`${hub.url}/account/verify/transfer`, { method: 'POST', form: { csrf: taro.csrf } });
    const html = await page.text();
    expect(html).toContain('data-testid="transfer-qr"');
    expect(html).toContain('<svg');
    const link = html.match(/href="([^"]+)" data-testid="transfer-link"/)?.[1] as string;
    expect(link).toMatch(/\/jpki\/app#token=[A-Za-z0-9_-]{32}$/);
    const transferId = html.match(/data-transfer="([^"]+)"/)![1];

    // The card app: a separate process with no cookie, the test card's key, the PEM encoding.
    const run = await cli(process.execPath, [join(ROOT, 'dist/scripts/jpki/test-card.js'), link, '--ca-dir', dir, '--card', card('taro-1'), '--encoding', 'pem']);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 200, verified: true });

    expect(await taro.api('GET', `/api/v1/identity/jpki/transfers/${transferId}`)).toMatchObject({ status: 200, body: { state: 'verified' } });
    const after = await (await taro.agent.request(`${hub.url}/account/verify?transfer=${transferId}`)).text();
    expect(after).toContain('data-state="verified"');
    expect((await taro.api('GET', '/api/v1/identity/jpki')).body.verified).toBe(true);

    // One use only: the same link again.
    const again = await runTestCardApp({ link, caDir: dir, cardFile: card('taro-1') });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'jpki_transfer_used' } } });

    // Only issuer and serial, sealed, plus the expiry: the serial is not readable in the table.
    const rows = await sql('SELECT * FROM identity_verifications');
    expect(rows[0]).toMatchObject({ status: 'verified' });
    expect(String(rows[0].certificate_ref_sealed)).toMatch(/^v1\./);
    expect(JSON.stringify(rows)).not.toContain(await testCardSerial(card('taro-1')));
  });

  it('accepts DER base64 with line breaks and base64url; refuses expired, unknown, reused (also when racing) and other-session tokens, and a card of another account', async () => {
    const hanako = await new PortalResident(hub.url).signIn('misasa.hanako');
    // Taro's card for Hanako's account: the existing refusal.
    expect(await runTestCardApp({ link: (await transfer(hanako)).link, caDir: dir, cardFile: card('taro-1') }))
      .toMatchObject({ status: 409, body: { error: { code: 'jpki_card_already_used' } } });

    const expired = await transfer(hanako);
    await sql(`UPDATE jpki_transfers SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.transferId]);
    expect(await runTestCardApp({ link: expired.link, caDir: dir, cardFile: card('hanako') })).toMatchObject({ status: 401, body: { error: { code: 'jpki_transfer_expired' } } });

    // A token with the challenge of another hand-over.
    const first = await transfer(hanako);
    const second = await transfer(hanako);
    const auth = { authorization: `JPKI-Transfer ${first.token}` };
    const [{ challengeId: otherChallenge }] = await sql<{ challengeId: string }>(`SELECT challenge_id AS "challengeId" FROM jpki_transfers WHERE id = $1`, [second.transferId]);
    const mixed = await fetch(`${hub.url}/api/v1/identity/jpki/app/verifications`, {
      method: 'POST', headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ challengeId: otherChallenge, certificate: 'AAAA', signature: 'AAAA', algorithm: 'RS256' }),
    });
    expect({ status: mixed.status, body: await mixed.json() }).toMatchObject({ status: 403, body: { error: { code: 'jpki_transfer_other_session' } } });
    expect(await runTestCardApp({ link: `${hub.url}/jpki/app#token=${'x'.repeat(32)}`, caDir: dir, cardFile: card('hanako') }))
      .toMatchObject({ status: 401, body: { error: { code: 'jpki_transfer_not_found' } } });

    // Racing answers with one token: exactly one is taken.
    const race = await transfer(hanako);
    const results = await Promise.all([0, 1].map(() => runTestCardApp({ link: race.link, caDir: dir, cardFile: card('hanako'), encoding: 'base64-lines' })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);

    // base64url from a third resident's app.
    const jiro = await new PortalResident(hub.url).signIn('kurayoshi.jiro');
    expect(await runTestCardApp({ link: (await transfer(jiro)).link, caDir: dir, cardFile: card('jiro'), encoding: 'base64url' }))
      .toMatchObject({ status: 200, body: { verified: true } });
  });

  it('refuses a transfer token with another session\'s challenge and once its own session ended (jpki_transfer_other_session), verifying nothing', async () => {
    const verifiedAt = async () => (await sql<{ at: string }>(
      `SELECT max(v.verified_at)::text AS at FROM identity_verifications v JOIN residents r ON r.id = v.resident_id WHERE r.login_id = 'kurayoshi.jiro'`))[0].at;
    const before = await verifiedAt();
    // The same resident signed in twice: on the PC (A) and in another browser (B), each with its own hand-over.
    const [pc, other] = await Promise.all([new PortalResident(hub.url).signIn('kurayoshi.jiro'), new PortalResident(hub.url).signIn('kurayoshi.jiro')]);
    const [a, b] = await Promise.all([transfer(pc), transfer(other)]);
    const challengeOf = async (transferId: string) => (await sql<{ id: string }>(`SELECT challenge_id AS id FROM jpki_transfers WHERE id = $1`, [transferId]))[0].id;
    const answer = (token: string, challengeId: string) => fetch(`${hub.url}/api/v1/identity/jpki/app/verifications`, {
      method: 'POST', headers: { authorization: `JPKI-Transfer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ challengeId, certificate: 'AAAA', signature: 'AAAA', algorithm: 'RS256' }),
    }).then(async (res) => ({ status: res.status, body: await res.json() }));

    // A's token with the challenge of B's session: refused before anything is verified, and A's token is not spent by it.
    expect(await answer(a.token, await challengeOf(b.transferId))).toMatchObject({ status: 403, body: { error: { code: 'jpki_transfer_other_session', message: expect.any(String) } } });
    // Neither session sees the other's hand-over.
    expect(await other.api('GET', `/api/v1/identity/jpki/transfers/${a.transferId}`)).toMatchObject({ status: 401, body: { error: { code: 'jpki_transfer_not_found' } } });
    expect(await pc.api('GET', `/api/v1/identity/jpki/transfers/${a.transferId}`)).toMatchObject({ status: 200, body: { state: 'waiting' } });

    // The PC signs out: its token stands for a session that no longer exists — for the challenge and for the answer, even with the card's real signature.
    await pc.signOut();
    expect(await runTestCardApp({ link: a.link, caDir: dir, cardFile: card('jiro') })).toMatchObject({ status: 403, body: { error: { code: 'jpki_transfer_other_session' } } });
    expect(await answer(a.token, await challengeOf(a.transferId))).toMatchObject({ status: 403, body: { error: { code: 'jpki_transfer_other_session' } } });
    expect(await sql(`SELECT used_at, outcome FROM jpki_transfers WHERE id = $1`, [a.transferId])).toEqual([{ used_at: null, outcome: null }]);
    expect(await verifiedAt()).toBe(before);

    // B is still signed in: its own token works, so the refusals were about the session, not the resident or the card.
    expect(await runTestCardApp({ link: b.link, caDir: dir, cardFile: card('jiro') })).toMatchObject({ status: 200, body: { verified: true } });
    expect(await other.api('GET', `/api/v1/identity/jpki/transfers/${b.transferId}`)).toMatchObject({ status: 200, body: { state: 'verified' } });
    const refusals = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE type = 'jpki.transfer_refused' AND reason = 'jpki_transfer_other_session' AND details->>'transferId' = $1`, [a.transferId]);
    expect(refusals[0].n).toBe(3);
  });

  it('revocation lapses the verification, pauses the consent that requires it with a receipt, the portal says so, and a new card resumes it', async () => {
    const taro = await new PortalResident(hub.url).signIn('tottori.taro');
    expect((await taro.api('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS })).status).toBe(201);
    expect((await taro.api('POST', '/api/v1/portal/consents', { dataUse: ONSEN_SPENDING })).status).toBe(201);
    let cardFile = card('taro-1');
    const cycle: CrlReason[] = ['affiliationChanged', 'keyCompromise', 'cessationOfOperation'];
    for (const [i, reason] of cycle.entries()) {
      await revoke(await testCardSerial(cardFile), reason);
      const paused = await pollUntil(() => consentTo(taro, HEALTH_POINTS), (c) => c.state === 'paused', 15_000, 200); // the re-check runs every 2 s in this hub
      expect(paused).toMatchObject({ state: 'paused', reason: 'identity_certificate_revoked' });
      const receipt = await taro.api('GET', `/api/v1/portal/receipts/${paused.receiptId}`);
      expect(receipt.body.receipt.event).toMatchObject({ type: 'paused', state: 'paused', reason: 'identity_certificate_revoked' });
      // A data use that does not require a verified identity is left alone.
      expect((await consentTo(taro, ONSEN_SPENDING)).state).toBe('active');
      // The paused version goes to connectors like a withdrawal.
      expect(await sql(`SELECT 1 FROM consent_change_outbox WHERE state = 'paused' AND consent_version_id = (SELECT consent_version_id FROM consent_receipts WHERE id = $1)`, [paused.receiptId])).toHaveLength(1);
      expect((await taro.api('GET', '/api/v1/identity/jpki')).body.verified).toBe(false);
      expect((await sql(`SELECT revocation_reason FROM identity_verifications WHERE status = 'lapsed' ORDER BY lapsed_at DESC LIMIT 1`))[0].revocation_reason).toBe(reason);
      const home = await (await taro.agent.request(`${hub.url}/account`)).text();
      expect(home).toContain('data-testid="verification-lapsed"');
      expect(home).toContain('本人確認をもう一度お願いします');
      const verifyPage = await (await taro.agent.request(`${hub.url}/account/verify`)).text();
      expect(verifyPage).toContain('data-reason="revoked"');
      // Opting in again needs the new card first.
      expect(await taro.api('POST', '/api/v1/portal/consents', { dataUse: HEALTH_POINTS })).toMatchObject({ status: 403, body: { error: { code: 'identity_verification_required' } } });
      if (i === 0) {
        // The next sign-in is at the password level.
        const cashless = await discover(`${hub.url}/oidc`, 'demo-cashless', 'demo-cashless-secret');
        const { tokens } = await codeFlow(new BrowserAgent(), cashless, 'http://127.0.0.1:39111/auth/callback', { loginId: 'tottori.taro', password: 'tsunagu-demo-2026' });
        expect(tokens.claims()!.acr).not.toBe('urn:tsunagu:loa:jpki');
      }

      // The new card, on the phone again: verified, and the consent is active again with a new receipt.
      cardFile = card(`taro-${i + 2}`);
      const renewed = await runTestCardApp({ link: (await transfer(taro)).link, caDir: dir, cardFile, newCard: true });
      expect(renewed).toMatchObject({ status: 200, body: { verified: true } });
      const resumed = await consentTo(taro, HEALTH_POINTS);
      expect(resumed).toMatchObject({ state: 'active', reason: 'identity_reverified' });
      expect(resumed.receiptId).not.toBe(paused.receiptId);
    }
    const audit = await sql<{ type: string }>(`SELECT type FROM audit_events WHERE type LIKE 'jpki.%' OR type LIKE 'consent.%identity%'`);
    const types = audit.map((a) => a.type);
    expect(types.filter((t) => t === 'jpki.verification_lapsed')).toHaveLength(3);
    expect(types).toEqual(expect.arrayContaining(['jpki.transfer_created', 'jpki.transfer_refused', 'consent.paused_identity_lapsed', 'consent.resumed_identity_verified']));
  });

  it('on a 375 px phone-sized page with JavaScript: the QR code fits and the page turns to the result by itself', async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 375, height: 800 }, locale: 'ja-JP' });
      const page = await context.newPage();
      await page.goto(`${hub.url}/account/verify`);
      await page.waitForSelector('#loginId');
      await page.fill('#loginId', 'tottori.taro');
      await page.fill('#password', 'tsunagu-demo-2026');
      await Promise.all([page.waitForURL(/\/account/), page.click('button[type=submit]:has-text("ログイン")')]);
      if (!page.url().endsWith('/account/verify')) await page.goto(`${hub.url}/account/verify`);
      await Promise.all([page.waitForSelector('[data-testid="transfer-qr"] svg'), page.click('button:has-text("QR コードを表示する")')]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      const qr = await page.locator('[data-testid="transfer-qr"]').boundingBox();
      expect(qr!.x + qr!.width).toBeLessThanOrEqual(375);
      await screenshot(page, 'jpki-transfer-qr-375');
      const link = (await page.getAttribute('[data-testid="transfer-link"]', 'href'))!;
      // The latest card of the resident (the previous test renewed it three times).
      expect(await runTestCardApp({ link, caDir: dir, cardFile: card('taro-4') })).toMatchObject({ status: 200 });
      await page.waitForSelector('[data-testid="transfer-state"][data-state="verified"]', { timeout: 15_000 });
      expect(await page.textContent('[data-testid="transfer-state"]')).toContain('本人確認が完了しました');
      await screenshot(page, 'jpki-transfer-done-375');
    } finally {
      await browser.close();
    }
  });
});
