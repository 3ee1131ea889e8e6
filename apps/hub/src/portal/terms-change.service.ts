import { Injectable } from '@nestjs/common';
import type { DataUseView, DataUseWithConsentView, TermsChangeView } from '@tsunagu/contracts';
import { type DataUseRevisionTerms, DataUseRevisionsRepository } from '../catalog/data-use-revisions.repository';
import { ConsentService } from '../consent/consent.service';
import { termsDiff } from './terms-diff';

/** The current terms of a data use, in the shape a revision records them. */
export function termsOfView(u: DataUseView): DataUseRevisionTerms {
  return {
    titleJa: u.title.ja, titleEn: u.title.en, purposeCode: u.purpose.code, purposeCategory: u.purposeCategory.code,
    purposeJa: u.purpose.description.ja, purposeEn: u.purpose.description.en, items: u.items.map((i) => i.code),
    retentionDays: u.retentionDays, consentValidDays: u.consentValidDays, controllerNameJa: u.controller.name.ja,
    controllerNameEn: u.controller.name.en, controllerContact: u.controller.contact, controllerType: u.controllerType.code,
    privacyNoticeUrl: u.privacyNoticeUrl,
  };
}

/**
 * 「条件が変わりました」: for a consent waiting for re-consent because the terms changed, what
 * differs between the revision the resident agreed to and the current one.
 */
@Injectable()
export class TermsChangeService {
  constructor(private readonly consents: ConsentService, private readonly revisions: DataUseRevisionsRepository) {}

  /** One data use with the resident's consent (ConsentService.dataUse), and what changed if they must decide again. */
  async dataUse(residentId: string, code: string): Promise<DataUseWithConsentView> {
    return this.withChange(await this.consents.dataUse(residentId, code));
  }

  /** The entry with its `termsChange` when the consent was given to older terms; as it was otherwise. */
  async withChange(entry: DataUseWithConsentView): Promise<DataUseWithConsentView> {
    const { dataUse, consent } = entry;
    if (!consent?.needsReconsent || consent.dataUseRevision >= dataUse.revision) return entry;
    return { ...entry, termsChange: await this.change(dataUse, consent.dataUseRevision) };
  }

  private async change(dataUse: DataUseView, agreed: number): Promise<TermsChangeView> {
    const before = (await this.revisions.findTerms(dataUse.code, [agreed])).get(agreed);
    const base = { fromRevision: agreed, toRevision: dataUse.revision };
    if (!before) return { ...base, differences: [] };
    // The current terms are the data use as it is now (what the resident is asked to agree to).
    const after = termsOfView(dataUse);
    const names = await this.revisions.itemNames([...new Set([...before.items, ...after.items])]);
    return { ...base, differences: termsDiff(before, after, (code) => names.get(code) ?? { ja: code, en: code }) };
  }
}
