import { generateKeyPair, SignJWT } from 'jose';
import type { DataSource } from 'typeorm';
import { type Clock, systemClock } from '@tsunagu/common';
import { verifyErasureCertificate, verifyReceiptChain, verifyTenantArchive } from '@tsunagu/contracts';
import { openTestDataSource } from '@tsunagu/testing';
import { consentFixture, publicJwks, TEST_ISSUER } from '../../consent/testing/consent-fixtures';
import { ConnectRepository } from '../../exchange/connect.repository';
import { ConnectorsRepository } from '../../exchange/connectors/connectors.repository';
import type { RevocationSignals } from '../../exchange/enforcement/revocation-signals';
import { EnforcementRepository } from '../../exchange/enforcement/enforcement.repository';
import { WithdrawalEnforcementService } from '../../exchange/enforcement/withdrawal-enforcement.service';
import { acknowledgementWait, insertConnector, listeningSignals } from '../../exchange/testing/exchange-fixtures';
import type { ResidentAccessService } from '../../identity/oidc/resident-access.service';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import type { HubConfig } from '../../platform/config/hub.config';
import { DepartureRepository } from '../departure/departure.repository';
import { TenantExitException } from './tenant-exit.exception';
import { TenantExitRepository } from './tenant-exit.repository';
import { TenantExitService } from './tenant-exit.service';
import { sharingResident } from '../testing/sharing-resident';

/**
 * A tenant leaving against the real PostgreSQL (docs/erasure.md "Tenants leaving"): the signed
 * archive with its handover record, the deletion's one transaction (consents withdrawn with
 * receipts, agreements retired, offers and data uses withdrawn, services, admins and connectors
 * disabled, one erasure request per connector that holds copies), the refusals, and the
 * certificate naming every medium.
 */
describe(TenantExitService.name, () => {
  let db: DataSource;
  let fx: Awaited<ReturnType<typeof consentFixture>>;
  let signals: RevocationSignals;
  let connect: ConnectRepository;
  const ids: Record<string, string> = {};
  // The system clock, moved on by `ahead` ms when a test needs the wait for acknowledgements to be over.
  let ahead = 0;
  const clock = { now: () => new Date(systemClock.now().getTime() + ahead) } as Clock & { now: () => Date };
  const access = { revoked: [] as [string, string][], revoke: async (resident: string, client: string) => { access.revoked.push([resident, client]); return { grants: 1 }; } };
  const config = { ERASURE_ACK_WAIT_SECONDS: 60, AUDIT_RETENTION_DAYS: 400 } as Pick<HubConfig, 'ERASURE_ACK_WAIT_SECONDS' | 'AUDIT_RETENTION_DAYS'>;
  let system: AdminPrincipal;
  let tenantAdmin: AdminPrincipal;

  const enforcement = () => new WithdrawalEnforcementService(new EnforcementRepository(db), acknowledgementWait(signals, clock, { waitMs: 100, stalenessSeconds: 6 }), fx.signer);

  function service(): TenantExitService {
    return new TenantExitService(
      db, new TenantExitRepository(db), new DepartureRepository(db), new ConnectorsRepository(db), fx.service, fx.catalog, signals, enforcement(),
      access as unknown as ResidentAccessService, fx.signer, fx.audit, clock, config,
    );
  }

  const sharing = (): Promise<string> => sharingResident(db, fx.service, { cashless: ids.cashlessService, misasa: ids.misasaService }, '三朝 花子');

  /** The connector's signed acknowledgement of the tenant's erasure request, stored as the dispatcher stores it. */
  async function acknowledge(exitId: string, connectorId: string, erased: { item: string; count: number }[]): Promise<void> {
    const [row] = await db.query(`SELECT seq::text AS seq FROM erasure_request_outbox WHERE tenant_exit_id = $1 AND connector_id = $2`, [exitId, connectorId]);
    const { privateKey } = await generateKeyPair('ES256');
    const ack = await new SignJWT({ ack: 'x', applied: { erasure_id: exitId, erased, method: { ja: '削除', en: 'Deleted' } } }).setProtectedHeader({ alg: 'ES256' }).sign(privateKey);
    await db.query(`INSERT INTO revocation_deliveries (outbox_seq, connector_id, event_jti, role, kind) VALUES ($1::bigint, $2, gen_random_uuid(), 'consumer', 'erasure') ON CONFLICT DO NOTHING`, [row.seq, connectorId]);
    await connect.recordAck(row.seq, connectorId, ack);
  }

  beforeAll(async () => {
    db = await openTestDataSource([], 'tenant_exit');
    fx = await consentFixture(db, { residents: 0, clock });
    connect = new ConnectRepository(db);
    const services: { id: string; client_id: string; tenant_id: string }[] = await db.query(`SELECT id, client_id, tenant_id FROM services`);
    const svc = (clientId: string) => services.find((s) => s.client_id === clientId)!;
    ids.cashlessService = svc('demo-cashless').id;
    ids.misasaService = svc('demo-misasa-health').id;
    ids.misasaTenant = svc('demo-misasa-health').tenant_id;
    ids.cashless = await insertConnector(db, svc('demo-cashless').tenant_id, { service: ids.cashlessService, name: 'cashless' });
    ids.misasa = await insertConnector(db, ids.misasaTenant, { service: ids.misasaService, name: 'misasa-health' });
    const [sys] = await db.query(`INSERT INTO admin_accounts (login_id, display_name, password_hash, totp_secret_enc) VALUES ('sys-exit', 'System', 'x', 'x') RETURNING id`);
    const [local] = await db.query(
      `INSERT INTO admin_accounts (tenant_id, login_id, display_name, password_hash, totp_secret_enc) VALUES ($1, 'misasa-exit', '三朝 太郎', 'argon2', 'sealed') RETURNING id`, [ids.misasaTenant]);
    await db.query(`INSERT INTO admin_sessions (admin_id, expires_at) VALUES ($1, now() + interval '1 hour')`, [local.id]).catch(() => undefined);
    system = { sessionId: 's', adminId: sys.id, loginId: 'sys-exit', displayName: 'System', kind: 'system', csrf: 'c' } as AdminPrincipal;
    tenantAdmin = { sessionId: 't', adminId: local.id, loginId: 'misasa-exit', displayName: '三朝 太郎', kind: 'tenant', csrf: 'c' } as AdminPrincipal;
    signals = await listeningSignals(db);
  });

  afterAll(async () => {
    await signals?.onApplicationShutdown();
    await db?.destroy();
  });

  it('exports a signed archive with its handover record, naming residents only by the pairwise subject the service knows', async () => {
    const resident = await sharing();
    const doc = await service().export(system, ids.misasaTenant, { recipient: '三朝町 総務課', contractName: 'パーソナルデータ連携基盤利用契約' });
    const { archive, digest } = await verifyTenantArchive(doc.jws, await publicJwks(fx.keys), { issuer: TEST_ISSUER });
    expect(digest).toBe(doc.digest);
    expect(archive.handover).toMatchObject({ name: { ja: '三朝町' }, recipient: '三朝町 総務課', contractName: 'パーソナルデータ連携基盤利用契約', exportedBy: 'sys-exit' });
    const counts = Object.fromEntries(archive.handover.items.map((i) => [i.item, i.count]));
    expect(counts).toMatchObject({ tenant: 1, services: 1, connectors: 1, dataUses: 1, consents: 1 });
    expect(counts.offers).toBeGreaterThanOrEqual(1);
    expect(archive.consents[0].dataUse).toBe('misasa-health.onsen-spending');
    // Never the resident's ID, common ID, login or name; never a client secret.
    const text = JSON.stringify(archive);
    const [person] = await db.query(`SELECT common_id, login_id FROM residents WHERE id = $1`, [resident]);
    for (const secret of [resident, person.common_id, person.login_id, '三朝 花子']) expect(text).not.toContain(secret);
    expect(archive.consents[0].subject).toBe(await fx.signer.principal(resident, 'health.misasa'));
    expect(await db.query(`SELECT recipient, digest FROM tenant_exports WHERE tenant_id = $1`, [ids.misasaTenant])).toEqual([{ recipient: '三朝町 総務課', digest: doc.digest }]);
    expect(await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE type = 'tenant.exported' AND tenant_id = $1`, [ids.misasaTenant])).toEqual([{ n: 1 }]);
  });

  it('refuses bad input and tenant admins with typed codes, and writes nothing', async () => {
    const exits = service();
    await expect(exits.export(system, ids.misasaTenant, { recipient: ' ', contractName: '契約' })).rejects.toMatchObject({ code: 'tenant_export_invalid' });
    await expect(exits.export(system, ids.misasaTenant, { recipient: '<script>', contractName: '契約' })).rejects.toMatchObject({ code: 'tenant_export_invalid' });
    await expect(exits.export(tenantAdmin, ids.misasaTenant, { recipient: 'a', contractName: 'b' })).rejects.toMatchObject({ code: 'tenant_exit_forbidden' });
    await expect(exits.delete(tenantAdmin, ids.misasaTenant, { confirmName: '三朝町' })).rejects.toMatchObject({ code: 'tenant_exit_forbidden' });
    await expect(exits.status(system, 'not-a-uuid')).rejects.toMatchObject({ code: 'tenant_exit_not_found' });
    await expect(exits.delete(system, crypto.randomUUID(), { confirmName: 'x' })).rejects.toMatchObject({ code: 'tenant_exit_not_found' });
    await expect(exits.delete(system, ids.misasaTenant, { confirmName: '三朝' })).rejects.toBeInstanceOf(TenantExitException);
    const [kurayoshi] = await db.query(`SELECT id, name_ja FROM tenants WHERE code = 'kurayoshi'`);
    // Never exported and no reason given: refused.
    await expect(exits.delete(system, kurayoshi.id, { confirmName: kurayoshi.name_ja })).rejects.toMatchObject({ code: 'tenant_export_required' });
    expect(await db.query(`SELECT count(*)::int AS n FROM tenant_exits`)).toEqual([{ n: 0 }]);
    expect(await db.query(`SELECT active, deleted_at FROM tenants WHERE id = $1`, [kurayoshi.id])).toEqual([{ active: true, deleted_at: null }]);
  });

  it('deletes in one transaction, once under concurrency, and certifies every medium when the connectors acknowledge', async () => {
    const resident = await sharing();
    const results = await Promise.allSettled([
      service().delete(system, ids.misasaTenant, { confirmName: '三朝町' }), service().delete(system, ids.misasaTenant, { confirmName: '三朝町' }),
    ]);
    expect(results.map((r) => r.status === 'fulfilled' ? 'deleted' : (r.reason as TenantExitException).code ?? String(r.reason)).sort()).toEqual(['deleted', 'tenant_already_deleted']);
    expect((results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason as TenantExitException).code).toBe('tenant_already_deleted');
    await expect(service().delete(system, ids.misasaTenant, { confirmName: '三朝町' })).rejects.toMatchObject({ code: 'tenant_already_deleted' });
    await expect(service().export(system, ids.misasaTenant, { recipient: 'a', contractName: 'b' })).rejects.toMatchObject({ code: 'tenant_already_deleted' });

    // Consents to its data use withdrawn with a receipt each, the reason stated; the residents' chains stay whole.
    const withdrawn = await db.query(`SELECT c.state, c.reason FROM consents c JOIN data_uses u ON u.id = c.data_use_id
      WHERE u.code = 'misasa-health.onsen-spending' AND c.superseded_at IS NULL`);
    expect(withdrawn.length).toBeGreaterThanOrEqual(2);
    for (const c of withdrawn) expect(c).toEqual({ state: 'withdrawn', reason: 'tenant_left' });
    const chain = await fx.service.receiptChain(resident);
    expect((await verifyReceiptChain(chain.map((r) => r.jws), await publicJwks(fx.keys), { issuer: TEST_ISSUER })).valid).toBe(true);
    // What the tenant held at the hub is disabled or gone.
    expect(await db.query(`SELECT active, deleted_at IS NOT NULL AS deleted FROM tenants WHERE id = $1`, [ids.misasaTenant])).toEqual([{ active: false, deleted: true }]);
    expect(await db.query(`SELECT active, deleted_at IS NOT NULL AS deleted, client_secret_enc FROM services WHERE tenant_id = $1`, [ids.misasaTenant]))
      .toEqual([{ active: false, deleted: true, client_secret_enc: null }]);
    expect(await db.query(`SELECT DISTINCT state FROM data_agreements WHERE consumer_tenant_id = $1 OR provider_tenant_id = $1`, [ids.misasaTenant])).toEqual([{ state: 'retired' }]);
    expect(await db.query(`SELECT DISTINCT status FROM data_offers WHERE tenant_id = $1`, [ids.misasaTenant])).toEqual([{ status: 'withdrawn' }]);
    expect(await db.query(`SELECT DISTINCT status FROM data_uses WHERE tenant_id = $1`, [ids.misasaTenant])).toEqual([{ status: 'retired' }]);
    expect(await db.query(`SELECT active, password_hash, display_name FROM admin_accounts WHERE tenant_id = $1`, [ids.misasaTenant]))
      .toEqual([{ active: false, password_hash: '!', display_name: '（削除済み）' }]);
    expect(await db.query(`SELECT count(*)::int AS n FROM service_links l JOIN services s ON s.id = l.service_id WHERE s.tenant_id = $1`, [ids.misasaTenant])).toEqual([{ n: 0 }]);
    expect(await db.query(`SELECT status FROM connectors WHERE id = $1`, [ids.misasa])).toEqual([{ status: 'revoked' }]);
    // One erasure request per connector holding copies: its own (revoked, still asked) and the cashless one.
    const [exit] = await db.query(`SELECT id, access_revoked_at FROM tenant_exits WHERE tenant_id = $1`, [ids.misasaTenant]);
    const requests = await db.query(`SELECT connector_id, roles, items, subject FROM erasure_request_outbox WHERE tenant_exit_id = $1 ORDER BY connector_id`, [exit.id]);
    expect(requests.map((r: { connector_id: string }) => r.connector_id).sort()).toEqual([ids.cashless, ids.misasa].sort());
    const byConnector = Object.fromEntries(requests.map((r: { connector_id: string; items: string[] }) => [r.connector_id, r.items]));
    expect(byConnector[ids.cashless]).toEqual(expect.arrayContaining(['misasa-health.daily-steps']));
    expect(byConnector[ids.misasa]).toEqual(expect.arrayContaining(['cashless.monthly-spending']));
    expect(requests.every((r: { subject: string | null }) => r.subject === null)).toBe(true);
    // After the commit: the residents' sign-in grants to its service revoked.
    expect(exit.access_revoked_at).not.toBeNull();
    expect(access.revoked).toContainEqual([resident, 'demo-misasa-health']);
    expect(await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE type = 'tenant.deleted' AND tenant_id = $1`, [ids.misasaTenant])).toEqual([{ n: 1 }]);

    // The certificate waits for the connectors, then names every medium with counts.
    const exits = service();
    await expect(exits.certificateOfTenant(system, ids.misasaTenant)).rejects.toMatchObject({ code: 'tenant_certificate_pending' });
    await acknowledge(exit.id, ids.cashless, [{ item: 'misasa-health.daily-steps', count: 3 }]);
    await exits.followUp(exit.id);
    await expect(exits.certificateOfTenant(system, ids.misasaTenant)).rejects.toMatchObject({ code: 'tenant_certificate_pending' });
    await acknowledge(exit.id, ids.misasa, [{ item: 'cashless.monthly-spending', count: 2 }]);
    await exits.followUp(exit.id);
    const doc = await exits.certificateOfTenant(system, ids.misasaTenant);
    const { certificate } = await verifyErasureCertificate(doc.jws, await publicJwks(fx.keys), { issuer: TEST_ISSUER });
    expect(certificate).toMatchObject({ reason: 'tenant_left', complete: true, pseudonym: ids.misasaTenant, tenant: { id: ids.misasaTenant, code: 'misasa', exportDigest: expect.any(String) } });
    const media = certificate.media.map((m) => [m.connectorId ?? 'hub', m.state]);
    expect(media).toEqual(expect.arrayContaining([['hub', 'erased'], [ids.cashless, 'erased'], [ids.misasa, 'erased']]));
    const cashless = certificate.media.find((m) => m.connectorId === ids.cashless)!;
    expect(cashless.items).toContainEqual(expect.objectContaining({ item: 'misasa-health.daily-steps', count: 3 }));
    expect(certificate.retained.length).toBeGreaterThan(0);
    expect((await exits.certificate(system, certificate.certificateId)).jws).toBe(doc.jws);
    await expect(exits.certificate(system, crypto.randomUUID())).rejects.toMatchObject({ code: 'tenant_certificate_not_found' });
    await expect(exits.certificate(tenantAdmin, certificate.certificateId)).rejects.toMatchObject({ code: 'tenant_exit_forbidden' });
    // Issued once: a repeated follow-up changes nothing.
    await exits.followUp(exit.id);
    expect((await exits.certificateOfTenant(system, ids.misasaTenant)).jws).toBe(doc.jws);
  });

  it('deletes a tenant never exported when a reason is given, and certifies it once the wait for acknowledgements is over', async () => {
    const [kurayoshi] = await db.query(`SELECT id, name_ja FROM tenants WHERE code = 'kurayoshi'`);
    const exits = service();
    await exits.delete(system, kurayoshi.id, { confirmName: kurayoshi.name_ja, noExportReason: '契約終了時に返還対象のデータがない' });
    const [exit] = await db.query(`SELECT id, no_export_reason FROM tenant_exits WHERE tenant_id = $1`, [kurayoshi.id]);
    expect(exit.no_export_reason).toBe('契約終了時に返還対象のデータがない');
    ahead = 61_000;
    await exits.followUp(exit.id);
    const { certificate } = await exits.certificateOfTenant(system, kurayoshi.id);
    expect(certificate).toMatchObject({ reason: 'tenant_left', tenant: { code: 'kurayoshi', noExportReason: '契約終了時に返還対象のデータがない' } });
  });
});
