import { Injectable } from '@nestjs/common';
import type { DataUseView, JpkiVerificationResponse } from '@tsunagu/contracts';
import { ConsentService } from '../consent/consent.service';
import { JpkiService } from '../identity/jpki/jpki.service';
import { type Resident, ResidentsService } from '../identity/residents/residents.service';
import { type ResidentSession, ResidentSessionService } from '../identity/session/resident-session.service';
import type { VerificationLapse } from './jpki.views';
import { NoticesService } from './notices.service';
import { type ConnectedService, ServiceAccessService } from './service-access.service';

export interface AccountOverview {
  resident: Resident;
  links: ConnectedService[];
  pending: { dataUse: DataUseView; reason: 'new' | 'terms_changed' }[];
  /** How many notices (お知らせ) wait for the resident. */
  noticeCount: number;
  csrf: string;
  /** The identity verification lapsed (card certificate revoked or expired) and none is current. */
  lapse?: VerificationLapse;
}

export interface VerificationState {
  verifiedAt: Date | null;
  /** Why the last verification lapsed, when none is current. */
  lapse?: VerificationLapse;
  /** Development only: the test card may stand in for a real one. */
  testCard: boolean;
  csrf: string;
}

/** What the resident's account pages show: the account page and identity proofing. */
@Injectable()
export class AccountService {
  constructor(
    private readonly sessions: ResidentSessionService,
    private readonly residents: ResidentsService,
    private readonly links: ServiceAccessService,
    private readonly consents: ConsentService,
    private readonly jpki: JpkiService,
    private readonly notices: NoticesService,
  ) {}

  /** The account page; undefined when the session outlived its account (then: sign in again). */
  async overview(session: ResidentSession): Promise<AccountOverview | undefined> {
    const resident = await this.residents.findById(session.accountId);
    if (!resident) return undefined;
    const [links, pending, notices, csrf] = await Promise.all([
      this.links.list(resident.id), this.consents.pendingRequests(resident.id), this.notices.list(resident.id), this.sessions.csrfToken(session),
    ]);
    const lapse = resident.identityVerifiedAt ? undefined : await this.jpki.currentLapse(resident.id);
    return { resident, links, pending, noticeCount: notices.length, csrf, lapse };
  }

  /** The identity-proofing page. */
  async verification(session: ResidentSession): Promise<VerificationState> {
    const resident = await this.residents.findById(session.accountId);
    const lapse = resident?.identityVerifiedAt ? undefined : await this.jpki.currentLapse(session.accountId);
    return { verifiedAt: resident?.identityVerifiedAt ?? null, lapse, testCard: this.jpki.testCardEnabled, csrf: await this.sessions.csrfToken(session) };
  }

  /** The identity-proofing API's status, with the CSRF token a card app sends back. */
  async proofingStatus(session: ResidentSession): Promise<{ verified: boolean; verifiedAt: string | null; csrfToken: string }> {
    const { verifiedAt, csrf } = await this.verification(session);
    return { verified: !!verifiedAt, verifiedAt: verifiedAt?.toISOString() ?? null, csrfToken: csrf };
  }

  /** Development: proofing with the test card, in the resident's name. */
  async verifyWithTestCard(session: ResidentSession): Promise<JpkiVerificationResponse> {
    const resident = await this.residents.findById(session.accountId);
    return this.jpki.verifyWithTestCard(session, resident?.displayName ?? 'テスト');
  }
}
