/**
 * The hub's two mails, Japanese first with the English below (a resident may read either).
 * Plain text: the link must reach the resident as it is, in any mail client.
 */
export function recoveryMail(kind: 'verify' | 'reset', lang: 'ja' | 'en', link: string, ttlSeconds: number): { subject: string; text: string } {
  const minutes = Math.round(ttlSeconds / 60);
  const ja = kind === 'verify'
    ? `Tsunagu（鳥取県パーソナル系データ連携基盤）のアカウントに、このメールアドレスが登録されました。\n\n次のリンクを開き、「確認する」を押すと登録が完了します（有効期限 ${hoursOrMinutes('ja', minutes)}、1回だけ使えます）。\n\n${link}\n\nお心当たりがない場合は、このメールを破棄してください。アドレスは登録されません。`
    : `Tsunagu（鳥取県パーソナル系データ連携基盤）のパスワード再設定の依頼を受け付けました。\n\n次のリンクを開き、ログインIDと新しいパスワードを入力してください（有効期限 ${hoursOrMinutes('ja', minutes)}、1回だけ使えます）。再設定すると、すべての端末とサービスからログアウトされます。\n\n${link}\n\nお心当たりがない場合は、このメールを破棄してください。パスワードは変わりません。`;
  const en = kind === 'verify'
    ? `This e-mail address was added to a Tsunagu account (Tottori Prefecture).\n\nOpen the link below and press "Confirm" to finish (valid for ${hoursOrMinutes('en', minutes)}, once only).\n\n${link}\n\nIf this was not you, ignore this mail: the address will not be added.`
    : `We received a request to reset the password of a Tsunagu account (Tottori Prefecture).\n\nOpen the link below and enter your login ID and a new password (valid for ${hoursOrMinutes('en', minutes)}, once only). Resetting signs you out of every device and service.\n\n${link}\n\nIf this was not you, ignore this mail: your password does not change.`;
  const subject = kind === 'verify' ? '【Tsunagu】メールアドレスの確認 / Confirm your e-mail address' : '【Tsunagu】パスワードの再設定 / Reset your password';
  return { subject, text: lang === 'en' ? `${en}\n\n----\n\n${ja}\n` : `${ja}\n\n----\n\n${en}\n` };
}

function hoursOrMinutes(lang: 'ja' | 'en', minutes: number): string {
  if (minutes >= 60 && minutes % 60 === 0) return lang === 'ja' ? `${minutes / 60}時間` : `${minutes / 60} hour${minutes === 60 ? '' : 's'}`;
  return lang === 'ja' ? `${minutes}分` : `${minutes} minutes`;
}
