import { generateKeyPair, SignJWT } from 'jose';
import type { DataSource } from 'typeorm';
import { type Clock, systemClock } from '@tsunagu/common';
import { ERASURE_CERTIFICATE_JWS_TYPE, verifyErasureCertificate, verifyReceiptChain } from '@tsunagu/contracts';
import { openTestDataSource } from '@tsunagu/testing';
import { consentFixture, publicJwks, TEST_ISSUER } from '../../consent/testing/consent-fixtures';
import { ConnectRepository } from '../../exchange/connect.repository';
import { EnforcementRepository } from '../../exchange/enforcement/enforcement.repository';
import type { RevocationSignals } from '../../exchange/enforcement/revocation-signals';
import { WithdrawalEnforcementService } from '../../exchange/enforcement/withdrawal-enforcement.service';
import { acknowledgementWait, insertConnector, listeningSignals } from '../../exchange/testing/exchange-fixtures';
import type { ResidentAccessService } from '../../identity/oidc/resident-access.service';
import type { HubConfig } from '../../platform/config/hub.config';
import { DepartureException } from './departure.exception';
import { DepartureRepository } from './departure.repository';
import { DepartureService } from './departure.service';
import { sharingResident } from '../testing/sharing-resident';

/**
 * Leaving against the real PostgreSQL: one transaction withdraws, unlinks, erases and queues the
 * erasure requests; a second departure is refused; the certificate is signed, verifies, names
 * every medium with counts, and a connector that never acknowledges is named pending.
 */
describe(DepartureService.name, () => {
  let db: DataSource;
  let fx: Awaited<ReturnType<typeof consentFixture>>;
  let signals: RevocationSignals;
  let connect: ConnectRepository;
  const ids: Record<string, string> = {};
  const clock = { now: () => systemClock.now() } as Clock & { now: () => Date };
  const access = { revoked: [] as string[], revokeAll: async (id: string) => { access.revoked.push(id); return { services: 1, grants: 2 }; }, endSessions: async () => 1 };
  const config = { ERASURE_ACK_WAIT_SECONDS: 60, AUDIT_RETENTION_DAYS: 400 } as Pick<HubConfig, 'ERASURE_ACK_WAIT_SECONDS' | 'AUDIT_RETENTION_DAYS'>;

  function service(): DepartureService {
    const enforcement = new WithdrawalEnforcementService(new EnforcementRepository(db), acknowledgementWait(signals, clock, { waitMs: 100, stalenessSeconds: 6 }), fx.signer);
    return new DepartureService(db, new DepartureRepository(db), fx.service, enforcement, signals, access as unknown as ResidentAccessService, fx.signer, fx.keys, fx.audit, clock, config);
  }

  const sharing = (): Promise<string> => sharingResident(db, fx.service, { cashless: ids.cashlessService, misasa: ids.misasaService });

  /** The connector's signed acknowledgement of its erasure request, stored as the dispatcher stores it. */
  async function acknowledge(departureId: string, connectorId: string, erased: { item: string; count: number }[]): Promise<void> {
    const [row] = await db.query(`SELECT seq::text AS seq FROM erasure_request_outbox WHERE departure_id = $1 AND connector_id = $2`, [departureId, connectorId]);
    const { privateKey } = await generateKeyPair('ES256');
    const ack = await new SignJWT({ ack: 'x', applied: { erasure_id: departureId, erased, method: { ja: '削除', en: 'Deleted' } } }).setProtectedHeader({ alg: 'ES256' }).sign(privateKey);
    await connect.recordAck(row.seq, connectorId, ack);
  }

  beforeAll(async () => {
    db = await openTestDataSource([], 'departure');
    fx = await consentFixture(db, { residents: 0, clock });
    connect = new ConnectRepository(db);
    const services: { id: string; client_id: string; tenant_id: string }[] = await db.query(`SELECT id, client_id, tenant_id FROM services`);
    const svc = (clientId: string) => services.find((s) => s.client_id === clientId)!;
    ids.cashlessService = svc('demo-cashless').id;
    ids.misasaService = svc('demo-misasa-health').id;
    ids.cashless = await insertConnector(db, svc('demo-cashless').tenant_id, { service: ids.cashlessService, name: 'cashless' });
    ids.misasa = await insertConnector(db, svc('demo-misasa-health').tenant_id, { service: ids.misasaService, name: 'misasa-health' });
    signals = await listeningSignals(db);
  });

  afterAll(async () => {
    await signals?.onApplicationShutdown();
    await db?.destroy();
  });

  it('withdraws every consent with receipts, unlinks, erases the hub\'s records and queues one erasure request per connector, in one transaction', async () => {
    const resident = await sharing();
    const outcome = await service().leave(resident, 'yes');
    const consents = await db.query(`SELECT state, event FROM consents WHERE resident_id = $1 AND superseded_at IS NULL ORDER BY created_at`, [resident]);
    expect(consents).toEqual([{ state: 'withdrawn', event: 'withdrawn' }, { state: 'withdrawn', event: 'withdrawn' }]);
    expect(outcome.withdrawals).toHaveLength(2);
    // The receipts chain stays whole and verifiable without the person's name.
    const chain = await fx.service.receiptChain(resident);
    expect(chain).toHaveLength(4);
    expect((await verifyReceiptChain(chain.map((r) => r.jws), await publicJwks(fx.keys), { issuer: TEST_ISSUER })).valid).toBe(true);
    expect(await db.query(`SELECT count(*)::int AS n FROM service_links WHERE resident_id = $1`, [resident])).toEqual([{ n: 0 }]);
    expect(await db.query(`SELECT common_id, login_id, password_hash, display_name, departed_at IS NOT NULL AS departed FROM residents WHERE id = $1`, [resident]))
      .toEqual([{ common_id: null, login_id: null, password_hash: null, display_name: null, departed: true }]);
    const requests = await db.query(`SELECT connector_id, roles, subject IS NOT NULL AS subject, items FROM erasure_request_outbox e JOIN departures d ON d.id = e.departure_id
      WHERE d.resident_id = $1 ORDER BY roles`, [resident]);
    // Each demo both received (consumer) and served (provider) data about the resident.
    expect(requests.map((r: { connector_id: string; roles: string[]; subject: boolean }) => [r.connector_id, r.roles, r.subject]).sort())
      .toEqual([[ids.cashless, ['consumer', 'provider'], true], [ids.misasa, ['consumer', 'provider'], true]].sort());
    expect(outcome.status.connectors.map((c) => c.state)).toEqual(expect.arrayContaining(['sending']));
    expect(access.revoked).toContain(resident);
    const [audit] = await db.query(`SELECT type, subject FROM audit_events WHERE subject = $1 AND type = 'resident.departed'`, [resident]);
    expect(audit).toBeDefined();
  });

  it('erases the e-mail address, reset records and signed-in device records too, and counts them', async () => {
    const resident = await sharing();
    const [{ login_id: loginId }] = await db.query(`SELECT login_id FROM residents WHERE id = $1`, [resident]);
    await db.query(`INSERT INTO resident_emails (resident_id, address, verified_at) VALUES ($1, 'hanako@example.jp', now())`, [resident]);
    await db.query(`INSERT INTO email_verifications (resident_id, address, token_hash, expires_at) VALUES ($1, 'hanako@example.jp', 'v-hash', now() + interval '1 day')`, [resident]);
    await db.query(`INSERT INTO password_resets (resident_id, method, token_hash, expires_at) VALUES ($1, 'email', 'r-hash', now() + interval '30 minutes')`, [resident]);
    await db.query(`INSERT INTO card_reset_challenges (login_id, challenge, expires_at) VALUES ($1, 'c', now() + interval '5 minutes'), ('someone.else', 'c', now() + interval '5 minutes')`, [loginId]);
    await db.query(`INSERT INTO resident_session_devices (session_uid, resident_id, user_agent, client_ip) VALUES ('s-1', $1, 'Mozilla/5.0 (iPhone)', '192.0.2.1')`, [resident]);
    await service().leave(resident, 'yes');
    const left = await db.query(`SELECT (SELECT count(*)::int FROM resident_emails WHERE resident_id = $1) + (SELECT count(*)::int FROM email_verifications WHERE resident_id = $1)
      + (SELECT count(*)::int FROM password_resets WHERE resident_id = $1) + (SELECT count(*)::int FROM resident_session_devices WHERE resident_id = $1)
      + (SELECT count(*)::int FROM card_reset_challenges WHERE login_id = $2) AS n`, [resident, loginId]);
    expect(left).toEqual([{ n: 0 }]);
    expect(await db.query(`SELECT count(*)::int AS n FROM card_reset_challenges WHERE login_id = 'someone.else'`)).toEqual([{ n: 1 }]);
    const [{ hub_erased: erased }] = await db.query(`SELECT hub_erased FROM departures WHERE resident_id = $1`, [resident]);
    expect(erased).toMatchObject({ email_addresses: 1, password_resets: 2, session_devices: 1 });
  });

  it('refuses a second departure with a typed answer, sequential or concurrent, and leaves one departure', async () => {
    const resident = await sharing();
    const results = await Promise.allSettled([service().leave(resident, 'yes'), service().leave(resident, 'yes')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason;
    expect(refused).toBeInstanceOf(DepartureException);
    expect(refused.code).toBe('already_departed');
    await expect(service().leave(resident, 'yes')).rejects.toMatchObject({ code: 'already_departed' });
    expect(await db.query(`SELECT count(*)::int AS n FROM departures WHERE resident_id = $1`, [resident])).toEqual([{ n: 1 }]);
    expect(await db.query(`SELECT count(*)::int AS n FROM consents WHERE resident_id = $1 AND event = 'withdrawn'`, [resident])).toEqual([{ n: 2 }]);
  });

  it('refuses to leave without the confirmation of the irreversible step', async () => {
    const resident = await sharing();
    await expect(service().leave(resident, undefined)).rejects.toMatchObject({ code: 'departure_not_confirmed' });
    expect(await db.query(`SELECT departed_at FROM residents WHERE id = $1`, [resident])).toEqual([{ departed_at: null }]);
  });

  it('issues the certificate once every connector acknowledged: every medium with counts and dates, verifiable offline; an altered byte fails', async () => {
    const resident = await sharing();
    const { status } = await service().leave(resident, 'yes');
    await connect.dispatchPending(100);
    await expect(service().certificateByKey(status.departureId, status.certificateKey)).rejects.toMatchObject({ code: 'certificate_pending' });
    await acknowledge(status.departureId, ids.cashless, [{ item: 'misasa-health.daily-steps', count: 1 }, { item: 'grant-cache', count: 0 }]);
    await acknowledge(status.departureId, ids.misasa, [{ item: 'cashless.monthly-spending', count: 1 }, { item: 'grant-cache', count: 2 }]);
    await service().followUp(status.departureId);
    const doc = await service().certificateByKey(status.departureId, status.certificateKey);
    const keys = await publicJwks(fx.keys);
    const { certificate } = await verifyErasureCertificate(doc.jws, keys, { issuer: TEST_ISSUER });
    expect(certificate).toMatchObject({ complete: true, reason: 'departure', pseudonym: resident });
    expect(certificate.media.map((m) => [m.kind, m.state, m.connectorId ?? null]).sort()).toEqual([
      ['connector', 'erased', ids.cashless], ['connector', 'erased', ids.misasa], ['hub', 'erased', null]].sort());
    const hub = certificate.media.find((m) => m.kind === 'hub')!;
    expect(Object.fromEntries(hub.items.map((i) => [i.item, i.count]))).toMatchObject({ credentials: 1, display_name: 1, common_id: 1, links: 2, oidc_grants: 2, sessions: 1 });
    expect(certificate.media.find((m) => m.connectorId === ids.misasa)!.items).toEqual([
      { item: 'cashless.monthly-spending', name: { ja: '月ごとの利用金額', en: 'Monthly spending' }, count: 1 }, expect.objectContaining({ item: 'grant-cache', count: 2 })]);
    for (const m of certificate.media) expect(m.erasedAt).toEqual(expect.any(String));
    expect(certificate.retained.map((r) => r.item).sort()).toEqual(['audit_events', 'consent_receipts', 'consent_versions', 'provision_records']);
    expect(certificate.retained.every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.eraseBy))).toBe(true);
    // The tenant of a connector finds it by its number; another key does not open it.
    const [tenant] = await db.query(`SELECT tenant_id FROM connectors WHERE id = $1`, [ids.misasa]);
    expect((await service().certificateForTenant(tenant.tenant_id, certificate.certificateId)).jws).toBe(doc.jws);
    // A tenant none of whose connectors was asked to erase does not learn of the departure.
    const [stranger] = await db.query(`SELECT id FROM tenants WHERE code = 'kurayoshi'`);
    await expect(service().certificateForTenant(stranger.id, certificate.certificateId)).rejects.toMatchObject({ code: 'certificate_not_found' });
    await expect(service().certificateByKey(status.departureId, 'x'.repeat(43))).rejects.toMatchObject({ code: 'certificate_not_found' });
    // One altered byte of the payload: not verified.
    const [h, p, s] = doc.jws.split('.');
    const payload = Buffer.from(p, 'base64url');
    payload[payload.indexOf('"count":1') + 8] = '7'.charCodeAt(0);
    await expect(verifyErasureCertificate(`${h}.${payload.toString('base64url')}.${s}`, keys)).rejects.toMatchObject({ problem: 'signature' });
    await expect(verifyErasureCertificate(doc.jws, keys)).resolves.toBeDefined();
    expect(doc.jws.split('.')[0]).toBe(Buffer.from(JSON.stringify({ alg: 'ES256', typ: ERASURE_CERTIFICATE_JWS_TYPE, kid: JSON.parse(Buffer.from(h, 'base64url').toString()).kid })).toString('base64url'));
  });

  it('after the bound, issues the certificate naming the connector that never acknowledged as pending, with what follows', async () => {
    const resident = await sharing();
    const { status } = await service().leave(resident, 'yes');
    await connect.dispatchPending(100);
    await acknowledge(status.departureId, ids.cashless, [{ item: 'misasa-health.daily-steps', count: 1 }]);
    await service().followUp(status.departureId);
    expect((await service().statusOf(status.departureId)).certificateId).toBeNull();
    const later = Date.now() + (config.ERASURE_ACK_WAIT_SECONDS + 1) * 1000;
    clock.now = () => new Date(later);
    try {
      await service().followUp(status.departureId);
    } finally {
      clock.now = () => systemClock.now();
    }
    const { certificate } = await service().certificateByKey(status.departureId, status.certificateKey);
    expect(certificate.complete).toBe(false);
    const pending = certificate.media.find((m) => m.connectorId === ids.misasa)!;
    expect(pending).toMatchObject({ state: 'pending', erasedAt: null, followUp: { ja: expect.stringContaining('送信を続け') } });
    expect(pending.name.ja).toContain('misasa-health');
    // Still pending for the admin screens, and still being sent.
    const open = await service().pending();
    expect(open.some((p) => p.departure_id === status.departureId && p.connector_id === ids.misasa)).toBe(true);
  });
});
