import type { DataSource } from 'typeorm';
import { verifyReceipt, verifyReceiptChain } from '@tsunagu/contracts';
import { openTestDataSource } from '@tsunagu/testing';
import { pairwiseSubject } from '../identity/oidc/oidc-provider.factory';
import { ConsentService } from './consent.service';
import { consentFixture, publicJwks, TestClock } from './testing/consent-fixtures';

const HEALTH_POINTS = 'cashless.health-points';
const STEPS = 'misasa-health.daily-steps';
const VISITS = 'misasa-health.onsen-visits';

describe(ConsentService.name, () => {
  let db: DataSource;
  let fx: Awaited<ReturnType<typeof consentFixture>>;
  let clock: TestClock;
  let jwks: { keys: Record<string, unknown>[] };
  let next = 0;
  /** A resident nobody else in this file uses. */
  const fresh = () => fx.residents[next++];

  beforeAll(async () => {
    db = await openTestDataSource([], 'consent');
    clock = new TestClock();
    fx = await consentFixture(db, { residents: 30, clock });
    jwks = await publicJwks(fx.keys);
  });
  afterAll(() => db?.destroy());

  describe('catalog', () => {
    it('seeds the five data offers and the two data uses, idempotently', async () => {
      expect(await fx.seeder.seed([], [])).toEqual({ offers: 0, uses: 0, approved: 0 });
      const offers = (await db.query(`SELECT code FROM data_offers ORDER BY code`)).map((r: { code: string }) => r.code);
      expect(offers).toEqual(['cashless.monthly-spending', 'cashless.points-balance', 'misasa-health.checkup-summary', 'misasa-health.daily-steps', 'misasa-health.onsen-visits']);
      const uses = await fx.catalog.listActiveUses();
      expect(uses.map((u) => u.view.code).sort()).toEqual([HEALTH_POINTS, 'misasa-health.onsen-spending']);
      const healthPoints = uses.find((u) => u.view.code === HEALTH_POINTS)!;
      expect(healthPoints.view.consumer.clientId).toBe('demo-cashless');
      expect(healthPoints.view.items.map((i) => i.provider.clientId)).toEqual(['demo-misasa-health', 'demo-misasa-health']);
    });

    it('validates item data against the offer\'s JSON Schema', async () => {
      expect(await fx.catalog.validateItemData(STEPS, [{ date: '2026-11-30', steps: 8123 }])).toEqual([]);
      expect(await fx.catalog.validateItemData(STEPS, [{ date: 'yesterday', steps: -1, extra: true }])).toHaveLength(3);
      expect(await fx.catalog.validateItemData('nobody.nothing', {})).toEqual(['unknown item nobody.nothing']);
    });
  });

  describe('opt-in', () => {
    it('records version 1 with a signed receipt naming the pairwise subject of the recipient', async () => {
      const resident = fresh();
      const { consent, receipt } = await fx.service.give(resident, { dataUse: HEALTH_POINTS }, 'portal-api');
      expect(consent).toMatchObject({ version: 1, state: 'active', event: 'given', items: [STEPS, VISITS], needsReconsent: false });
      expect(new Date(consent.validUntil!).getTime() - new Date(consent.validFrom).getTime()).toBe(365 * 86_400_000);
      const salt = await fx.keys.sharedSecret('pairwise-salt');
      const verified = await verifyReceipt(receipt.jws, jwks, { issuer: 'https://hub.test.example' });
      expect(verified.receipt.principal).toEqual({ id: pairwiseSubject(salt, 'cashless.tottori-pref', resident), idType: 'pairwise-subject', sector: 'cashless.tottori-pref' });
      const commonId = (await db.query(`SELECT common_id FROM residents WHERE id = $1`, [resident]))[0].common_id;
      expect(receipt.jws).not.toContain(commonId);
      expect(JSON.stringify(verified.receipt)).not.toContain(commonId);
      expect(verified.receipt).toMatchObject({
        event: { type: 'given', state: 'active' }, chain: { sequence: 1, previousReceiptHash: null },
        purposes: [{ code: 'health-points', lawfulBasis: { type: 'consent', law: 'APPI', article: '27(1)' } }],
        recipients: [{ serviceId: 'demo-cashless' }], retention: { duration: 'P365D' }, collectionMethod: 'portal-api',
      });
      expect(verified.receipt.dataItems.map((i) => i.source.serviceId)).toEqual(['demo-misasa-health', 'demo-misasa-health']);
    });

    it('lets the resident narrow the items, and the check then covers only those', async () => {
      const resident = fresh();
      const useId = fx.useId(HEALTH_POINTS);
      await fx.service.give(resident, { dataUse: HEALTH_POINTS, items: [VISITS] }, 'portal-form');
      expect(await fx.service.findActiveConsentCovering(resident, useId, [VISITS], 'health-points')).toMatchObject({ version: 1, items: [VISITS] });
      expect(await fx.service.findActiveConsentCovering(resident, useId, [STEPS], 'health-points')).toBeUndefined();
      expect(await fx.service.findActiveConsentCovering(resident, useId, [STEPS, VISITS], 'health-points')).toBeUndefined();
      expect(await fx.service.findActiveConsentCovering(resident, useId, [VISITS], 'marketing')).toBeUndefined();
      expect(await fx.service.findActiveConsentCovering(fresh(), useId, [VISITS], 'health-points')).toBeUndefined();
    });

    it('refuses a double opt-in but records a change of items as a new version', async () => {
      const resident = fresh();
      await fx.service.give(resident, { dataUse: HEALTH_POINTS, items: [STEPS] }, 'portal-form');
      await expect(fx.service.give(resident, { dataUse: HEALTH_POINTS, items: [STEPS] }, 'portal-form')).rejects.toMatchObject({ code: 'already_consented' });
      const { consent } = await fx.service.give(resident, { dataUse: HEALTH_POINTS, items: [VISITS, STEPS] }, 'portal-form');
      expect(consent).toMatchObject({ version: 2, state: 'active', items: [STEPS, VISITS] });
    });

    it('names in the revocation outbox the items of both versions, so that a narrowing reaches the provider of the items it dropped', async () => {
      const resident = fresh();
      await fx.service.give(resident, { dataUse: HEALTH_POINTS, items: [STEPS, VISITS] }, 'portal-form');
      const { consent } = await fx.service.give(resident, { dataUse: HEALTH_POINTS, items: [VISITS] }, 'portal-form');
      const outbox = await db.query(`SELECT version, items FROM consent_change_outbox WHERE consent_id = $1`, [consent.consentId]);
      expect(outbox).toEqual([{ version: 2, items: [STEPS, VISITS].sort() }]);
    });

    it('refuses a nonexistent data use and items outside the data use, writing nothing', async () => {
      const resident = fresh();
      await expect(fx.service.give(resident, { dataUse: 'nobody.nothing' }, 'portal-api')).rejects.toMatchObject({ code: 'data_use_not_found' });
      await expect(fx.service.give(resident, { dataUse: HEALTH_POINTS, items: [STEPS, 'cashless.points-balance'] }, 'portal-api'))
        .rejects.toMatchObject({ code: 'items_not_offered', details: [{ field: 'items', problem: 'not offered: cashless.points-balance' }] });
      expect((await db.query(`SELECT count(*)::int AS n FROM consents WHERE resident_id = $1`, [resident]))[0].n).toBe(0);
    });
  });

  describe('a data use that requires a verified identity', () => {
    const ONSEN_SPENDING = 'misasa-health.onsen-spending';
    const unverified = async () => {
      const resident = fresh();
      await db.query(`UPDATE residents SET identity_verified_at = NULL WHERE id = $1`, [resident]);
      return resident;
    };

    it('refuses an opt-in from a resident who never verified with the card (identity_not_verified), writing nothing', async () => {
      const resident = await unverified();
      await expect(fx.service.give(resident, { dataUse: HEALTH_POINTS }, 'portal-form')).rejects.toMatchObject({ code: 'identity_not_verified' });
      expect((await db.query(`SELECT count(*)::int AS n FROM consents WHERE resident_id = $1`, [resident]))[0].n).toBe(0);
      // A data use that does not require one is open to them.
      await expect(fx.service.give(resident, { dataUse: ONSEN_SPENDING }, 'portal-form')).resolves.toMatchObject({ consent: { state: 'active' } });
    });

    it('refuses it as identity_verification_required when the verification lapsed, and accepts it once verified', async () => {
      const resident = await unverified();
      await db.query(
        `INSERT INTO identity_verifications (resident_id, method, card_key, certificate_not_after, status, lapsed_at, lapse_reason)
         VALUES ($1, 'jpki_signature', $2, now(), 'lapsed', now(), 'revoked')`, [resident, `card-${resident}`]);
      await expect(fx.service.give(resident, { dataUse: HEALTH_POINTS }, 'portal-form')).rejects.toMatchObject({ code: 'identity_verification_required' });
      await db.query(`UPDATE residents SET identity_verified_at = now() WHERE id = $1`, [resident]);
      await expect(fx.service.give(resident, { dataUse: HEALTH_POINTS }, 'portal-form')).resolves.toMatchObject({ consent: { state: 'active' } });
    });

    it('marks such data uses for a resident who is not verified, and only those', async () => {
      const resident = await unverified();
      const entries = await fx.service.listDataUses(resident);
      expect(Object.fromEntries(entries.map((e) => [e.dataUse.code, e.identityRequired]))).toEqual({ [HEALTH_POINTS]: 'not_verified', [ONSEN_SPENDING]: undefined });
      expect((await fx.service.dataUse(resident, HEALTH_POINTS)).identityRequired).toBe('not_verified');
      expect((await fx.service.dataUse(fresh(), HEALTH_POINTS)).identityRequired).toBeUndefined();
    });
  });

  describe('opt-out', () => {
    it('withdraws, stops the check at once, and refuses a second withdrawal', async () => {
      const resident = fresh();
      const { consent } = await fx.service.give(resident, { dataUse: HEALTH_POINTS }, 'portal-form');
      const { consent: withdrawn, receipt } = await fx.service.withdraw(resident, consent.consentId, {}, 'portal-form');
      expect(withdrawn).toMatchObject({ consentId: consent.consentId, version: 2, state: 'withdrawn', event: 'withdrawn' });
      expect(receipt.receipt.event).toMatchObject({ type: 'withdrawn', state: 'withdrawn' });
      expect(await fx.service.findActiveConsentCovering(resident, fx.useId(HEALTH_POINTS), [STEPS], 'health-points')).toBeUndefined();
      await expect(fx.service.withdraw(resident, consent.consentId, {}, 'portal-form')).rejects.toMatchObject({ code: 'consent_not_active' });
    });

    it('does not let a resident touch another resident\'s consent, and says only "not found"', async () => {
      const owner = fresh();
      const { consent } = await fx.service.give(owner, { dataUse: HEALTH_POINTS }, 'portal-form');
      const other = fresh();
      await expect(fx.service.withdraw(other, consent.consentId, {}, 'portal-form')).rejects.toMatchObject({ code: 'consent_not_found' });
      await expect(fx.service.history(other, consent.consentId)).rejects.toMatchObject({ code: 'consent_not_found' });
      await expect(fx.service.receipt(other, consent.receiptId)).rejects.toMatchObject({ code: 'receipt_not_found' });
      await expect(fx.service.withdraw(other, 'not-a-uuid', {}, 'portal-form')).rejects.toMatchObject({ code: 'consent_not_found' });
      expect(await fx.service.findActiveConsentCovering(owner, fx.useId(HEALTH_POINTS), [STEPS], 'health-points')).toBeDefined();
    });

    it('opts in again after a withdrawal as the next version of the same consent', async () => {
      const resident = fresh();
      const first = await fx.service.give(resident, { dataUse: HEALTH_POINTS }, 'portal-form');
      await fx.service.withdraw(resident, first.consent.consentId, { expectedVersion: 1 }, 'portal-form');
      const again = await fx.service.give(resident, { dataUse: HEALTH_POINTS, expectedVersion: 2 }, 'portal-form');
      expect(again.consent).toMatchObject({ consentId: first.consent.consentId, version: 3, state: 'active' });
      const history = await fx.service.history(resident, first.consent.consentId);
      expect(history.versions.map((v) => `${v.version}:${v.state}`)).toEqual(['3:active', '2:withdrawn', '1:active']);
    });
  });

  describe('concurrent decisions', () => {
    it('lets one of two simultaneous decisions based on the same version win; the other gets consent_conflict', async () => {
      const resident = fresh();
      const results = await Promise.allSettled([
        fx.service.give(resident, { dataUse: HEALTH_POINTS, items: [STEPS], expectedVersion: 0 }, 'portal-api'),
        fx.service.give(resident, { dataUse: HEALTH_POINTS, items: [VISITS], expectedVersion: 0 }, 'portal-api'),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: 'consent_conflict' });
      const rows = await db.query(`SELECT version, superseded_at FROM consents WHERE resident_id = $1`, [resident]);
      expect(rows).toHaveLength(1);
      const chain = await fx.service.receiptChain(resident);
      expect((await verifyReceiptChain(chain.map((r) => r.jws), jwks)).valid).toBe(true);
    });

    it('answers many racing opt-ins and opt-outs with one consistent chain', async () => {
      const resident = fresh();
      const { consent } = await fx.service.give(resident, { dataUse: HEALTH_POINTS }, 'portal-api');
      await Promise.allSettled(Array.from({ length: 8 }, (_, i) => i % 2
        ? fx.service.withdraw(resident, consent.consentId, {}, 'portal-api')
        : fx.service.give(resident, { dataUse: HEALTH_POINTS, items: i % 4 ? [STEPS] : [VISITS] }, 'portal-api')));
      const rows = await db.query(`SELECT version, state, superseded_at FROM consents WHERE resident_id = $1 ORDER BY version`, [resident]);
      expect(rows.map((r: { version: number }) => r.version)).toEqual(rows.map((_: unknown, i: number) => i + 1));
      expect(rows.filter((r: { superseded_at: Date | null }) => r.superseded_at === null)).toHaveLength(1);
      const chain = await fx.service.receiptChain(resident);
      expect(chain).toHaveLength(rows.length);
      expect((await verifyReceiptChain(chain.map((r) => r.jws), jwks)).valid).toBe(true);
    });
  });

  describe('the database keeps history honest on its own', () => {
    it('allows at most one current version per resident and data use', async () => {
      const resident = fresh();
      const { consent } = await fx.service.give(resident, { dataUse: HEALTH_POINTS }, 'portal-api');
      await expect(db.query(
        `INSERT INTO consents (consent_id, version, tenant_id, resident_id, data_use_id, data_use_revision, state, event, items, purpose_code,
           valid_from, collection_method, language, created_at)
         SELECT gen_random_uuid(), 1, tenant_id, resident_id, data_use_id, data_use_revision, 'active', 'given', items, purpose_code,
           now(), 'system', 'ja', now() FROM consents WHERE consent_id = $1`, [consent.consentId]))
        .rejects.toMatchObject({ constraint: 'consents_one_current' });
    });

    it('refuses to rewrite a consent version or a receipt', async () => {
      const resident = fresh();
      const { consent } = await fx.service.give(resident, { dataUse: HEALTH_POINTS, items: [STEPS] }, 'portal-api');
      await expect(db.query(`UPDATE consents SET items = $2 WHERE consent_id = $1`, [consent.consentId, [STEPS, VISITS]]))
        .rejects.toMatchObject({ constraint: 'consents_append_only' });
      await expect(db.query(`UPDATE consent_receipts SET jws = 'x' WHERE id = $1`, [consent.receiptId]))
        .rejects.toMatchObject({ constraint: 'consent_receipts_immutable' });
    });
  });

  describe('re-consent', () => {
    it('refuses an opt-in to terms changed elsewhere since they were read, and the sweep pauses what slipped through', async () => {
      const [a, b] = [fresh(), fresh()];
      const code = 'misasa-health.onsen-spending';
      await fx.service.give(a, { dataUse: code }, 'portal-form');
      await fx.catalog.findActiveUse(code); // this process now holds the current terms
      // Another replica changes the terms (and pauses what it sees): here, straight in the database.
      await db.query(`UPDATE data_uses SET revision = revision + 1, consent_revision = revision + 1, items = $2 WHERE code = $1`, [code, ['cashless.monthly-spending', 'cashless.points-balance']]);
      await expect(fx.service.give(b, { dataUse: code }, 'portal-form')).rejects.toMatchObject({ code: 'consent_conflict' });
      expect((await fx.service.give(b, { dataUse: code }, 'portal-form')).consent).toMatchObject({ version: 1, dataUseRevision: 2 });
      // a's consent was given to revision 1 and nobody paused it yet: the check refuses it already.
      const useId = fx.useId(code);
      expect(await fx.service.findActiveConsentCovering(a, useId, ['cashless.monthly-spending'], 'onsen-spending-display')).toBeUndefined();
      expect(await fx.service.pauseAllOutdated()).toBeGreaterThanOrEqual(1);
      expect((await fx.service.listConsents(a)).find((c) => c.dataUse.code === code)!.consent).toMatchObject({ state: 'paused', needsReconsent: true });
    });
  });

  describe('expiry', () => {
    it('stops covering at valid_until and records the expired version when the sweep runs', async () => {
      const resident = fresh();
      const useId = fx.useId(HEALTH_POINTS);
      const { consent } = await fx.service.give(resident, { dataUse: HEALTH_POINTS }, 'portal-form');
      clock.advanceDays(366);
      try {
        expect(await fx.service.findActiveConsentCovering(resident, useId, [STEPS], 'health-points')).toBeUndefined();
        expect(await fx.service.expireDue()).toBeGreaterThanOrEqual(1);
        const history = await fx.service.history(resident, consent.consentId);
        expect(history.current).toMatchObject({ version: 2, state: 'expired', event: 'expired' });
        await expect(fx.service.withdraw(resident, consent.consentId, {}, 'portal-form')).rejects.toMatchObject({ code: 'consent_not_active' });
        expect(await fx.service.expireDue()).toBe(0);
      } finally {
        clock.advanceDays(-366);
      }
    });
  });

  it('keeps every resident\'s receipts in one verifiable chain across consents and events', async () => {
    const resident = fresh();
    const a = await fx.service.give(resident, { dataUse: HEALTH_POINTS }, 'portal-form');
    await fx.service.give(resident, { dataUse: 'misasa-health.onsen-spending', language: 'en' }, 'portal-form');
    await fx.service.withdraw(resident, a.consent.consentId, {}, 'portal-form');
    const chain = await fx.service.receiptChain(resident);
    expect(chain.map((r) => r.receipt.chain.sequence)).toEqual([1, 2, 3]);
    expect(chain[1].receipt).toMatchObject({ language: 'en', principal: { sector: 'health.misasa' } });
    expect(chain[0].receipt.principal.id).not.toBe(chain[1].receipt.principal.id);
    const result = await verifyReceiptChain(chain.map((r) => r.jws), jwks);
    expect(result).toMatchObject({ valid: true, findings: [] });
  });
});
