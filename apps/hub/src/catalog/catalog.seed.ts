import type { DataUseForm } from '@tsunagu/contracts';
import type { OfferDraft } from './offers.service';

/** A seeded offer: its providing service by client_id, and what its connector's configuration would publish. */
export type SeedDataOffer = { serviceClientId: string } & OfferDraft;

/** A seeded data use: its consumer service by client_id, and what a tenant admin would type in its form. */
export type SeedDataUse = { serviceClientId: string } & Omit<DataUseForm, 'consumerServiceId' | 'csrf'> & { code: string };

const isoDate = { type: 'string', format: 'date' };
const month = { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' };

/** A JSON object with exactly these properties (the `required` ones mandatory): items must not carry more than the offer says. */
function closedObject(required: string[], properties: Record<string, unknown>) {
  return { type: 'object', required, additionalProperties: false, properties };
}

/** A JSON array of at most `maxItems` entries of one kind. */
function listOf(maxItems: number, items: Record<string, unknown>) {
  return { type: 'array', maxItems, items };
}

/**
 * The data offers of the two demo services (ARCHITECTURE.md §4). Each item's JSON Schema is what
 * the provider connector validates outgoing data against.
 */
export const SEED_DATA_OFFERS: SeedDataOffer[] = [
  {
    serviceClientId: 'demo-misasa-health', code: 'misasa-health.daily-steps',
    nameJa: '1日ごとの歩数', nameEn: 'Daily step counts',
    descriptionJa: '健康アプリに記録された日ごとの歩数（直近90日まで）。', descriptionEn: 'Steps per day recorded by the health app (up to the last 90 days).',
    specialCare: false, maxWindowDays: 90,
    schema: listOf(90, closedObject(['date', 'steps'], { date: isoDate, steps: { type: 'integer', minimum: 0, maximum: 200000 } })),
    statistics: { numeric: true, maximum: 200000, dimensions: ['municipality', 'month'] },
  },
  {
    serviceClientId: 'demo-misasa-health', code: 'misasa-health.onsen-visits',
    nameJa: '温泉施設の利用履歴', nameEn: 'Onsen visits',
    descriptionJa: '三朝温泉の提携施設を利用した日と施設名。', descriptionEn: 'Dates and names of the partner onsen facilities in Misasa you visited.',
    specialCare: false, maxWindowDays: 366,
    schema: listOf(366, closedObject(['date', 'facilityId', 'facilityName'], {
      date: isoDate, facilityId: { type: 'string', maxLength: 64 }, facilityName: { type: 'string', maxLength: 128 },
    })),
  },
  {
    serviceClientId: 'demo-misasa-health', code: 'misasa-health.checkup-summary',
    nameJa: '健康診断結果の要約', nameEn: 'Health checkup summary',
    descriptionJa: '直近の健康診断の主な数値（身長・体重・BMI・血圧）。要配慮個人情報です。', descriptionEn: 'Key figures of the latest checkup (height, weight, BMI, blood pressure). Special care-required information.',
    specialCare: true, maxWindowDays: null,
    schema: closedObject(['date'], {
      date: isoDate,
      heightCm: { type: 'number', minimum: 50, maximum: 250 },
      weightKg: { type: 'number', minimum: 10, maximum: 300 },
      bmi: { type: 'number', minimum: 5, maximum: 80 },
      systolic: { type: 'integer', minimum: 50, maximum: 260 },
      diastolic: { type: 'integer', minimum: 30, maximum: 200 },
    }),
  },
  {
    serviceClientId: 'demo-cashless', code: 'cashless.points-balance',
    nameJa: 'ポイント残高', nameEn: 'Points balance',
    descriptionJa: 'キャッシュレス決済基盤のポイント残高と基準日時。', descriptionEn: 'Your points balance at the cashless payment base, and when it was taken.',
    specialCare: false, maxWindowDays: null,
    schema: closedObject(['points', 'asOf'], { points: { type: 'integer', minimum: 0 }, asOf: { type: 'string', format: 'date-time' } }),
  },
  {
    serviceClientId: 'demo-cashless', code: 'cashless.monthly-spending',
    nameJa: '月ごとの利用金額', nameEn: 'Monthly spending',
    descriptionJa: '加盟店の業種ごとの月別利用金額（円）。個々の買い物の明細は含みません。', descriptionEn: 'Amounts spent per month and merchant category (yen). No individual purchases.',
    specialCare: false, maxWindowDays: 366,
    schema: listOf(240, closedObject(['month', 'category', 'amountYen'], {
      month, category: { type: 'string', enum: ['onsen', 'lodging', 'restaurant', 'retail', 'transport', 'other'] }, amountYen: { type: 'integer', minimum: 0 },
    })),
  },
];

/** The demo data uses: each service asks for the other's data. URLs are the demo services' own. */
export function seedDataUses(urls: { cashless: string; misasa: string }): SeedDataUse[] {
  return [
    {
      serviceClientId: 'demo-cashless', code: 'cashless.health-points',
      titleJa: '歩数と温泉利用に応じた健康ポイントの付与', titleEn: 'Health points for your steps and onsen visits',
      purposeCode: 'health-points', purposeCategory: 'PersonalisedBenefits',
      purposeJa: '三朝温泉ヘルスケアアプリに記録された歩数と温泉施設の利用に応じて、キャッシュレス決済で使えるポイントを付与するため。',
      purposeEn: 'To give you points usable for cashless payments according to the steps and onsen visits recorded by the Misasa onsen health app.',
      items: ['misasa-health.daily-steps', 'misasa-health.onsen-visits'],
      retentionDays: '365', consentValidDays: '365', controllerType: 'private',
      controllerNameJa: 'とっとりキャッシュレス決済基盤 運営事務局（デモ）', controllerNameEn: 'Tottori cashless payment base office (demo)',
      controllerContact: 'privacy@cashless.example.jp',
      privacyNoticeUrl: `${urls.cashless}/privacy`,
      // Health data: only for residents verified with the My Number card; paused when that lapses.
      requiresVerifiedIdentity: 'true',
    },
    {
      serviceClientId: 'demo-misasa-health', code: 'misasa-health.onsen-spending',
      titleJa: '温泉施設でのご利用金額の表示', titleEn: 'Your spending at onsen facilities',
      purposeCode: 'onsen-spending-display', purposeCategory: 'ServicePersonalisation',
      purposeJa: 'キャッシュレス決済での温泉施設・宿泊施設の利用金額を、健康アプリの記録画面に表示するため。',
      purposeEn: 'To show what you spent at onsen and lodging facilities by cashless payment in the health app\'s records.',
      items: ['cashless.monthly-spending', 'cashless.points-balance'],
      retentionDays: '180', consentValidDays: '365', controllerType: 'public',
      controllerNameJa: '三朝町 健康福祉課（デモ）', controllerNameEn: 'Misasa Town, Health and Welfare Division (demo)',
      controllerContact: 'kenko@town.misasa.example.jp',
      privacyNoticeUrl: `${urls.misasa}/privacy`,
    },
  ];
}
