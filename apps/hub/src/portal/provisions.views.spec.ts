import type { ProvisionView } from '@tsunagu/contracts';
import { provisionsPage } from './portal.views';

function provision(id: string, extra: Partial<ProvisionView>): ProvisionView {
  return {
    id, occurredAt: '2026-12-01T09:00:00.000Z',
    provider: { clientId: 'demo-misasa-health', name: { ja: '三朝温泉ヘルスケア', en: 'Misasa Health' } },
    consumer: { clientId: 'demo-cashless', name: { ja: 'キャッシュレス', en: 'Cashless' } },
    dataUse: 'cashless.health-points', items: ['misasa-health.daily-steps'],
    itemNames: [{ code: 'misasa-health.daily-steps', name: { ja: '1日ごとの歩数', en: 'Daily step counts' } }],
    purposeCode: 'health-points', consentId: 'c-1', consentVersion: 1, outcome: 'provided', ...extra,
  };
}

describe(provisionsPage.name, () => {
  it('says in words when the recipient has not confirmed receipt, and explains it, rather than hiding the entry', () => {
    const provisions = [provision('p-1', { receipt: 'unconfirmed' }), provision('p-2', { receipt: 'confirmed' }), provision('p-3', { receipt: 'pending' })];
    const ja = provisionsPage({ lang: 'ja', provisions }).value;
    expect(ja).toContain('data-provision="p-1" data-outcome="provided" data-receipt="unconfirmed"');
    expect(ja).toContain('提供されましたが、受け取りは確認できていません');
    expect(ja).toContain('提供されました（受け取りを確認中です）');
    expect(ja).toContain('data-testid="receipt-unconfirmed-hint"');
    const en = provisionsPage({ lang: 'en', provisions }).value;
    expect(en).toContain('Provided; receipt not confirmed');
    expect(en).toContain('Provided; confirming receipt');
    // Codes are for machines: not shown as words.
    expect(en).not.toMatch(/>\s*unconfirmed\s*</);
  });

  it('shows confirmed provisions and refusals as before, without the explanation', () => {
    const page = provisionsPage({ lang: 'ja', provisions: [provision('p-1', { receipt: 'confirmed' }), provision('p-2', { outcome: 'refused' })] }).value;
    expect(page).toContain('提供されました');
    expect(page).toContain('提供が拒否されました');
    expect(page).not.toContain('受け取りは確認できていません');
    expect(page).not.toContain('receipt-unconfirmed-hint');
  });
});
