import { createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { JpkiChallengeResponse, JpkiVerificationRequest, JpkiVerificationResponse } from '@tsunagu/contracts';
import { isJpkiError } from '@tsunagu/jpki';
import { AppLogger, LogKind } from '@tsunagu/logger';
import type { ResidentSession } from '../session/resident-session.service';
import { AuditService } from '../../audit/audit.service';
import { IDENTITY_LAPSE_HANDLER, type IdentityLapseHandler } from './identity-lapse';
import { normalizeCardAppInput } from './card-app-input';
import { sealCertificateRef } from './verification-recheck.service';
import { HUB_CONFIG, type HubConfig } from '../../platform/config/hub.config';
import { KeysService } from '../../platform/keys/keys.service';
import { JpkiException } from './jpki.exception';
import { JpkiRepository } from './jpki.repository';
import { JpkiTrustService, TEST_CARD_AUTHORITY } from './jpki-trust.service';
import type { TestCardAuthority } from './test-card.authority';

/**
 * Identity proofing with the My Number card's signature certificate: a single-use challenge bound
 * to the resident's session, the card's signature over it, and the full certificate check. What
 * is kept: a keyed hash of the card certificate (issuer + serial, so one card verifies one
 * account), the time, and the certificate's expiry — never the certificate or its attributes.
 */
@Injectable()
export class JpkiService {
  private readonly logger = new AppLogger(JpkiService.name);
  private cardKeySecret?: Promise<string>;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly repo: JpkiRepository,
    private readonly trust: JpkiTrustService,
    private readonly keys: KeysService,
    private readonly audit: AuditService,
    @Inject(IDENTITY_LAPSE_HANDLER) private readonly consents: IdentityLapseHandler,
    @Inject(TEST_CARD_AUTHORITY) private readonly testCards: TestCardAuthority | undefined,
  ) {}

  get testCardEnabled(): boolean {
    return !!this.testCards;
  }

  /** The resident's latest lapsed verification when none is current (the portal asks for the new card). */
  async currentLapse(residentId: string): Promise<{ lapsedAt: Date; reason: 'revoked' | 'expired'; revocationReason: string | null } | undefined> {
    const row = await this.repo.currentLapse(residentId);
    return row && { lapsedAt: new Date(row.lapsed_at), reason: row.lapse_reason, revocationReason: row.revocation_reason };
  }

  async issueChallenge(session: ResidentSession): Promise<JpkiChallengeResponse> {
    this.assertConfigured();
    const row = await this.repo.insertChallenge(session.accountId, session.uid, randomBytes(32).toString('base64url'), this.config.JPKI_CHALLENGE_TTL_SECONDS);
    return { challengeId: row.id, challenge: row.challenge, expiresAt: new Date(row.expires_at).toISOString() };
  }

  async verify(session: ResidentSession, request: JpkiVerificationRequest): Promise<JpkiVerificationResponse> {
    this.assertConfigured();
    try {
      request = normalizeCardAppInput(request);
      // Read before the transaction opens: the embedded database has one connection, and the
      // transaction holds it (CONVENTIONS.md §13). Both reads are cached; neither depends on the challenge.
      const verifier = await this.trust.verifier();
      const cardKeySecret = await this.cardKeySecretValue();
      const result = await this.repo.transaction(async (tx) => {
        const challenge = await this.repo.lockChallenge(tx, request.challengeId, session.accountId);
        if (!challenge || challenge.session_uid !== session.uid) {
          throw new JpkiException('jpki_challenge_not_found');
        }
        if (challenge.used_at) throw new JpkiException('jpki_challenge_used');
        if (challenge.expired) throw new JpkiException('jpki_challenge_expired');
        const proof = await verifier.verifySignedChallenge(request, new TextEncoder().encode(challenge.challenge));
        const key = cardKey(cardKeySecret, proof.issuer, proof.serialNumber);
        // Least data for the life-long re-check: issuer and serial, sealed with KEY_ENCRYPTION_KEY.
        const recorded = await this.repo.recordVerification(tx, session.accountId, key, proof.notAfter, sealCertificateRef(this.keys, key, proof));
        if ('otherResident' in recorded) {
          throw new JpkiException('jpki_card_already_used');
        }
        await this.repo.markChallengeUsed(tx, challenge.id);
        // In the same transaction: the verification and its audit row commit together.
        await this.audit.record({
          type: 'jpki.verification', actor: { kind: 'resident', id: session.accountId }, subject: session.accountId, outcome: 'success',
          details: { challengeId: challenge.id, certificateNotAfter: proof.notAfter.toISOString() },
        }, tx);
        return { verified: true as const, verifiedAt: new Date(recorded.verifiedAt).toISOString(), certificateNotAfter: proof.notAfter.toISOString() };
      });
      this.logger.log(LogKind.Authentication, 'Identity verified with JPKI signature certificate', { residentId: session.accountId });
      await this.resumeConsents(session.accountId);
      return result;
    } catch (error) {
      const code = isJpkiError(error) ? error.code : error instanceof JpkiException ? error.code : undefined;
      this.logger.warn(LogKind.Authentication, 'JPKI verification refused', { residentId: session.accountId, code: code ?? 'internal_error' });
      // The refusal changed nothing; only its audit row is written.
      await this.audit.record({
        type: 'jpki.verification_failed', actor: { kind: 'resident', id: session.accountId }, subject: session.accountId, outcome: 'failure',
        reason: code ?? 'internal_error', details: { challengeId: request.challengeId },
      });
      if (isJpkiError(error)) throw new JpkiException(error.code);
      throw error;
    }
  }

  /** DEVELOPMENT ONLY: the resident's test card answers a fresh challenge, as a card app would. */
  async verifyWithTestCard(session: ResidentSession, displayName: string): Promise<JpkiVerificationResponse> {
    if (!this.testCards) throw new JpkiException('jpki_not_configured');
    const { challengeId, challenge } = await this.issueChallenge(session);
    const card = await this.testCards.cardFor(session.accountId, displayName);
    const signature = await this.testCards.sign(card, challenge);
    return this.verify(session, {
      challengeId, algorithm: 'RS256',
      certificate: Buffer.from(card.der).toString('base64'), signature: Buffer.from(signature).toString('base64'),
    });
  }

  /**
   * The keyed hash of the card that signed `challenge` (the full check: signature, chain,
   * validity, revocation), as identity proofing stores it: what a password reset by card compares
   * with the account's current verification. Nothing is recorded here; a refusal is a JpkiException.
   */
  async cardKeyOf(request: JpkiVerificationRequest, challenge: string): Promise<string> {
    this.assertConfigured();
    try {
      const normalized = normalizeCardAppInput(request);
      const verifier = await this.trust.verifier();
      const proof = await verifier.verifySignedChallenge(normalized, new TextEncoder().encode(challenge));
      return cardKey(await this.cardKeySecretValue(), proof.issuer, proof.serialNumber);
    } catch (error) {
      if (isJpkiError(error)) throw new JpkiException(error.code);
      throw error;
    }
  }

  /** DEVELOPMENT ONLY: the answer the resident's test card gives to a challenge (as a card app would send it). */
  async testCardAnswer(residentId: string, displayName: string, challengeId: string, challenge: string): Promise<JpkiVerificationRequest> {
    if (!this.testCards) throw new JpkiException('jpki_not_configured');
    const card = await this.testCards.cardFor(residentId, displayName);
    const signature = await this.testCards.sign(card, challenge);
    return { challengeId, algorithm: 'RS256', certificate: Buffer.from(card.der).toString('base64'), signature: Buffer.from(signature).toString('base64') };
  }

  /** After a verification: consents paused because an earlier one lapsed are active again. A failure here is finished by the next re-check. */
  private async resumeConsents(residentId: string): Promise<void> {
    try {
      const resumed = await this.consents.verified(residentId);
      if (resumed) {
        await this.audit.record({
          type: 'consent.resumed_identity_verified', actor: { kind: 'resident', id: residentId }, subject: residentId, outcome: 'success', details: { resumed },
        });
      }
    } catch (error) {
      this.logger.error('Resuming consents after a verification failed', error, { residentId });
    }
  }

  private assertConfigured(): void {
    if (!this.trust.configured) {
      throw new JpkiException('jpki_not_configured');
    }
  }

  private cardKeySecretValue(): Promise<string> {
    this.cardKeySecret ??= this.keys.sharedSecret('jpki-card-key').catch((error: unknown) => {
      this.cardKeySecret = undefined;
      throw error;
    });
    return this.cardKeySecret;
  }
}

/** HMAC, not a plain hash: serial numbers are guessable; the key is sealed under KEY_ENCRYPTION_KEY. */
function cardKey(secret: string, issuer: string, serial: string): string {
  return createHmac('sha256', secret).update(`${issuer}\u0000${serial.toLowerCase()}`).digest('base64url');
}
