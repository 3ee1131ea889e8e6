import { html, type Lang, page, type SafeHtml } from '@tsunagu/web';

export const scopeLabels: Record<string, { ja: string; en: string }> = {
  openid: { ja: 'あなたを識別する番号（サービスごとに異なる番号です）', en: 'An identifier for you (different for every service)' },
  profile: { ja: 'お名前（表示名）', en: 'Your name (display name)' },
  offline_access: { ja: 'ログアウト後もサービスが連携を続けること', en: 'Keeping the connection while you are away' },
};

const t = {
  loginTitle: { ja: 'Tottori ID でログイン', en: 'Sign in with Tottori ID' },
  loginLead: { ja: 'が Tottori ID でのログインを求めています。', en: ' asks you to sign in with your Tottori ID.' },
  loginId: { ja: 'ログインID', en: 'Login ID' },
  password: { ja: 'パスワード', en: 'Password' },
  signIn: { ja: 'ログイン', en: 'Sign in' },
  cancel: { ja: 'キャンセル', en: 'Cancel' },
  noAccount: { ja: 'Tottori ID をお持ちでない方', en: "Don't have a Tottori ID?" },
  register: { ja: '新規登録', en: 'Create an account' },
  consentTitle: { ja: '情報提供の確認', en: 'Allow access' },
  consentLead: { ja: 'に次の情報を提供します。よろしいですか？', en: ' will receive the following. Do you allow it?' },
  allow: { ja: '許可する', en: 'Allow' },
  deny: { ja: '許可しない', en: 'Deny' },
  consentNote: { ja: '許可した内容は、ポータルの「連携サービス」からいつでも確認・解除できます。', en: 'You can review or remove this at any time under "Linked services" in the portal.' },
  registerTitle: { ja: 'Tottori ID の新規登録', en: 'Create a Tottori ID' },
  displayName: { ja: 'お名前（表示名）', en: 'Name (display name)' },
  loginIdHint: { ja: '半角英数字と . _ - @ で4〜64文字', en: '4–64 characters: letters, digits, . _ - @' },
  passwordHint: { ja: '10文字以上。ログインIDを含めないでください。', en: 'At least 10 characters, not containing the login ID.' },
  create: { ja: '登録してログイン', en: 'Create and sign in' },
  back: { ja: 'ログイン画面に戻る', en: 'Back to sign-in' },
};

function errorBox(message?: string): SafeHtml | '' {
  return message ? html`<div class="alert" role="alert" id="form-error">${message}</div>` : '';
}

export function loginPage(p: { lang: Lang; uid: string; clientName: string; error?: string; loginId?: string }): SafeHtml {
  const { lang } = p;
  return page({
    lang, title: t.loginTitle[lang], path: `/interaction/${p.uid}`,
    body: html`<h1>${t.loginTitle[lang]}</h1>
<p><strong>${p.clientName}</strong>${t.loginLead[lang]}</p>
${errorBox(p.error)}
<form method="post" action="/interaction/${p.uid}/login" novalidate>
<label for="loginId">${t.loginId[lang]}</label>
<input type="text" id="loginId" name="loginId" autocomplete="username" autocapitalize="none" required value="${p.loginId ?? ''}" ${p.error ? html`aria-describedby="form-error"` : ''} autofocus>
<label for="password">${t.password[lang]}</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<div class="actions"><button class="button" type="submit">${t.signIn[lang]}</button></div>
</form>
<form method="post" action="/interaction/${p.uid}/abort"><button class="button secondary" type="submit">${t.cancel[lang]}</button></form>
<h2>${t.noAccount[lang]}</h2>
<p><a href="/interaction/${p.uid}/register">${t.register[lang]}</a></p>`,
  });
}

export function consentPage(p: { lang: Lang; uid: string; clientName: string; scopes: string[] }): SafeHtml {
  const { lang } = p;
  return page({
    lang, title: t.consentTitle[lang], path: `/interaction/${p.uid}`,
    body: html`<h1>${t.consentTitle[lang]}</h1>
<p><strong>${p.clientName}</strong>${t.consentLead[lang]}</p>
<ul class="scopes">${p.scopes.map((s) => html`<li>${scopeLabels[s]?.[lang] ?? s}</li>`)}</ul>
<p class="hint">${t.consentNote[lang]}</p>
<div class="actions">
<form method="post" action="/interaction/${p.uid}/confirm"><button class="button" type="submit" autofocus>${t.allow[lang]}</button></form>
<form method="post" action="/interaction/${p.uid}/abort"><button class="button secondary" type="submit">${t.deny[lang]}</button></form>
</div>`,
  });
}

export function registerPage(p: { lang: Lang; uid: string; error?: string; values?: { loginId?: string; displayName?: string } }): SafeHtml {
  const { lang } = p;
  return page({
    lang, title: t.registerTitle[lang], path: `/interaction/${p.uid}/register`,
    body: html`<h1>${t.registerTitle[lang]}</h1>
${errorBox(p.error)}
<form method="post" action="/interaction/${p.uid}/register" novalidate>
<label for="displayName">${t.displayName[lang]}</label>
<input type="text" id="displayName" name="displayName" autocomplete="name" required maxlength="64" value="${p.values?.displayName ?? ''}">
<label for="loginId">${t.loginId[lang]}</label>
<p class="hint" id="loginId-hint">${t.loginIdHint[lang]}</p>
<input type="text" id="loginId" name="loginId" autocomplete="username" autocapitalize="none" required aria-describedby="loginId-hint" value="${p.values?.loginId ?? ''}">
<label for="password">${t.password[lang]}</label>
<p class="hint" id="password-hint">${t.passwordHint[lang]}</p>
<input type="password" id="password" name="password" autocomplete="new-password" required minlength="10" aria-describedby="password-hint">
<div class="actions"><button class="button" type="submit">${t.create[lang]}</button></div>
</form>
<p><a href="/interaction/${p.uid}">${t.back[lang]}</a></p>`,
  });
}
