import { AsyncResource } from 'node:async_hooks';
import { type ConnectorErrorCode, type GrantRequest, openGrant } from '@tsunagu/contracts';
import { openTestDataSource } from '@tsunagu/testing';
import { exportJWK, generateKeyPair } from 'jose';
import type { DataSource } from 'typeorm';
import { AuditCheckpointsService } from '../audit/audit-checkpoints.service';
import { AuditRepository } from '../audit/audit.repository';
import { AuditService } from '../audit/audit.service';
import { consentFixture, publicJwks, TEST_ISSUER, TestClock } from '../consent/testing/consent-fixtures';
import { type ConnectConnectorRow, ConnectRepository } from './connect.repository';
import { GrantRecordsRepository } from './grant-records.repository';
import { GRANT_LIFETIME_SECONDS, GrantsService } from './grants.service';
import { HubSigningKeyService } from './hub-signing-key.service';

const HEALTH_POINTS = 'cashless.health-points';
const STEPS = 'misasa-health.daily-steps';
const VISITS = 'misasa-health.onsen-visits';
/** Data uses of demo-cashless added for this file (the seeded ones are shared by every test). */
const TERMS = 'cashless.grant-spec-terms';
const TWO_PROVIDERS = 'cashless.grant-spec-two-providers';
const RETIRED = 'cashless.grant-spec-retired';
/** A statistics data use over the same item: residents consent to be counted, never to have their data sent. */
const STATISTICS = 'cashless.grant-spec-statistics';

/**
 * The refusal rules of the grant path, one by one, on the real PostgreSQL with the real consent,
 * permission, signing-key and audit code. Only the audit chain's background checkpoints are left
 * out (they are no rule of the grant path).
 */
describe(GrantsService.name, () => {
  let db: DataSource;
  let fx: Awaited<ReturnType<typeof consentFixture>>;
  let clock: TestClock;
  let repo: ConnectRepository;
  let audit: AuditService;
  let grants: GrantsService;
  let consumer: ConnectConnectorRow;
  let provider: ConnectConnectorRow;
  let providerKey: CryptoKey;
  let jwks: { keys: Record<string, unknown>[] };
  let next = 0;

  /** A resident nobody else in this file uses, linked at the consuming service (and at the providing one unless told). */
  async function resident(options: { atProvider?: boolean } = {}): Promise<{ id: string; localId: string }> {
    const n = next++;
    const id = fx.residents[n];
    await db.query(`INSERT INTO service_links (tenant_id, service_id, resident_id, local_id) VALUES ($1, $2, $3, $4)`,
      [consumer.tenant_id, consumer.service_id, id, `C-${n}`]);
    if (options.atProvider ?? true) {
      await db.query(`INSERT INTO service_links (tenant_id, service_id, resident_id, local_id) VALUES ($1, $2, $3, $4)`,
        [provider.tenant_id, provider.service_id, id, `MH-${n}`]);
    }
    return { id, localId: `C-${n}` };
  }

  const request = (localId: string, over: Partial<GrantRequest> = {}): GrantRequest => ({
    localId, dataUse: HEALTH_POINTS, items: [STEPS, VISITS], purpose: 'health-points', ...over,
  });

  async function count(sql: string, params: unknown[] = []): Promise<number> {
    return (await db.query(`SELECT count(*)::int AS n FROM (${sql}) x`, params))[0].n;
  }

  /**
   * Asserts the refusal: its code (and details), one `grant.refused` audit row saying why, and
   * nothing issued — no grant record, no `grant.issued` row.
   */
  async function expectRefused(req: GrantRequest, code: ConnectorErrorCode, problem: string | RegExp, details?: unknown): Promise<void> {
    const before = {
      refused: await count(`SELECT 1 FROM audit_events WHERE type = 'grant.refused'`),
      issued: await count(`SELECT 1 FROM audit_events WHERE type = 'grant.issued'`),
      records: await count(`SELECT 1 FROM grant_records`),
    };
    await expect(grants.issue(consumer, TEST_ISSUER, req)).rejects.toMatchObject({ code, ...(details ? { details } : {}) });
    const rows = await db.query(`SELECT actor_id, subject, outcome, reason, details FROM audit_events WHERE type = 'grant.refused' ORDER BY seq DESC LIMIT 1`);
    expect(rows[0]).toMatchObject({ actor_id: consumer.id, subject: req.dataUse, outcome: 'failure', reason: code, details: { dataUse: req.dataUse, items: req.items } });
    expect(rows[0].details.problem).toMatch(problem);
    expect(await count(`SELECT 1 FROM audit_events WHERE type = 'grant.refused'`)).toBe(before.refused + 1);
    expect(await count(`SELECT 1 FROM audit_events WHERE type = 'grant.issued'`)).toBe(before.issued);
    expect(await count(`SELECT 1 FROM grant_records`)).toBe(before.records);
  }

  async function withSql<T>(change: string, undo: string, params: unknown[], run: () => Promise<T>): Promise<T> {
    await db.query(change, params);
    try {
      return await run();
    } finally {
      await db.query(undo, params);
    }
  }

  beforeAll(async () => {
    db = await openTestDataSource([], 'grants');
    clock = new TestClock();
    fx = await consentFixture(db, { residents: 40, clock });
    await fx.seeder.seed([], [TERMS, TWO_PROVIDERS, RETIRED].map((code) => ({
      serviceClientId: 'demo-cashless', code, titleJa: code, titleEn: code, purposeCode: code.replace('cashless.', ''), purposeCategory: 'ServiceProvision', purposeJa: 'p', purposeEn: 'p',
      items: code === TWO_PROVIDERS ? [STEPS, 'cashless.points-balance'] : [STEPS], retentionDays: '30', consentValidDays: '365', controllerType: 'private',
      controllerNameJa: 'c', controllerNameEn: 'c', controllerContact: 'c@example.jp', privacyNoticeUrl: 'https://cashless.test.example/privacy',
    })));
    await fx.seeder.seed([], [{
      serviceClientId: 'demo-cashless', code: STATISTICS, titleJa: STATISTICS, titleEn: STATISTICS, purposeCode: 'grant-spec-statistics', purposeCategory: 'ResearchAndDevelopment',
      purposeJa: 'p', purposeEn: 'p', items: [STEPS], retentionDays: '30', consentValidDays: '365', controllerType: 'public', controllerNameJa: 'c', controllerNameEn: 'c',
      controllerContact: 'c@example.jp', privacyNoticeUrl: 'https://cashless.test.example/privacy',
      kind: 'statistics', statisticsAggregate: 'mean', statisticsGroupBy: ['municipality', 'month'], statisticsFrom: '2026-01', statisticsTo: '2026-12', statisticsK: '10',
    }]);
    await db.query(`UPDATE data_uses SET status = 'retired' WHERE code = $1`, [RETIRED]);
    jwks = await publicJwks(fx.keys);

    const signing = await generateKeyPair('ES256', { extractable: true });
    const encryption = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
    providerKey = encryption.privateKey;
    const connector = async (clientId: string, name: string, encryptionJwk: unknown): Promise<string> => (await db.query(
      `INSERT INTO connectors (tenant_id, service_id, name, public_jwk, encryption_jwk, status, status_changed_at, base_url)
       SELECT s.tenant_id, s.id, $2, $3, $4, 'approved', now(), 'http://127.0.0.1:1' FROM services s WHERE s.client_id = $1 RETURNING id`,
      [clientId, name, JSON.stringify(await exportJWK(signing.publicKey)), JSON.stringify(encryptionJwk)]))[0].id;
    repo = new ConnectRepository(db);
    consumer = (await repo.findConnector(await connector('demo-cashless', 'cashless', await exportJWK(encryption.publicKey))))!;
    provider = (await repo.findConnector(await connector('demo-misasa-health', 'misasa-health', await exportJWK(encryption.publicKey))))!;
    // The seed had every providing tenant approve the data uses (agreements), as the screens would.

    const auditRepo = new AuditRepository(db);
    const checkpoints = { afterAppend: () => undefined } as unknown as AuditCheckpointsService;
    audit = new AuditService(auditRepo, checkpoints);
    grants = new GrantsService(db, repo, new GrantRecordsRepository(db), fx.service, fx.agreements, new HubSigningKeyService(fx.keys), audit);
  });
  afterAll(() => db?.destroy());

  describe('issuing', () => {
    it('issues a grant for a consented, permitted, linked request, encrypted to the provider and recorded with its audit row', async () => {
      const r = await resident();
      const { consent } = await fx.service.give(r.id, { dataUse: HEALTH_POINTS }, 'portal-api');
      const before = Date.now();
      const res = await grants.issue(consumer, TEST_ISSUER, request(r.localId));
      expect(res).toMatchObject({ tokenType: 'DPoP', reusable: true, provider: { connectorId: provider.id, url: 'http://127.0.0.1:1' } });
      // The consumer cannot read the encrypted grant: the answer names its consent version beside it.
      expect(res).toMatchObject({ consentId: consent.consentId, consentVersion: 1 });

      const claims = await openGrant(res.grant, {
        hubKeys: async ({ kid }) => jwks.keys.find((k) => k.kid === kid), decryptionKey: providerKey, issuer: TEST_ISSUER, audience: provider.id,
      });
      expect(claims).toMatchObject({
        iss: TEST_ISSUER, aud: provider.id, sub: `MH-${next - 1}`, azp: consumer.id, consumer_service: 'demo-cashless', data_use: HEALTH_POINTS,
        purpose: 'health-points', items: [STEPS, VISITS], consent_id: consent.consentId, consent_version: 1, jti: res.grantId, reusable: true,
      });
      expect(claims.exp - claims.iat).toBe(GRANT_LIFETIME_SECONDS);
      expect(res.expiresAt).toBe(new Date(claims.exp * 1000).toISOString());

      const records = await db.query(`SELECT * FROM grant_records WHERE grant_id = $1`, [res.grantId]);
      expect(records).toEqual([{
        grant_id: res.grantId, consent_id: consent.consentId, consent_version: 1, consumer_connector_id: consumer.id, provider_connector_id: provider.id,
        resident_id: r.id, items: [STEPS, VISITS], data_use: HEALTH_POINTS, purpose: 'health-points',
        issued_at: new Date(claims.iat * 1000), expires_at: new Date(claims.exp * 1000),
      }]);
      expect(records[0].issued_at.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      const issued = await db.query(`SELECT actor_id, outcome, details FROM audit_events WHERE type = 'grant.issued' AND subject = $1`, [res.grantId]);
      expect(issued).toEqual([expect.objectContaining({ actor_id: consumer.id, outcome: 'success', details: expect.objectContaining({ consentId: consent.consentId, residentId: r.id }) })]);
      // The provider is an audience of the consent: a withdrawal is pushed to it.
      expect(await count(`SELECT 1 FROM grant_audiences WHERE consent_id = $1 AND connector_id = $2 AND expires_at > now()`, [consent.consentId, provider.id])).toBe(1);
    });

    it('issues a grant no other connector can open: another audience gets grant_wrong_audience', async () => {
      const r = await resident();
      await fx.service.give(r.id, { dataUse: HEALTH_POINTS }, 'portal-api');
      const res = await grants.issue(consumer, TEST_ISSUER, request(r.localId, { items: [STEPS] }));
      await expect(openGrant(res.grant, {
        hubKeys: async ({ kid }) => jwks.keys.find((k) => k.kid === kid), decryptionKey: providerKey, issuer: TEST_ISSUER, audience: consumer.id,
      })).rejects.toMatchObject({ code: 'grant_wrong_audience' });
    });

    it('writes the grant record and its audit row in one transaction: a failed audit append leaves neither', async () => {
      const r = await resident();
      await fx.service.give(r.id, { dataUse: HEALTH_POINTS }, 'portal-api');
      const failing = Object.create(audit) as AuditService;
      let jti = '';
      failing.record = async (event, tx) => {
        const row = await audit.record(event, tx);
        if (event.type !== 'grant.issued') return row;
        jti = event.subject!;
        // The record is written in this very transaction (the pool would not see it, nor may it be asked).
        expect(await tx!.query(`SELECT 1 FROM grant_records WHERE grant_id = $1`, [jti])).toHaveLength(1);
        throw new Error('audit store failed');
      };
      const broken = new GrantsService(db, repo, new GrantRecordsRepository(db), fx.service, fx.agreements, new HubSigningKeyService(fx.keys), failing);
      await expect(broken.issue(consumer, TEST_ISSUER, request(r.localId))).rejects.toThrow('audit store failed');
      expect(jti).not.toBe('');
      expect(await count(`SELECT 1 FROM grant_records WHERE grant_id = $1`, [jti])).toBe(0);
      expect(await count(`SELECT 1 FROM audit_events WHERE subject = $1`, [jti])).toBe(0);
    });
  });

  describe('the resident', () => {
    it('refuses a local ID not linked at the consuming service (resident_not_linked)', async () => {
      await expectRefused(request('C-nobody'), 'resident_not_linked', 'no link at the consuming service');
    });

    it('refuses a resident not linked at the providing service (resident_not_linked)', async () => {
      const r = await resident({ atProvider: false });
      await fx.service.give(r.id, { dataUse: HEALTH_POINTS }, 'portal-api');
      await expectRefused(request(r.localId), 'resident_not_linked', 'no link at the providing service');
    });
  });

  describe('the data use, its items and the API permissions', () => {
    it('says that an unknown data use does not exist (data_use_not_found)', async () => {
      const r = await resident();
      await expectRefused(request(r.localId, { dataUse: 'cashless.no-such-use' }), 'data_use_not_found', 'no such data use');
    });

    it('says that a retired data use does not exist (data_use_not_found)', async () => {
      const r = await resident();
      await expectRefused(request(r.localId, { dataUse: RETIRED, items: [STEPS], purpose: 'grant-spec-retired' }), 'data_use_not_found', 'data use retired');
    });

    it('refuses another service\'s data use (permission_denied)', async () => {
      const r = await resident();
      await expectRefused(request(r.localId, { dataUse: 'misasa-health.onsen-spending', items: ['cashless.monthly-spending'], purpose: 'onsen-spending-display' }),
        'permission_denied', 'data use of another service');
    });

    it('never grants an exchange under a statistics data use, even to a consenting resident (permission_denied)', async () => {
      const r = await resident();
      expect((await fx.service.give(r.id, { dataUse: STATISTICS }, 'portal-api')).consent.state).toBe('active');
      await expectRefused(request(r.localId, { dataUse: STATISTICS, items: [STEPS], purpose: 'grant-spec-statistics' }), 'permission_denied', 'a statistics data use receives aggregates only');
    });

    it('refuses a purpose other than the data use\'s (purpose_mismatch)', async () => {
      const r = await resident();
      await fx.service.give(r.id, { dataUse: HEALTH_POINTS }, 'portal-api');
      await expectRefused(request(r.localId, { purpose: 'marketing' }), 'purpose_mismatch', 'purpose differs from the data use\'s');
    });

    it('refuses items outside the data use, naming them (invalid_request)', async () => {
      const r = await resident();
      await expectRefused(request(r.localId, { items: [STEPS, 'cashless.points-balance'] }), 'invalid_request', 'items outside the data use',
        [{ field: 'items', problem: 'not items of the data use: cashless.points-balance' }]);
    });

    it('refuses items of more than one providing service (invalid_request)', async () => {
      const r = await resident();
      await expectRefused(request(r.localId, { dataUse: TWO_PROVIDERS, items: [STEPS, 'cashless.points-balance'], purpose: 'grant-spec-two-providers' }),
        'invalid_request', 'items not offered by exactly one provider service', [{ field: 'items', problem: 'must be active offers of one providing service' }]);
    });

    it('refuses an item whose offer was withdrawn from the catalog (invalid_request)', async () => {
      const r = await resident();
      await fx.service.give(r.id, { dataUse: HEALTH_POINTS }, 'portal-api');
      await withSql(`UPDATE data_offers SET status = 'withdrawn' WHERE code = $1`, `UPDATE data_offers SET status = 'active' WHERE code = $1`, [VISITS],
        () => expectRefused(request(r.localId), 'invalid_request', 'items not offered by exactly one provider service'));
    });

    it('refuses items no approved agreement of the providing tenant covers (permission_denied), and holds again once resumed', async () => {
      const r = await resident();
      await fx.service.give(r.id, { dataUse: HEALTH_POINTS }, 'portal-api');
      const useId = fx.useId(HEALTH_POINTS);
      for (const state of ['suspended', 'pending', 'retired', 'rejected']) {
        await withSql(`UPDATE data_agreements SET state = '${state}' WHERE data_use_id = $1`, `UPDATE data_agreements SET state = 'approved' WHERE data_use_id = $1`, [useId],
          () => expectRefused(request(r.localId), 'permission_denied', 'no approved agreement of the providing tenant covers the items'));
      }
      // Approved for one item only: that item alone is granted, both together are not.
      await withSql(`UPDATE data_agreements SET items = ARRAY['${STEPS}'] WHERE data_use_id = $1`, `UPDATE data_agreements SET items = requested_items WHERE data_use_id = $1`, [useId], async () => {
        await expectRefused(request(r.localId), 'permission_denied', 'no approved agreement of the providing tenant covers the items');
        expect((await grants.issue(consumer, TEST_ISSUER, request(r.localId, { items: [STEPS] }))).grantId).toBeTruthy();
      });
      expect((await grants.issue(consumer, TEST_ISSUER, request(r.localId))).grantId).toBeTruthy();
    });
  });

  describe('the consent', () => {
    it('refuses a resident who never consented (consent_required)', async () => {
      const r = await resident();
      await expectRefused(request(r.localId), 'consent_required', 'no consent');
    });

    it('refuses a withdrawn consent (consent_withdrawn)', async () => {
      const r = await resident();
      const { consent } = await fx.service.give(r.id, { dataUse: HEALTH_POINTS }, 'portal-api');
      await fx.service.withdraw(r.id, consent.consentId, {}, 'portal-api');
      await expectRefused(request(r.localId), 'consent_withdrawn', 'consent withdrawn');
    });

    it('refuses a consent past its validity, before and after the expiry sweep (consent_required)', async () => {
      const r = await resident();
      // Given 400 days ago, valid for 365: over since 35 days.
      clock.advanceDays(-400);
      try {
        await fx.service.give(r.id, { dataUse: HEALTH_POINTS }, 'portal-api');
      } finally {
        clock.advanceDays(400);
      }
      await expectRefused(request(r.localId), 'consent_required', 'consent not valid now');
      expect(await fx.service.expireDue()).toBe(1);
      await expectRefused(request(r.localId), 'consent_required', 'consent expired');
    });

    it('refuses items beyond what the resident consented to (items_not_consented)', async () => {
      const r = await resident();
      await fx.service.give(r.id, { dataUse: HEALTH_POINTS, items: [STEPS] }, 'portal-api');
      await expectRefused(request(r.localId), 'items_not_consented', 'items beyond the consent');
      expect((await grants.issue(consumer, TEST_ISSUER, request(r.localId, { items: [STEPS] }))).grantId).toBeTruthy();
    });

    it('grants what a narrowed consent allows when asked for consentedOnly, and says which items in the answer and the record', async () => {
      const r = await resident();
      const { consent } = await fx.service.give(r.id, { dataUse: HEALTH_POINTS, items: [VISITS] }, 'portal-api');
      const res = await grants.issue(consumer, TEST_ISSUER, request(r.localId, { consentedOnly: true }));
      expect(res.items).toEqual([VISITS]);
      const claims = await openGrant(res.grant, {
        hubKeys: async ({ kid }) => jwks.keys.find((k) => k.kid === kid), decryptionKey: providerKey, issuer: TEST_ISSUER, audience: provider.id,
      });
      expect(claims).toMatchObject({ items: [VISITS], consent_id: consent.consentId });
      expect((await db.query(`SELECT items FROM grant_records WHERE grant_id = $1`, [res.grantId]))[0].items).toEqual([VISITS]);
      const issued = await db.query(`SELECT details FROM audit_events WHERE type = 'grant.issued' AND subject = $1`, [res.grantId]);
      expect(issued[0].details).toMatchObject({ items: [VISITS], requestedItems: [STEPS, VISITS] });
      // A full consent: everything asked for, as without the flag.
      const full = await resident();
      await fx.service.give(full.id, { dataUse: HEALTH_POINTS }, 'portal-api');
      expect((await grants.issue(consumer, TEST_ISSUER, request(full.localId, { consentedOnly: true }))).items).toEqual([STEPS, VISITS]);
      expect((await grants.issue(consumer, TEST_ISSUER, request(full.localId))).items).toEqual([STEPS, VISITS]);
    });

    it('refuses consentedOnly when the consent covers none of the items asked for (items_not_consented), and never widens the request', async () => {
      const r = await resident();
      await fx.service.give(r.id, { dataUse: HEALTH_POINTS, items: [STEPS] }, 'portal-api');
      await expectRefused(request(r.localId, { items: [VISITS], consentedOnly: true }), 'items_not_consented', 'the consent covers none of the items');
      await expectRefused(request(r.localId, { consentedOnly: false }), 'items_not_consented', 'items beyond the consent');
      expect((await grants.issue(consumer, TEST_ISSUER, request(r.localId, { items: [STEPS], consentedOnly: true }))).items).toEqual([STEPS]);
    });

    it('still refuses consentedOnly without consent, after a withdrawal, and with items outside the data use', async () => {
      const r = await resident();
      await expectRefused(request(r.localId, { consentedOnly: true }), 'consent_required', 'no consent');
      const { consent } = await fx.service.give(r.id, { dataUse: HEALTH_POINTS, items: [STEPS] }, 'portal-api');
      await expectRefused(request(r.localId, { items: [STEPS, 'cashless.points-balance'], consentedOnly: true }), 'invalid_request', 'items outside the data use');
      await fx.service.withdraw(r.id, consent.consentId, {}, 'portal-api');
      await expectRefused(request(r.localId, { consentedOnly: true }), 'consent_withdrawn', 'consent withdrawn');
    });

    it('refuses a consent given to older terms of the data use, before and after the sweep pauses it (consent_paused)', async () => {
      const r = await resident();
      await fx.service.give(r.id, { dataUse: TERMS }, 'portal-api');
      const terms = request(r.localId, { dataUse: TERMS, items: [STEPS], purpose: 'grant-spec-terms' });
      expect((await grants.issue(consumer, TEST_ISSUER, terms)).grantId).toBeTruthy();
      // New terms, committed on another replica that has not paused this consent yet.
      await db.query(`UPDATE data_uses SET revision = revision + 1, consent_revision = revision + 1 WHERE code = $1`, [TERMS]);
      await expectRefused(terms, 'consent_paused', 'consent given to older terms');
      fx.catalog.invalidate();
      expect(await fx.service.pauseOutdated((await db.query(`SELECT id FROM data_uses WHERE code = $1`, [TERMS]))[0].id)).toBe(1);
      await expectRefused(terms, 'consent_paused', 'consent paused');
    });

    it('serves a consent to a data use that needs a verified identity only while the resident is verified (consent_paused otherwise)', async () => {
      const r = await resident();
      await fx.service.give(r.id, { dataUse: HEALTH_POINTS }, 'portal-api');
      expect((await grants.issue(consumer, TEST_ISSUER, request(r.localId))).grantId).toBeTruthy();
      // A consent given by a resident who is not verified (before the opt-in rule, or a verification cleared by hand).
      await db.query(`UPDATE residents SET identity_verified_at = NULL WHERE id = $1`, [r.id]);
      await expectRefused(request(r.localId), 'consent_paused', 'identity not verified');
      await db.query(`UPDATE residents SET identity_verified_at = now() WHERE id = $1`, [r.id]);
      expect((await grants.issue(consumer, TEST_ISSUER, request(r.localId))).grantId).toBeTruthy();
    });

    it('decides again on the new version when the consent changes while the grant is being decided, and the provider hears of it', async () => {
      const r = await resident();
      const { consent } = await fx.service.give(r.id, { dataUse: HEALTH_POINTS }, 'portal-api');
      const record = repo.recordGrantAudiences.bind(repo);
      const spy = jest.spyOn(repo, 'recordGrantAudiences').mockImplementationOnce(async (...args) => {
        await record(...args);
        await fx.service.withdraw(r.id, consent.consentId, {}, 'portal-api'); // commits between the audience and the re-read
      });
      try {
        await expectRefused(request(r.localId), 'consent_withdrawn', 'consent withdrawn');
      } finally {
        spy.mockRestore();
      }
      // The withdrawal found the audience written before the re-read: it is pushed to the provider.
      expect(await count(`SELECT 1 FROM grant_audiences WHERE consent_id = $1 AND connector_id = $2`, [consent.consentId, provider.id])).toBe(1);
    });

    it('gives up when the consent changes again while the grant is decided a second time (consent_required)', async () => {
      const r = await resident();
      await fx.service.give(r.id, { dataUse: HEALTH_POINTS }, 'portal-api');
      const record = repo.recordGrantAudiences.bind(repo);
      let changes = 0;
      const spy = jest.spyOn(repo, 'recordGrantAudiences').mockImplementation(async (...args) => {
        await record(...args);
        // Each time, the resident changes the items (a new active version, still covering the request).
        await fx.service.give(r.id, { dataUse: HEALTH_POINTS, items: changes++ % 2 ? [STEPS, VISITS] : [STEPS] }, 'portal-api');
      });
      try {
        await expectRefused(request(r.localId, { items: [STEPS] }), 'consent_required', 'consent changed twice while the grant was being decided');
      } finally {
        spy.mockRestore();
      }
      expect(changes).toBe(2);
    });
  });

  describe('racing the provider\'s suspension of the agreement', () => {
    const misasaAdmin = { kind: 'system', name: 'spec' } as const;
    let misasaTenant: string;
    let agreementId: string;
    beforeAll(async () => {
      misasaTenant = (await db.query(`SELECT id FROM tenants WHERE code = 'misasa'`))[0].id;
      agreementId = (await db.query(`SELECT id FROM data_agreements WHERE data_use_id = $1`, [fx.useId(HEALTH_POINTS)]))[0].id;
    });
    afterEach(async () => {
      if ((await fx.agreements.find(misasaTenant, agreementId))!.agreement.state === 'suspended') await fx.changes.decideAgreement(misasaAdmin, misasaTenant, agreementId, 'resume');
    });

    it('refuses a grant when the suspension commits while it is being decided', async () => {
      const r = await resident();
      await fx.service.give(r.id, { dataUse: HEALTH_POINTS }, 'portal-api');
      const record = repo.recordGrantAudiences.bind(repo);
      const spy = jest.spyOn(repo, 'recordGrantAudiences').mockImplementationOnce(async (...args) => {
        await record(...args);
        await fx.changes.decideAgreement(misasaAdmin, misasaTenant, agreementId, 'suspend', 'spec');
      });
      try {
        await expect(grants.issue(consumer, TEST_ISSUER, request(r.localId))).rejects.toMatchObject({ code: expect.stringMatching(/^(permission_denied|consent_paused)$/) });
      } finally {
        spy.mockRestore();
      }
    });

    it('lets a suspension wait for a grant being recorded, then pauses its consent and pushes to the grant\'s provider', async () => {
      const r = await resident();
      const { consent } = await fx.service.give(r.id, { dataUse: HEALTH_POINTS }, 'portal-api');
      let suspension: Promise<unknown> | undefined;
      let suspendedEarly = false;
      // The admin's request comes from elsewhere, not from inside the grant's transaction (bound to the test's own context).
      const elsewhere = AsyncResource.bind((run: () => Promise<unknown>) => run());
      const records = (grants as unknown as { records: GrantRecordsRepository }).records;
      const insert = records.insert.bind(records);
      const spy = jest.spyOn(records, 'insert').mockImplementationOnce(async (tx, g) => {
        await insert(tx, g);
        // Inside the grant's transaction, after the share-locked re-read: the suspension must wait for this commit.
        suspension = elsewhere(() => fx.changes.decideAgreement(misasaAdmin, misasaTenant, agreementId, 'suspend', 'spec')).then(() => (suspendedEarly = true));
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(suspendedEarly).toBe(false);
      });
      let issued: { grantId: string };
      try {
        issued = await grants.issue(consumer, TEST_ISSUER, request(r.localId));
      } finally {
        spy.mockRestore();
      }
      await suspension;
      expect(issued.grantId).toBeTruthy();
      // The grant committed first: the suspension then paused the consent, and the pause's outbox row reaches the provider the grant named.
      const [paused] = await db.query(`SELECT id, state, reason FROM consents WHERE consent_id = $1 AND superseded_at IS NULL`, [consent.consentId]);
      expect(paused).toMatchObject({ state: 'paused', reason: 'agreement_suspended' });
      expect(await count(`SELECT 1 FROM consent_change_outbox WHERE consent_version_id = $1`, [paused.id])).toBe(1);
      expect(await count(`SELECT 1 FROM grant_audiences WHERE consent_id = $1 AND connector_id = $2`, [consent.consentId, provider.id])).toBe(1);
    });

    it('never issues a grant the suspension does not reach, under real concurrency', async () => {
      for (let round = 0; round < 8; round++) {
        const r = await resident();
        const { consent } = await fx.service.give(r.id, { dataUse: HEALTH_POINTS }, 'portal-api');
        const attempts = Array.from({ length: 6 }, (_, i) => new Promise((resolve) => setTimeout(resolve, i * 3))
          .then(() => grants.issue(consumer, TEST_ISSUER, request(r.localId))).then((g) => g.grantId, (e: { code?: string }) => e.code ?? String(e)));
        const [outcomes] = await Promise.all([Promise.all(attempts), new Promise((resolve) => setTimeout(resolve, round * 2))
          .then(() => fx.changes.decideAgreement(misasaAdmin, misasaTenant, agreementId, 'suspend', `round ${round}`))]);
        for (const outcome of outcomes) {
          if (typeof outcome === 'string' && /^(permission_denied|consent_paused|consent_required)$/.test(outcome)) continue;
          // Issued: its consent was paused after it (an outbox row) and the provider is an audience of that consent.
          const [record] = await db.query(`SELECT consent_id, consent_version FROM grant_records WHERE grant_id = $1`, [outcome]);
          expect(record).toMatchObject({ consent_id: consent.consentId });
          expect(await count(`SELECT 1 FROM consent_change_outbox WHERE consent_id = $1 AND version > $2 AND state = 'paused'`, [consent.consentId, record.consent_version])).toBe(1);
          expect(await count(`SELECT 1 FROM grant_audiences WHERE consent_id = $1 AND connector_id = $2`, [consent.consentId, provider.id])).toBe(1);
        }
        // After the suspension, nothing is granted.
        await expect(grants.issue(consumer, TEST_ISSUER, request(r.localId))).rejects.toMatchObject({ code: expect.stringMatching(/^(permission_denied|consent_paused)$/) });
        await fx.changes.decideAgreement(misasaAdmin, misasaTenant, agreementId, 'resume');
      }
    });
  });

  describe('the providing connector', () => {
    for (const [label, change, undo] of [
      ['suspended', `UPDATE connectors SET status = 'suspended' WHERE id = $1`, `UPDATE connectors SET status = 'approved' WHERE id = $1`],
      ['pending', `UPDATE connectors SET status = 'pending' WHERE id = $1`, `UPDATE connectors SET status = 'approved' WHERE id = $1`],
      ['approved but without an encryption key', `UPDATE connectors SET encryption_jwk = NULL WHERE id = $1`,
        `UPDATE connectors SET encryption_jwk = (SELECT encryption_jwk FROM connectors WHERE name = 'cashless') WHERE id = $1`],
    ]) {
      it(`refuses when the providing service's only connector is ${label} (provider_unavailable)`, async () => {
        const r = await resident();
        await fx.service.give(r.id, { dataUse: HEALTH_POINTS }, 'portal-api');
        await withSql(change, undo, [provider.id],
          () => expectRefused(request(r.localId), 'provider_unavailable', 'no approved connector at the providing service'));
        expect((await grants.issue(consumer, TEST_ISSUER, request(r.localId))).provider.connectorId).toBe(provider.id);
      });
    }
  });
});
