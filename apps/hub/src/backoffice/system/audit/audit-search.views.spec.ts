import { auditDetails } from './audit-search.views';

describe('auditDetails', () => {
  const row = {
    type: 'admin.change', reason: null,
    details: { action: 'connector.revoke', name: 'dev-connector', from: 'approved', to: 'revoked', reason: 'key leaked', publicKeysChanged: true, redirectUris: ['https://a.example.jp/cb', 'https://b.example.jp/cb'], changed: { dashboardDays: { from: 30, to: 14 } } },
  };
  const text = auditDetails('ja', row).value;
  const [shown, folded] = text.split('<details class="support">');

  it('lists the recorded facts with their names and values in words', () => {
    expect(shown).toContain('<dt>操作</dt><dd>コネクタの失効</dd>');
    expect(shown).toContain('<dt>名前</dt><dd>dev-connector</dd>');
    expect(shown).toContain('<dt>変更前</dt><dd>承認済み</dd>');
    expect(shown).toContain('<dt>公開鍵の変更</dt><dd>はい</dd>');
    expect(shown).toContain('<dd>https://a.example.jp/cb, https://b.example.jp/cb</dd>');
    expect(shown).toContain('<dt>変更した設定</dt><dd>ダッシュボードの集計期間（日）: 30 → 14</dd>');
    expect(shown).not.toContain('{');
    expect(shown).not.toContain('connector.revoke');
  });

  it('keeps the codes and the raw JSON under 「詳細」', () => {
    expect(folded).toContain('<summary>詳細</summary>');
    expect(folded).toContain('<dd class="mono">admin.change</dd>');
    expect(folded).toContain('<dd class="mono">connector.revoke</dd>');
    expect(folded).toContain('<pre>{\n  &quot;action&quot;: &quot;connector.revoke&quot;');
  });

  it('says so when an event recorded no details', () => {
    expect(auditDetails('en', { type: 'auth.sign_in', reason: null, details: {} }).value).toContain('No details recorded.');
  });
});
