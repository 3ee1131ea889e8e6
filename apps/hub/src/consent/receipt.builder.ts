import {
  type CollectionMethod, type ConsentReceipt, CONTROLLER_TYPES, type ControllerType, dpvPurposeIri, RECEIPT_HASH_ALGORITHM, RECEIPT_SCHEMA_VERSION, RECEIPT_STANDARD,
} from '@tsunagu/contracts';
import type { ConsentRow } from './consent.repository';
import type { DataOfferRow, DataUseRow } from '../catalog/data-catalog.repository';
import { statisticsView } from '../catalog/data-catalog.service';

export interface ReceiptInput {
  recordId: string;
  issuer: string;
  /** The pairwise subject of the recipient's sector. */
  principal: string;
  version: Pick<ConsentRow, 'consent_id' | 'version' | 'state' | 'event' | 'items' | 'purpose_code' | 'valid_from' | 'valid_until' | 'data_use_revision' | 'created_at' | 'language' | 'collection_method'> & { reason?: ConsentRow['reason'] };
  /**
   * The data use as the resident agreed to it. For a paused or expired version this is the current
   * row, but purpose and items come from the version itself (the terms that were agreed).
   */
  dataUse: DataUseRow;
  offers: Map<string, DataOfferRow>;
  chain: { sequence: number; previousReceiptHash: string | null };
  /**
   * The receipt of the version being ended (withdrawn, expired, paused). Its terms — purposes,
   * items, controllers, recipients, retention, notice — are what the resident agreed to, so they
   * are carried over as they were (in their language), even if the data use has changed since.
   */
  agreed?: ConsentReceipt;
}

const text = {
  provision: {
    ja: '提供元サービスのコネクタから提供先サービスのコネクタへ直接送信します。連携基盤（ハブ）はデータの中身を保持しません。',
    en: 'Sent directly from the providing service\'s connector to the recipient\'s connector. The hub never holds the data itself.',
  },
  use: { ja: '提供先サービスが、上記の目的の範囲で利用します。', en: 'Used by the recipient within the purpose above.' },
  aggregation: {
    ja: '提供元サービスのコネクタが、同意した住民の「{item}」から{aggregate}を{groups}集計し、{k}人未満の区分を伏せた集計値だけを提供先に渡します。あなた個人の値は提供元の外に出ません。',
    en: 'The providing service\'s connector computes the {aggregate} of "{item}"{groups} over the residents who opted in and passes only the results, with groups of fewer than {k} residents hidden, to the recipient. No value of yours leaves the provider.',
  },
  statisticsUse: { ja: '提供先は、集計値だけを上記の目的の範囲で利用します。', en: 'The recipient uses only the aggregates, within the purpose above.' },
  statisticsWithdrawal: {
    ja: 'Tsunagu ポータルの「同意の管理」から、いつでも同意を撤回できます。撤回した後の集計には含まれません。',
    en: 'You can withdraw at any time under "My consents" in the Tsunagu portal. You are left out of every computation after that.',
  },
  withdrawal: {
    ja: 'Tsunagu ポータルの「同意の管理」から、いつでも同意を撤回できます。撤回した時点から、データは提供されません。',
    en: 'You can withdraw at any time under "My consents" in the Tsunagu portal. From then on, no data is provided.',
  },
};

/**
 * The APPI article(s) of a provision with the resident's consent, by the type of the recipient's
 * controller (CONTROLLER_TYPES): Art. 27(1) for a private business, Art. 69(2)(i) for 行政機関等.
 *
 * Special care-required information (要配慮個人情報) adds Art. 20(2) for a private controller only:
 * that paragraph binds 個人情報取扱事業者 (Chapter 4), whose acquisition of such information needs
 * the person's consent. An administrative organ or agency is not one (Art. 16(2) excludes 行政機関等);
 * Chapter 5 governs it, and it has no consent rule for acquiring special care-required
 * information — it may hold personal information only as its statutory duties need (Art. 61) and
 * acquire it only by proper means (Art. 64), and records such files in its register (Art. 75).
 * Citing Art. 20(2) for a public body would name a rule that does not apply to it, so its
 * receipts cite Art. 69(2)(i) alone; the item's `specialCare` flag still says what it is.
 */
export function lawfulBasisArticle(controllerType: ControllerType, specialCare: boolean): string {
  const article = CONTROLLER_TYPES[controllerType].article;
  return specialCare && controllerType === 'private' ? `${article}, 20(2)` : article;
}

/**
 * The receipt of one consent version: the fields of an ISO/IEC TS 27560 consent record, with texts
 * in the language the resident decided in. Pure: the caller signs it.
 */
export function buildReceipt(input: ReceiptInput): ConsentReceipt {
  const fresh = buildFromDataUse(input);
  const agreed = input.agreed;
  if (!agreed) return fresh;
  const lang = agreed.language;
  return {
    ...fresh,
    language: lang,
    privacyNotice: agreed.privacyNotice,
    purposes: agreed.purposes,
    dataItems: agreed.dataItems,
    controllers: agreed.controllers,
    recipients: agreed.recipients,
    retention: agreed.retention,
    processing: agreed.processing,
    withdrawal: { ...fresh.withdrawal, description: (input.dataUse.kind === 'statistics' ? text.statisticsWithdrawal : text.withdrawal)[lang] },
  };
}

/**
 * What is done with the data: an exchange sends it connector to connector; a statistics data use
 * has it aggregated at the provider, and only the aggregate leaves (issue #20).
 */
function processingOf(u: ReceiptInput['dataUse'], offers: ReceiptInput['offers'], lang: 'ja' | 'en'): ConsentReceipt['processing'] {
  if (u.kind !== 'statistics' || !u.statistics) {
    return [{ operation: 'third-party-provision', description: text.provision[lang] }, { operation: 'use', description: text.use[lang] }];
  }
  const view = statisticsView(u.statistics);
  const words = (w: string) => (lang === 'ja' ? w : w.toLowerCase());
  const groups = view.groupBy.map((g) => words(g.name[lang])).join(lang === 'ja' ? '・' : ', ');
  const offer = offers.get(u.statistics.item);
  const item = offer ? (lang === 'ja' ? offer.name_ja : offer.name_en) : u.statistics.item;
  const description = text.aggregation[lang].replace('{aggregate}', words(view.aggregate.name[lang])).replace('{k}', String(view.k)).replace('{item}', item)
    .replace('{groups}', groups ? (lang === 'ja' ? `${groups}ごとに` : ` by ${groups}`) : '');
  return [{ operation: 'aggregation-at-source', description }, { operation: 'use', description: text.statisticsUse[lang] }];
}

function buildFromDataUse(input: ReceiptInput): ConsentReceipt {
  const { version: v, dataUse: u } = input;
  const lang = v.language;
  const specialCare = v.items.some((code) => input.offers.get(code)?.special_care);
  const purpose = lang === 'ja' ? u.purpose_ja : u.purpose_en;
  return {
    schemaVersion: RECEIPT_SCHEMA_VERSION,
    standard: RECEIPT_STANDARD,
    recordId: input.recordId,
    issuer: input.issuer,
    timestamp: v.created_at.toISOString(),
    language: lang,
    principal: { id: input.principal, idType: 'pairwise-subject', sector: u.consumer_sector },
    event: {
      type: v.event, state: v.state, validFrom: v.valid_from.toISOString(), validUntil: v.valid_until?.toISOString() ?? null,
      // Why the platform paused or ended it: the resident's own decisions and expiries carry none.
      ...(v.reason ? { reason: v.reason } : {}),
    },
    consent: { id: v.consent_id, version: v.version, dataUse: u.code, dataUseRevision: v.data_use_revision },
    privacyNotice: { url: u.privacy_notice_url, language: lang },
    purposes: [{
      code: v.purpose_code,
      description: purpose,
      category: { code: u.purpose_category, iri: dpvPurposeIri(u.purpose_category) },
      lawfulBasis: {
        type: 'consent', jurisdiction: 'JP', law: 'APPI',
        article: lawfulBasisArticle(u.controller_type, specialCare),
        description: CONTROLLER_TYPES[u.controller_type].lawfulBasis[lang],
      },
    }],
    dataItems: v.items.map((code) => {
      const o = input.offers.get(code);
      return {
        id: code,
        name: o ? (lang === 'ja' ? o.name_ja : o.name_en) : code,
        specialCare: o?.special_care ?? false,
        source: { serviceId: o?.provider_client_id ?? '', name: o ? (lang === 'ja' ? o.provider_name_ja : o.provider_name_en) : '' },
      };
    }),
    controllers: [{ name: lang === 'ja' ? u.controller_name_ja : u.controller_name_en, contact: u.controller_contact, privacyNoticeUrl: u.privacy_notice_url, type: u.controller_type }],
    collectionMethod: v.collection_method as CollectionMethod,
    processing: processingOf(u, input.offers, lang),
    recipients: [{ serviceId: u.consumer_client_id, name: lang === 'ja' ? u.consumer_name_ja : u.consumer_name_en, sector: u.consumer_sector }],
    retention: { duration: `P${u.retention_days}D`, days: u.retention_days },
    withdrawal: { description: (u.kind === 'statistics' ? text.statisticsWithdrawal : text.withdrawal)[lang], url: `${input.issuer}/portal/consents/${v.consent_id}` },
    chain: { ...input.chain, hashAlgorithm: RECEIPT_HASH_ALGORITHM },
  };
}
