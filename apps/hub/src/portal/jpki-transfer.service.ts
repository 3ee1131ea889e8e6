import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  IDENTITY_PROOFING_ERROR_MESSAGES, type IdentityProofingErrorCode, type JpkiAppChallengeResponse, type JpkiTransferResponse, type JpkiTransferStatus,
  type JpkiVerificationRequest, type JpkiVerificationResponse,
} from '@tsunagu/contracts';
import { isUuid } from '@tsunagu/common';
import { AppLogger, LogKind } from '@tsunagu/logger';
import { AuditService } from '../audit/audit.service';
import { JpkiException } from '../identity/jpki/jpki.exception';
import { JpkiRepository, type TransferRow } from '../identity/jpki/jpki.repository';
import { JpkiService } from '../identity/jpki/jpki.service';
import { type ResidentSession, ResidentSessionService } from '../identity/session/resident-session.service';
import { HUB_CONFIG, type HubConfig } from '../platform/config/hub.config';
import { ThrottleService } from '../platform/throttle/throttle.service';

/** The token a card app presents: 24 random bytes, base64url (32 characters). */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/**
 * A card app on another device (docs/jpki-hub.md "A card app on another device"): the signed-in
 * PC page asks for a hand-over — a fresh challenge bound to its session, and a one-time token that
 * stands for the session while the challenge lives. The app reads the challenge and posts the
 * card's answer with the token only (no cookie, no CSRF header: the token is the proof). The token
 * is consumed by one atomic check-and-set whatever the answer's outcome, and refused once its
 * session has signed out. Only the token's SHA-256 is stored.
 */
@Injectable()
export class JpkiTransferService {
  private readonly logger = new AppLogger(JpkiTransferService.name);

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly repo: JpkiRepository,
    private readonly jpki: JpkiService,
    private readonly sessions: ResidentSessionService,
    private readonly throttle: ThrottleService,
    private readonly audit: AuditService,
  ) {}

  async create(session: ResidentSession): Promise<JpkiTransferResponse> {
    const challenge = await this.jpki.issueChallenge(session);
    const token = randomBytes(24).toString('base64url');
    const row = await this.repo.insertTransfer(session.accountId, session.uid, challenge.challengeId, hashToken(token), new Date(challenge.expiresAt));
    await this.audit.record({ type: 'jpki.transfer_created', actor: { kind: 'resident', id: session.accountId }, subject: session.accountId, outcome: 'success', details: { transferId: row.id } });
    return { transferId: row.id, token, link: `${this.config.PUBLIC_URL}/jpki/app#token=${token}`, expiresAt: challenge.expiresAt };
  }

  /** The PC page's question: has the app finished? */
  async status(session: ResidentSession, transferId: string): Promise<JpkiTransferStatus> {
    const row = isUuid(transferId) ? await this.repo.findTransfer(transferId, session.accountId, session.uid) : undefined;
    if (!row) throw new JpkiException('jpki_transfer_not_found');
    return statusOf(row);
  }

  /** The session's newest hand-over, for the page after a plain refresh. */
  async latest(session: ResidentSession): Promise<(JpkiTransferStatus & { transferId: string }) | undefined> {
    const row = await this.repo.latestTransfer(session.accountId, session.uid);
    return row && { transferId: row.id, ...statusOf(row) };
  }

  /** `GET …/app/challenge`: what the card must sign. Does not consume the token. */
  async challenge(authorization: unknown, address: string | undefined): Promise<JpkiAppChallengeResponse> {
    const transfer = await this.usable(authorization, address);
    const challenge = await this.repo.findChallenge(transfer.challenge_id);
    if (!challenge || challenge.used_at) throw await this.refuse(transfer, 'jpki_transfer_used');
    return {
      challengeId: challenge.id, challenge: challenge.challenge, expiresAt: new Date(challenge.expires_at).toISOString(),
      relyingParty: { name: { ja: 'Tsunagu（鳥取県 パーソナルデータ連携基盤）', en: 'Tsunagu (Tottori personal data platform)' }, url: this.config.PUBLIC_URL },
    };
  }

  /** `POST …/app/verifications`: the card's answer; the token is spent by this call, whatever its outcome. */
  async verify(authorization: unknown, address: string | undefined, body: JpkiVerificationRequest): Promise<JpkiVerificationResponse> {
    const transfer = await this.usable(authorization, address);
    if (body.challengeId !== transfer.challenge_id) throw await this.refuse(transfer, 'jpki_transfer_other_session');
    if (!(await this.repo.useTransfer(transfer.id))) {
      // Another request with the same token won the check-and-set (or it expired this instant).
      throw await this.refuse(transfer, 'jpki_transfer_used');
    }
    try {
      const result = await this.jpki.verify({ accountId: transfer.resident_id, uid: transfer.session_uid }, body);
      await this.repo.finishTransfer(transfer.id, 'verified');
      return result;
    } catch (error) {
      await this.repo.finishTransfer(transfer.id, error instanceof JpkiException ? error.code : 'internal_error');
      throw error;
    }
  }

  /** The transfer behind the `Authorization: JPKI-Transfer <token>` header, if it may still be used. */
  private async usable(authorization: unknown, address: string | undefined): Promise<TransferRow> {
    const token = typeof authorization === 'string' ? /^JPKI-Transfer ([^\s]+)$/i.exec(authorization.trim())?.[1] : undefined;
    const transfer = token && TOKEN_PATTERN.test(token) ? await this.repo.findTransferByToken(hashToken(token)) : undefined;
    // Counted per resident (when known) and per address, as the same-device API is.
    await this.throttle.jpkiAttempt(transfer?.resident_id ?? 'jpki-transfer-unknown', address);
    if (!transfer) {
      this.logger.warn(LogKind.Authentication, 'JPKI transfer token refused', { code: 'jpki_transfer_not_found' });
      throw new JpkiException('jpki_transfer_not_found');
    }
    if (transfer.used_at) throw await this.refuse(transfer, 'jpki_transfer_used');
    if (transfer.expired) throw await this.refuse(transfer, 'jpki_transfer_expired');
    if (!(await this.sessions.isSignedIn(transfer.session_uid, transfer.resident_id))) throw await this.refuse(transfer, 'jpki_transfer_other_session');
    return transfer;
  }

  private async refuse(transfer: TransferRow, code: IdentityProofingErrorCode): Promise<JpkiException> {
    this.logger.warn(LogKind.Authentication, 'JPKI transfer token refused', { residentId: transfer.resident_id, code });
    await this.audit.record({
      type: 'jpki.transfer_refused', actor: { kind: 'resident', id: transfer.resident_id }, subject: transfer.resident_id, outcome: 'failure',
      reason: code, details: { transferId: transfer.id },
    });
    return new JpkiException(code);
  }
}

function statusOf(row: TransferRow): JpkiTransferStatus {
  if (row.outcome === 'verified') return { state: 'verified' };
  if (row.outcome) {
    if (!(row.outcome in IDENTITY_PROOFING_ERROR_MESSAGES)) return { state: 'refused' };
    const code = row.outcome as IdentityProofingErrorCode;
    return { state: 'refused', code, message: IDENTITY_PROOFING_ERROR_MESSAGES[code] };
  }
  if (row.used_at) return { state: 'waiting' };
  return row.expired ? { state: 'expired' } : { state: 'waiting' };
}
