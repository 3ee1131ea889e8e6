import * as argon2 from 'argon2';
import type { DataSource } from 'typeorm';
import type { JpkiVerificationRequest } from '@tsunagu/contracts';
import { openTestDataSource } from '@tsunagu/testing';
import { testAuditService } from '../../audit/audit-testing';
import type { Clock } from '@tsunagu/common';
import { loadHubConfig } from '../../platform/config/hub.config';
import type { Mailer, OutgoingMail } from '../../platform/mail/mail.service';
import { ThrottleService } from '../../platform/throttle/throttle.service';
import type { JpkiService } from '../jpki/jpki.service';
import type { ResidentsService } from '../residents/residents.service';
import type { ResidentSessionsService } from '../session/resident-sessions.service';
import { RecoveryRepository } from './recovery.repository';
import { RecoveryService } from './recovery.service';

const origin = { address: '192.0.2.50' };

/** A clock the test moves forward. */
class TestClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  advanceDays(days: number): void {
    this.current = new Date(this.current.getTime() + days * 86_400_000);
  }
}
const newPassword = { password: 'brand-new-password', passwordConfirm: 'brand-new-password' };

/** The token of the link in a mail. */
const tokenIn = (mail: OutgoingMail) => /token=([A-Za-z0-9_-]{43})/.exec(mail.text)![1];

/**
 * The reset and verification rules on the real PostgreSQL with the real migrations; the clock,
 * the mailer, the card check and the session store are stand-ins (the e2e test runs them for real).
 */
describe(RecoveryService.name, () => {
  let db: DataSource;
  let clock: TestClock;
  let service: RecoveryService;
  let taro: string;
  let hanako: string;
  const mails: OutgoingMail[] = [];
  const revoked: string[] = [];
  /** The card key the stand-in card check answers with. */
  let presentedCard = 'card-of-taro';

  beforeAll(async () => {
    db = await openTestDataSource([], 'recovery');
    clock = new TestClock(new Date());
    const config = { ...loadHubConfig({ NODE_ENV: 'test' }), RECOVERY_RESET_TTL_SECONDS: 1800, THROTTLE_RECOVERY_PER_ADDRESS_PER_HOUR: 1000, THROTTLE_RECOVERY_PER_ID_PER_HOUR: 1000 };
    const mailer: Mailer = { available: true, send: async (mail) => void mails.push(mail) };
    const jpki = { testCardEnabled: false, cardKeyOf: async () => presentedCard } as unknown as JpkiService;
    const sessions = { revokeEverything: async (id: string) => (revoked.push(id), { sessions: 2, grants: 3, logoutFailures: 0 }) } as unknown as ResidentSessionsService;
    service = new RecoveryService(config, new RecoveryRepository(db), {} as ResidentsService, jpki, sessions, new ThrottleService(config), testAuditService(db), mailer, clock);
    const hash = await argon2.hash('old-password-1234');
    [{ id: taro }] = await db.query(`INSERT INTO residents (common_id, login_id, password_hash, display_name) VALUES ('1000000000000001', 'taro', $1, 'Taro') RETURNING id`, [hash]);
    [{ id: hanako }] = await db.query(`INSERT INTO residents (common_id, login_id, password_hash, display_name) VALUES ('1000000000000002', 'hanako', $1, 'Hanako') RETURNING id`, [hash]);
    await db.query(`INSERT INTO identity_verifications (resident_id, method, card_key, certificate_not_after) VALUES ($1, 'jpki_signature', 'card-of-taro', now() + interval '1 year')`, [taro]);
    await db.query(`UPDATE residents SET identity_verified_at = now() WHERE id = $1`, [taro]);
  });
  afterAll(() => db?.destroy());

  async function resetLink(loginId: string, address: string): Promise<string> {
    const before = mails.length;
    await service.requestEmailReset(loginId, address, 'ja', origin);
    await service.settled();
    expect(mails.length).toBe(before + 1);
    return tokenIn(mails[mails.length - 1]);
  }

  const passwordOf = async (id: string) => (await db.query(`SELECT password_hash FROM residents WHERE id = $1`, [id]))[0].password_hash as string;

  it('refuses an e-mail verification link that is reused, expired or malformed', async () => {
    await service.requestEmailVerification(taro, 'taro@example.jp', 'ja', origin);
    const token = tokenIn(mails[mails.length - 1]);
    expect(mails[mails.length - 1].subject).toContain('メールアドレスの確認');
    await expect(service.confirmEmail(token)).resolves.toEqual({ residentId: taro });
    await expect(service.confirmEmail(token)).rejects.toMatchObject({ code: 'recovery_link_used' });
    await expect(service.confirmEmail('x'.repeat(42))).rejects.toMatchObject({ code: 'recovery_link_invalid' });
    await expect(service.confirmEmail('A'.repeat(43))).rejects.toMatchObject({ code: 'recovery_link_invalid' });
    expect(await service.emailStatus(taro)).toMatchObject({ available: true, address: 'taro@example.jp', verifiedAt: expect.any(Date) });

    await service.requestEmailVerification(hanako, 'hanako@example.jp', 'ja', origin);
    const late = tokenIn(mails[mails.length - 1]);
    clock.advanceDays(2);
    await expect(service.confirmEmail(late)).rejects.toMatchObject({ code: 'recovery_link_expired' });
    expect((await service.emailStatus(hanako)).address).toBeUndefined();
  });

  it('sends a reset link only for a verified pair, and answers every request alike', async () => {
    const before = mails.length;
    await expect(service.requestEmailReset('nobody', 'taro@example.jp', 'ja', origin)).resolves.toBeUndefined();
    await expect(service.requestEmailReset('taro', 'other@example.jp', 'ja', origin)).resolves.toBeUndefined();
    // hanako's address was never verified.
    await expect(service.requestEmailReset('hanako', 'hanako@example.jp', 'ja', origin)).resolves.toBeUndefined();
    await service.settled();
    expect(mails.length).toBe(before);
    await resetLink(' Taro ', 'TARO@example.jp');
  });

  it('consumes a reset link exactly once among concurrent submissions, and ends every session and grant', async () => {
    const token = await resetLink('taro', 'taro@example.jp');
    const before = await passwordOf(taro);
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => service.resetPassword({ token, loginId: 'taro', ...newPassword }, origin)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.code)).toEqual(Array(5).fill('recovery_link_used'));
    expect(await passwordOf(taro)).not.toBe(before);
    expect(await argon2.verify(await passwordOf(taro), 'brand-new-password')).toBe(true);
    expect(revoked).toEqual([taro]);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE type = 'account.password_reset' AND subject = $1`, [taro]);
    expect(n).toBe(1);
  });

  it('refuses a reset link for another resident, expired, malformed, or after a newer reset', async () => {
    const first = await resetLink('taro', 'taro@example.jp');
    const second = await resetLink('taro', 'taro@example.jp');
    // For another resident: the link stays usable by its own.
    await expect(service.resetPassword({ token: first, loginId: 'hanako', ...newPassword }, origin)).rejects.toMatchObject({ code: 'recovery_link_invalid' });
    await expect(service.resetPassword({ token: 'short', loginId: 'taro', ...newPassword }, origin)).rejects.toMatchObject({ code: 'recovery_link_invalid' });
    await expect(service.resetPassword({ token: first, loginId: 'taro', password: 'contains-taro-name', passwordConfirm: 'contains-taro-name' }, origin)).rejects.toMatchObject({ code: 'weak_password' });
    await expect(service.resetPassword({ token: first, loginId: 'taro', ...newPassword }, origin)).resolves.toMatchObject({ residentId: taro });
    // The other outstanding link died with the reset.
    await expect(service.resetPassword({ token: second, loginId: 'taro', ...newPassword }, origin)).rejects.toMatchObject({ code: 'recovery_link_used' });
    const late = await resetLink('taro', 'taro@example.jp');
    clock.advanceDays(1 / 24);
    await expect(service.resetPassword({ token: late, loginId: 'taro', ...newPassword }, origin)).rejects.toMatchObject({ code: 'recovery_link_expired' });
  });

  it('opens a reset link by card only for the card of the account’s current verification, once per challenge', async () => {
    const answer = (challengeId: string): JpkiVerificationRequest => ({ challengeId, algorithm: 'RS256', certificate: 'AA==', signature: 'AA==' });
    const forTaro = await service.issueCardChallenge('taro', origin);
    const result = await service.verifyCard(answer(forTaro.challengeId), origin);
    expect(result.resetUrl).toMatch(/\/account\/recovery\/reset\?token=[A-Za-z0-9_-]{43}$/);
    await expect(service.verifyCard(answer(forTaro.challengeId), origin)).rejects.toMatchObject({ code: 'recovery_card_not_confirmed' });
    // Taro's card for hanako's account, and for an unknown ID: the same refusal.
    const forHanako = await service.issueCardChallenge('hanako', origin);
    await expect(service.verifyCard(answer(forHanako.challengeId), origin)).rejects.toMatchObject({ code: 'recovery_card_not_confirmed' });
    const forNobody = await service.issueCardChallenge('nobody', origin);
    await expect(service.verifyCard(answer(forNobody.challengeId), origin)).rejects.toMatchObject({ code: 'recovery_card_not_confirmed' });
    // Another card for taro's account.
    presentedCard = 'some-other-card';
    const other = await service.issueCardChallenge('taro', origin);
    await expect(service.verifyCard(answer(other.challengeId), origin)).rejects.toMatchObject({ code: 'recovery_card_not_confirmed' });
    // A lapsed verification no longer opens anything.
    presentedCard = 'card-of-taro';
    await db.query(`UPDATE identity_verifications SET status = 'lapsed' WHERE resident_id = $1`, [taro]);
    const lapsed = await service.issueCardChallenge('taro', origin);
    await expect(service.verifyCard(answer(lapsed.challengeId), origin)).rejects.toMatchObject({ code: 'recovery_card_not_confirmed' });
    // An expired challenge.
    await db.query(`UPDATE identity_verifications SET status = 'verified' WHERE resident_id = $1`, [taro]);
    const expired = await service.issueCardChallenge('taro', origin);
    clock.advanceDays(1 / 24);
    await expect(service.verifyCard(answer(expired.challengeId), origin)).rejects.toMatchObject({ code: 'recovery_card_not_confirmed' });
    const token = new URL(result.resetUrl).searchParams.get('token')!;
    // The card's link expired meanwhile too (30 minutes).
    await expect(service.resetPassword({ token, loginId: 'taro', ...newPassword }, origin)).rejects.toMatchObject({ code: 'recovery_link_expired' });
  });

  it('throttles reset requests per login ID', async () => {
    const tight = new RecoveryService(
      { ...loadHubConfig({ NODE_ENV: 'test' }), THROTTLE_RECOVERY_PER_ID_PER_HOUR: 2 }, new RecoveryRepository(db), {} as ResidentsService, {} as JpkiService,
      {} as ResidentSessionsService, new ThrottleService({ ...loadHubConfig({ NODE_ENV: 'test' }), THROTTLE_RECOVERY_PER_ID_PER_HOUR: 2 }), testAuditService(db),
      { available: true, send: async () => undefined }, clock);
    await tight.requestEmailReset('taro', 'a@example.jp', 'ja', { address: '192.0.2.1' });
    await tight.requestEmailReset('taro', 'a@example.jp', 'ja', { address: '192.0.2.2' });
    await expect(tight.requestEmailReset('TARO', 'a@example.jp', 'ja', { address: '192.0.2.3' })).rejects.toMatchObject({ code: 'too_many_attempts' });
  });

  it('says that e-mail is not available when no SMTP server is configured', async () => {
    const none = new RecoveryService(
      loadHubConfig({ NODE_ENV: 'test' }), new RecoveryRepository(db), {} as ResidentsService, {} as JpkiService, {} as ResidentSessionsService,
      new ThrottleService(loadHubConfig({ NODE_ENV: 'test' })), testAuditService(db), { available: false, send: async () => { throw new Error('unused'); } }, clock);
    expect(none.emailAvailable).toBe(false);
    await expect(none.requestEmailReset('taro', 'taro@example.jp', 'ja', origin)).rejects.toMatchObject({ code: 'recovery_email_unavailable' });
    await expect(none.requestEmailVerification(taro, 'x@example.jp', 'ja', origin)).rejects.toMatchObject({ code: 'recovery_email_unavailable' });
  });
});
