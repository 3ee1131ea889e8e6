import { Inject, Injectable } from '@nestjs/common';
import { CONSENT_CHANGE_REASON_LABELS, type PortalNoticeView } from '@tsunagu/contracts';
import { CLOCK, type Clock } from '@tsunagu/common';
import { type NoticeRow, NoticesRepository } from './notices.repository';
import { noticesText } from './portal.messages';

function noticeView(row: NoticeRow): PortalNoticeView {
  // Deciding again happens on the data use's page, when it can be consented to now; otherwise
  // (suspended, ended, expiring) the consent's history says what happened and what was agreed.
  const decide = row.kind === 'paused' && row.use_open;
  return {
    kind: row.kind,
    consentId: row.consent_id,
    dataUse: row.data_use_code,
    title: { ja: row.title_ja, en: row.title_en },
    consumer: { clientId: row.consumer_client_id, name: { ja: row.consumer_name_ja, en: row.consumer_name_en } },
    reason: row.reason,
    message: row.reason ? { ...CONSENT_CHANGE_REASON_LABELS[row.reason] } : { ...noticesText.expiring },
    at: new Date(row.at).toISOString(),
    noticedAt: new Date(row.noticed_at).toISOString(),
    link: decide ? `/portal/data-uses/${encodeURIComponent(row.data_use_code)}` : `/portal/consents/${row.consent_id}`,
    actionRequired: decide,
  };
}

/** The resident's notices (お知らせ): what changed for their consents, newest first (NoticesRepository). */
@Injectable()
export class NoticesService {
  constructor(private readonly repo: NoticesRepository, @Inject(CLOCK) private readonly clock: Clock) {}

  async list(residentId: string): Promise<PortalNoticeView[]> {
    return (await this.repo.listForResident(residentId, this.clock.now())).map(noticeView);
  }
}
