import { html, type Lang, page, type SafeHtml } from '@tsunagu/web';

const t = {
  title: { ja: 'マイナンバーカードで本人確認', en: 'Verify your identity with the My Number card' },
  lead: { ja: 'マイナンバーカードの署名用電子証明書で、Tottori ID があなたご本人のものであることを確認します。確認が済むと、本人確認が必要なサービスを利用できます。', en: 'The signature certificate of your My Number card confirms that this Tottori ID is yours. Services that need a confirmed identity then accept it.' },
  kept: { ja: '保存する情報：確認した日時と証明書の有効期限、同じカードで別のアカウントを確認できないようにするための識別値のみです。氏名・住所などの情報は保存しません。', en: 'What we keep: the time of the check, the certificate expiry and a keyed identifier that stops one card from verifying two accounts. Your name, address and other attributes are not stored.' },
  verified: { ja: '本人確認済みです', en: 'Your identity is verified' },
  verifiedAt: { ja: '確認日時', en: 'Verified at' },
  notVerified: { ja: 'まだ本人確認をしていません', en: 'Not verified yet' },
  howTo: { ja: 'スマートフォンの対応アプリでマイナンバーカードを読み取り、署名用電子証明書のパスワード（英数字6〜16文字）を入力してください。', en: 'Read your My Number card with a supported app on your phone and enter the signature certificate password (6–16 letters and digits).' },
  testTitle: { ja: '開発用：テスト用カード', en: 'Development: test card' },
  testWarning: { ja: 'これはテスト専用の機能です。本番環境では使用できません。テスト用の認証局が発行したカードで署名します。', en: 'For testing only, never available in production. A card issued by the test CA signs the challenge.' },
  testButton: { ja: 'テスト用カードで本人確認する', en: 'Verify with the test card' },
  done: { ja: '本人確認が完了しました。', en: 'Your identity has been verified.' },
  back: { ja: 'マイページに戻る', en: 'Back to my account' },
};

export function verifyPage(p: { lang: Lang; verifiedAt: Date | null; testCard: boolean; csrf: string; notice?: string; error?: string }): SafeHtml {
  const { lang } = p;
  const fmt = new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' });
  return page({
    lang, title: t.title[lang], path: '/account/verify',
    body: html`<h1>${t.title[lang]}</h1>
${p.notice ? html`<div class="notice" role="status">${p.notice}</div>` : ''}
${p.error ? html`<div class="alert" role="alert">${p.error}</div>` : ''}
<div class="card" data-testid="verification-status">
${p.verifiedAt ? html`<p><strong>${t.verified[lang]}</strong></p><p>${t.verifiedAt[lang]}: ${fmt.format(p.verifiedAt)}</p>` : html`<p><strong>${t.notVerified[lang]}</strong></p>`}
</div>
<p>${t.lead[lang]}</p>
<p class="hint">${t.kept[lang]}</p>
<p>${t.howTo[lang]}</p>
${p.testCard ? html`<section class="card" style="border:3px dashed #ce0000" aria-labelledby="test-card-title">
<h2 id="test-card-title">${t.testTitle[lang]}</h2>
<p class="alert">${t.testWarning[lang]}</p>
<form method="post" action="/account/verify/test-card"><input type="hidden" name="csrf" value="${p.csrf}">
<button class="button" type="submit">${t.testButton[lang]}</button></form>
</section>` : ''}
<p><a href="/account">${t.back[lang]}</a></p>`,
  });
}

export const verifyText = t;
