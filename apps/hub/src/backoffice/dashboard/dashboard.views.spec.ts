import type { AdminPrincipal } from '../../platform/access/admin-principal';
import type { DashboardFigures } from './dashboard.service';
import { dashboardPage } from './dashboard.views';

const principal: AdminPrincipal = {
  sessionId: 's', adminId: 'a', loginId: 'admin-misasa', displayName: '管理者', kind: 'tenant', csrf: 'c', clientIp: '127.0.0.1',
  tenant: { id: 't', code: 'misasa', nameJa: '三朝町', nameEn: 'Misasa' },
};
const figures: DashboardFigures = {
  days: 7,
  summary: { services: 1, connectors: 0, connectorsPending: 0, permissions: 0, agreementsPending: 0, offers: 0, dataUses: 0, activeConsents: 0 },
  activeConsents: [], decisions: [], health: [], permissions: [],
  exchanges: [{ day: '2026-12-01', provided: 2, refused: 11 }],
  refusals: [{ reason: 'consent_withdrawn', count: 6 }, { reason: 'permission_denied', count: 3 }, { reason: 'no_such_code', count: 1 }, { reason: null, count: 1 }],
};

/** The text a person reads first: every 「詳細」 disclosure, script and tag (with its attributes) taken out. */
const outsideDetails = (page: string) => page.replace(/<details class="support">[\s\S]*?<\/details>/g, '').replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]*>/g, '');

describe('dashboardPage', () => {
  const page = dashboardPage({ lang: 'ja', principal, figures }).value;
  const section = page.slice(page.indexOf('data-figure="chart-refusals"'), page.indexOf('data-figure="chart-health"'));

  it('shows each refusal reason in words, the code only under 「詳細」', () => {
    expect(section).toContain('本人が同意を撤回しています。');
    expect(section).toContain('このサービスにはこのデータを要求する権限がありません。');
    expect(section).toContain('提供元のコネクタが提供を断りました');
    expect(section).toContain('その他の理由');
    expect(section).toMatch(/<details class="support"><summary>詳細<\/summary><p>コード: <span class="mono" data-code>consent_withdrawn<\/span>/);
    for (const code of ['consent_withdrawn', 'permission_denied', 'no_such_code']) expect(outsideDetails(section)).not.toContain(code);
  });

  it('labels the refusal chart with the same words', () => {
    const data = JSON.parse(page.match(/id="dashboard-data">([^<]*)</)![1]);
    expect(data.charts.find((c: { id: string }) => c.id === 'chart-refusals').labels).toEqual([
      '本人が同意を撤回しています。', 'このサービスにはこのデータを要求する権限がありません。', 'その他の理由', expect.stringContaining('提供元のコネクタ'),
    ]);
  });

  it('shows the refused count of each day', () => {
    expect(page).toMatch(/<tr data-day="2026-12-01"><td data-label="日付"><div>2026-12-01<\/div><\/td><td class="num" data-label="提供"><div>2<\/div><\/td><td class="num" data-label="拒否"><div>11<\/div><\/td><\/tr>/);
  });
});
