import type { DataUseRevisionTerms } from '../catalog/data-use-revisions.repository';
import { termsDiff } from './terms-diff';

const names: Record<string, { ja: string; en: string }> = {
  'misasa-health.daily-steps': { ja: '毎日の歩数', en: 'Daily steps' },
  'misasa-health.onsen-visits': { ja: '温泉施設の利用記録', en: 'Onsen visits' },
  'misasa-health.checkup-summary': { ja: '健診結果の要約', en: 'Checkup summary' },
};
const itemName = (code: string) => names[code] ?? { ja: code, en: code };

const agreed: DataUseRevisionTerms = {
  titleJa: '健康ポイント', titleEn: 'Health points', purposeCode: 'health-points', purposeCategory: 'PersonalisedBenefits',
  purposeJa: 'ポイントを付与するため。', purposeEn: 'To give you points.', items: ['misasa-health.daily-steps', 'misasa-health.onsen-visits'],
  retentionDays: 365, consentValidDays: 365, controllerNameJa: '運営事務局', controllerNameEn: 'Office', controllerContact: 'privacy@example.jp',
  controllerType: 'private', privacyNoticeUrl: 'https://example.jp/privacy',
};

describe(termsDiff.name, () => {
  it('finds nothing when the terms are the same, whatever the order of the items', () => {
    expect(termsDiff(agreed, { ...agreed, items: [...agreed.items].reverse() }, itemName)).toEqual([]);
  });

  it('names the items added and removed', () => {
    const now = { ...agreed, items: ['misasa-health.onsen-visits', 'misasa-health.checkup-summary'] };
    expect(termsDiff(agreed, now, itemName)).toEqual([{
      term: 'items',
      added: [{ code: 'misasa-health.checkup-summary', name: { ja: '健診結果の要約', en: 'Checkup summary' } }],
      removed: [{ code: 'misasa-health.daily-steps', name: { ja: '毎日の歩数', en: 'Daily steps' } }],
    }]);
  });

  it('keeps the code as the name of an item nobody offers any more', () => {
    const [diff] = termsDiff(agreed, { ...agreed, items: [...agreed.items, 'gone.item'] }, itemName);
    expect(diff.added).toEqual([{ code: 'gone.item', name: { ja: 'gone.item', en: 'gone.item' } }]);
  });

  it('states each changed term with the value agreed to and the current one, in words', () => {
    const now: DataUseRevisionTerms = {
      ...agreed, purposeJa: 'ポイントと特典を付与するため。', purposeEn: 'To give you points and offers.', purposeCategory: 'ServiceUsageAnalytics',
      retentionDays: 730, consentValidDays: null, controllerNameJa: '鳥取県 政策戦略局', controllerNameEn: 'Tottori Prefecture', controllerContact: 'dx@pref.example.jp',
      controllerType: 'public', privacyNoticeUrl: 'https://pref.example.jp/privacy', titleJa: '健康ポイント（改）', titleEn: 'Health points (new)',
    };
    const diff = termsDiff(agreed, now, itemName);
    expect(diff.map((d) => d.term)).toEqual(['title', 'purpose', 'purposeCategory', 'retentionDays', 'consentValidDays', 'controller', 'controllerType', 'privacyNoticeUrl']);
    const byTerm = Object.fromEntries(diff.map((d) => [d.term, d]));
    expect(byTerm.purpose).toMatchObject({ before: { ja: 'ポイントを付与するため。' }, after: { ja: 'ポイントと特典を付与するため。', en: 'To give you points and offers.' } });
    expect(byTerm.purposeCategory).toMatchObject({ before: { ja: 'ポイント・特典の付与' }, after: { ja: '利用状況の分析', en: 'Analysing how the service is used' } });
    expect(byTerm.retentionDays).toMatchObject({ before: { ja: '365日', en: '365 days' }, after: { ja: '730日', en: '730 days' } });
    expect(byTerm.consentValidDays).toMatchObject({ before: { ja: '365日' }, after: { ja: '撤回するまで', en: 'Until withdrawn' } });
    expect(byTerm.controller).toMatchObject({ before: { ja: '運営事務局（privacy@example.jp）' }, after: { en: 'Tottori Prefecture (dx@pref.example.jp)' } });
    expect(byTerm.controllerType).toMatchObject({ before: { ja: '民間事業者' }, after: { ja: '行政機関等' } });
  });

  it('counts a new purpose code as a new purpose even when the words stay', () => {
    expect(termsDiff(agreed, { ...agreed, purposeCode: 'health-points-2' }, itemName)).toEqual([
      { term: 'purpose', before: { ja: agreed.purposeJa, en: agreed.purposeEn }, after: { ja: agreed.purposeJa, en: agreed.purposeEn } },
    ]);
  });

  it('reports a validity that becomes limited', () => {
    expect(termsDiff({ ...agreed, consentValidDays: null }, agreed, itemName)).toEqual([
      { term: 'consentValidDays', before: { ja: '撤回するまで', en: 'Until withdrawn' }, after: { ja: '365日', en: '365 days' } },
    ]);
  });
});
