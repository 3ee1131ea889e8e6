import type { Request, Response } from 'express';
import { acrLabel, amrLabel } from '@tsunagu/contracts';
import { html, page, pickLang, raw, supportDetails as detailsFold, t, type Lang, type Msg, type SafeHtml } from '@tsunagu/web';
import { inSentence, type DemoProfile } from '../demo-profile';
import type { LinkProblem } from '../linking/link.service';

/** What every demo screen needs: language, its own path (for the language switch), the service. */
export interface ViewContext {
  lang: Lang;
  path: string;
  profile: DemoProfile;
}

export function viewContext(req: Request, profile: DemoProfile, path = req.path): ViewContext {
  return { lang: pickLang(req), path, profile };
}

/** Appends `lang=en` to an in-app link when the screen is in English (Japanese is the default). */
export function withLang(path: string, lang: Lang): string {
  return lang === 'en' ? `${path}${path.includes('?') ? '&' : '?'}lang=en` : path;
}

/** Styles the demo screens add to the shared stylesheet (big sign-in button, form errors, bars). */
const demoCss = `
.hero{display:block;width:100%;font-size:1.125rem;padding:1rem 1.5rem;margin:1.5rem 0}
.hero small{display:block;font-weight:400;font-size:.875rem}
.field-error{color:var(--red-900);font-weight:700;margin:.25rem 0}
input[aria-invalid=true]{border:2px solid var(--red-900)}
.alert ul{margin:.25rem 0;padding-left:1.25rem}
.alert .en{display:block;font-size:.875rem;color:var(--grey-600)}
.stat{font-size:2rem;font-weight:700;line-height:1.2}
.stat small{font-size:1rem;font-weight:400}
.kv{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
.kv dt{font-weight:700}.kv dd{margin:0;overflow-wrap:anywhere}
.bar{background:var(--blue-50);border-radius:4px;height:1rem;min-width:2px}
.bar>span{display:block;height:100%;background:var(--blue-900);border-radius:4px}
td.num,th.num{text-align:right;white-space:nowrap}
.table-wrap{overflow-x:auto}
.tag{display:inline-block;font-size:.75rem;padding:0 .5rem;border-radius:1rem;background:var(--blue-50);color:var(--blue-1000);white-space:nowrap}
form.inline{display:inline}
details{margin:1rem 0}summary{cursor:pointer;color:var(--blue-1000)}
details.support{margin:.5rem 0 0;font-size:.875rem}details.support .kv{margin-top:.25rem}
.result{scroll-margin-top:1rem}
`;

/** The shared shell (libs/web `page`) with the demo styles and the service's name as brand. */
export function demoPage(ctx: ViewContext, title: Msg, body: SafeHtml): SafeHtml {
  const shell = page({
    lang: ctx.lang,
    title: t(ctx.lang, title),
    brand: t(ctx.lang, ctx.profile.brand),
    path: ctx.path,
    body,
    footer: html`${ctx.lang === 'ja' ? '鳥取県 パーソナル系データ連携基盤 Tsunagu のデモ用サービスです。実在のサービスではありません。'
      : 'A demo service of Tsunagu, the personal-data linkage platform of Tottori prefecture. Not a real service.'}
<a href="${withLang('/privacy', ctx.lang)}">${t(ctx.lang, { ja: 'プライバシーポリシー', en: 'Privacy notice' })}</a>`,
  });
  return raw(shell.value.replace('</head>', `<style>${demoCss}</style>\n</head>`));
}

/** Sends a page; every demo page may carry personal data or a CSRF token, so nothing is cached. */
export function sendHtml(res: Response, status: number, body: SafeHtml): void {
  res.status(status).type('html').setHeader('cache-control', 'no-store').send(body.value);
}

export function logoutForm(ctx: ViewContext, csrf: string, label?: Msg): SafeHtml {
  return html`<form method="post" action="${withLang('/auth/logout', ctx.lang)}" class="inline">
<input type="hidden" name="_csrf" value="${csrf}">
<button type="submit" class="button secondary">${t(ctx.lang, label ?? { ja: 'ログアウト', en: 'Sign out' })}</button>
</form>`;
}

function loginButton(ctx: ViewContext): SafeHtml {
  return html`<a class="button hero" href="${withLang('/auth/login', ctx.lang)}">${t(ctx.lang, { ja: 'Tottori ID でログイン', en: 'Sign in with Tottori ID' })}
<small>${t(ctx.lang, { ja: '鳥取県の共通ログイン（連携基盤 Tsunagu）', en: 'The common sign-in of Tottori prefecture (Tsunagu)' })}</small></a>`;
}

export interface HomeState {
  residentName?: string;
  localId?: string;
  /** Signed in with the hub, local account not linked yet. */
  linkPending: boolean;
  csrf?: string;
}

export function homeView(ctx: ViewContext, state: HomeState): SafeHtml {
  const { lang, profile } = ctx;
  const who = state.residentName ? `${state.residentName} ${lang === 'ja' ? 'さん' : ''}`.trim() : undefined;
  let panel: SafeHtml;
  if (state.localId && state.csrf) {
    panel = html`<div class="notice" role="status">${lang === 'ja'
      ? html`${who ?? ''}（${t(lang, profile.localIdLabel)} <span class="mono">${state.localId}</span>）でログインしています。`
      : html`Signed in${who ? html` as ${who}` : ''} (${inSentence(profile.localIdLabel.en)} <span class="mono">${state.localId}</span>).`}</div>
<div class="actions"><a class="button" href="${withLang('/member', lang)}">${t(lang, { ja: 'マイページへ', en: 'Go to my page' })}</a>${logoutForm(ctx, state.csrf)}</div>`;
  } else if (state.linkPending && state.csrf) {
    panel = html`<div class="notice" role="status">${t(lang, {
      ja: 'Tottori ID でログインしました。このサービスのアカウントとの連携を完了してください。',
      en: 'You are signed in with Tottori ID. Please finish linking your account of this service.',
    })}</div>
<div class="actions"><a class="button" href="${withLang('/link', lang)}">${t(lang, { ja: '連携に進む', en: 'Continue linking' })}</a>${logoutForm(ctx, state.csrf)}</div>`;
  } else {
    panel = html`${loginButton(ctx)}
<p class="hint">${t(lang, {
      ja: 'はじめての方は、ログインのあとで、このサービスの' + profile.localIdLabel.ja + 'と PIN を入力して連携します。',
      en: `The first time, after signing in you link your ${inSentence(profile.localIdLabel.en)} and PIN of this service.`,
    })}</p>`;
  }
  return demoPage(ctx, profile.brand, html`<h1>${t(lang, profile.brand)}</h1>
<p>${t(lang, profile.description)}</p>
${panel}
<h2>${t(lang, { ja: 'このサービスでできること', en: 'What you can do here' })}</h2>
<ul>${profile.features.map((f) => html`<li>${t(lang, f)}</li>`)}</ul>`);
}

export interface LinkFormState {
  residentName?: string;
  localId: string;
  problems: LinkProblem[];
  csrf: string;
  signInAgain?: boolean;
  showDemoAccounts: boolean;
}

function problemList(lang: Lang, problems: LinkProblem[]): SafeHtml {
  if (!problems.length) return html``;
  const other: Lang = lang === 'ja' ? 'en' : 'ja';
  return html`<div class="alert" role="alert" id="form-errors"><strong>${t(lang, { ja: '連携できませんでした。', en: 'The account could not be linked.' })}</strong>
<ul>${problems.map((p) => html`<li data-code="${p.code}">${t(lang, p.message)}<span class="en" lang="${other}">${t(other, p.message)}</span></li>`)}</ul></div>`;
}

export function linkView(ctx: ViewContext, state: LinkFormState): SafeHtml {
  const { lang, profile } = ctx;
  const label = t(lang, profile.localIdLabel);
  const fieldProblem = (field: 'localId' | 'pin') => state.problems.find((p) => p.field === field);
  const localIdProblem = fieldProblem('localId');
  const pinProblem = fieldProblem('pin');
  const title: Msg = { ja: 'Tottori ID との連携', en: 'Link with Tottori ID' };
  const greeting = state.residentName
    ? t(lang, { ja: `${state.residentName} さん、Tottori ID でのログインを確認しました。`, en: `Welcome, ${state.residentName}. Your Tottori ID sign-in is confirmed.` })
    : t(lang, { ja: 'Tottori ID でのログインを確認しました。', en: 'Your Tottori ID sign-in is confirmed.' });
  return demoPage(ctx, title, html`<h1>${t(lang, title)}</h1>
<p>${greeting}</p>
<p>${t(lang, {
    ja: `このサービスのアカウントと連携するため、${profile.localIdLabel.ja}と PIN（4 桁）を入力してください。連携は最初の 1 回だけです。`,
    en: `To link your account of this service, enter your ${inSentence(profile.localIdLabel.en)} and 4-digit PIN. You do this only once.`,
  })}</p>
${problemList(lang, state.problems)}
${state.signInAgain ? html`<div class="actions"><a class="button" href="${withLang('/auth/login', lang)}">${t(lang, { ja: 'もう一度ログイン', en: 'Sign in again' })}</a></div>` : ''}
<form method="post" action="${withLang('/link', lang)}" novalidate>
<input type="hidden" name="_csrf" value="${state.csrf}">
<label for="localId">${label}</label>
<p class="hint" id="localId-hint">${t(lang, { ja: `例: ${profile.localIdExample}`, en: `e.g. ${profile.localIdExample}` })}</p>
${localIdProblem ? html`<p class="field-error" id="localId-error">${t(lang, localIdProblem.message)}</p>` : ''}
<input type="text" id="localId" name="localId" value="${state.localId}" maxlength="32" autocomplete="username" autocapitalize="characters" spellcheck="false" required
 aria-describedby="localId-hint${localIdProblem ? ' localId-error' : ''}"${raw(localIdProblem ? ' aria-invalid="true"' : '')}>
<label for="pin">PIN</label>
<p class="hint" id="pin-hint">${t(lang, { ja: '4 桁の数字。5 回続けて間違えると 15 分間連携できなくなります。', en: '4 digits. After 5 wrong attempts in a row, linking is locked for 15 minutes.' })}</p>
${pinProblem ? html`<p class="field-error" id="pin-error">${t(lang, pinProblem.message)}</p>` : ''}
<input type="password" id="pin" name="pin" inputmode="numeric" maxlength="4" autocomplete="off" required
 aria-describedby="pin-hint${pinProblem ? ' pin-error' : ''}"${raw(pinProblem ? ' aria-invalid="true"' : '')}>
<div class="actions"><button type="submit" class="button">${t(lang, { ja: '連携する', en: 'Link my account' })}</button></div>
</form>
<div class="actions">${logoutForm(ctx, state.csrf, { ja: '連携せずにログアウト', en: 'Sign out without linking' })}</div>
${state.showDemoAccounts ? html`<details><summary>${t(lang, { ja: 'デモ用のアカウント', en: 'Demo accounts' })}</summary>
<div class="table-wrap"><table><thead><tr><th>${label}</th><th>PIN</th><th>${t(lang, { ja: '氏名', en: 'Name' })}</th></tr></thead>
<tbody>${profile.demoAccounts.map((a) => html`<tr><td class="mono">${a.localId}</td><td class="mono">${a.pin}</td><td>${a.name}</td></tr>`)}</tbody></table></div></details>` : ''}`);
}

export interface ErrorViewOptions {
  status: number;
  code: string;
  correlationId?: string;
  signInAgain?: boolean;
}

export function errorView(ctx: ViewContext, message: Msg, options: ErrorViewOptions): SafeHtml {
  const { lang } = ctx;
  const other: Lang = lang === 'ja' ? 'en' : 'ja';
  const title: Msg = options.status >= 500
    ? { ja: 'ただいま処理できません', en: 'Service temporarily unavailable' }
    : options.status === 404 ? { ja: 'ページが見つかりません', en: 'Page not found' } : { ja: '処理できませんでした', en: 'The request could not be completed' };
  return demoPage(ctx, title, html`<h1>${t(lang, title)}</h1>
<div class="alert" role="alert" data-code="${options.code}"><p>${t(lang, message)}</p><p class="en" lang="${other}">${t(other, message)}</p></div>
${options.correlationId ? html`<p class="hint">${t(lang, { ja: 'お問い合わせ番号', en: 'Reference' })}: <span class="mono">${options.correlationId}</span></p>` : ''}
<div class="actions">${options.signInAgain ? html`<a class="button" href="${withLang('/auth/login', lang)}">${t(lang, { ja: 'もう一度ログイン', en: 'Sign in again' })}</a>` : ''}
<a class="button secondary" href="${withLang('/', lang)}">${t(lang, { ja: 'トップページへ', en: 'Back to the start page' })}</a></div>`);
}

/** A small 「詳細」 disclosure with what support asks for: the code and the reference, never shown otherwise. */
export function supportDetails(ctx: ViewContext, rows: { label: Msg; value: string }[]): SafeHtml {
  const { lang } = ctx;
  if (!rows.length) return html``;
  return detailsFold(lang, html`<dl class="kv">${rows.map((r) => html`<dt>${t(lang, r.label)}</dt><dd class="mono">${r.value}</dd>`)}</dl>`);
}

/**
 * The "signed in with Tottori ID" card of a member page: how the resident signed in, in words
 * (labels of libs/contracts), the `acr`/`amr` codes only in 「詳細」, and sign-out.
 */
export function tottoriIdCard(ctx: ViewContext, resident: { name?: string; acr?: string; amr?: string[] }, csrf: string): SafeHtml {
  const { lang } = ctx;
  const methods = [...new Set((resident.amr ?? []).map((m) => t(lang, amrLabel(m))))];
  return html`<section class="card" aria-labelledby="tottori-id">
<h2 id="tottori-id">Tottori ID</h2>
<dl class="kv">
<dt>${t(lang, { ja: '連携状態', en: 'Link' })}</dt><dd>${t(lang, { ja: '連携済み', en: 'Linked' })}</dd>
${resident.acr ? html`<dt>${t(lang, { ja: '認証レベル', en: 'Assurance level' })}</dt><dd data-testid="assurance-level">${t(lang, acrLabel(resident.acr))}</dd>` : ''}
${methods.length ? html`<dt>${t(lang, { ja: '認証方法', en: 'Sign-in methods' })}</dt><dd data-testid="sign-in-methods">${methods.join(lang === 'ja' ? '、' : ', ')}</dd>` : ''}
</dl>
${supportDetails(ctx, [
    ...(resident.acr ? [{ label: { ja: '認証レベル（acr）', en: 'Assurance level (acr)' }, value: resident.acr }] : []),
    ...(resident.amr?.length ? [{ label: { ja: '認証方法（amr）', en: 'Sign-in methods (amr)' }, value: resident.amr.join(', ') }] : []),
  ])}
<div class="actions">${logoutForm(ctx, csrf)}</div>
</section>`;
}

/**
 * The page after the resident pressed 「許可しない」 at the hub: a normal outcome, not an error. The
 * service is signed out, nothing was shared, and the resident can try again.
 */
export function signInDeclinedView(ctx: ViewContext, reason: 'denied' | 'verification_required' = 'denied'): SafeHtml {
  const { lang, profile } = ctx;
  const title: Msg = { ja: 'ログインを中止しました', en: 'You did not sign in' };
  if (reason === 'verification_required') {
    return demoPage(ctx, title, html`<h1>${t(lang, title)}</h1>
<div class="notice" role="status" data-testid="sign-in-declined" data-reason="verification_required"><p>${t(lang, {
      ja: `${profile.brand.ja}はマイナンバーカードで本人確認済みの Tottori ID を求めていますが、本人確認が行われなかったため、ログインしていません。あなたの情報は何も提供されていません。`,
      en: `${profile.brand.en} asks for a Tottori ID verified with the My Number card; as the verification was not done, you are not signed in, and nothing about you was shared.`,
    })}</p></div>
<p>${t(lang, {
      ja: 'もう一度ログインし、Tottori ID の画面で「本人確認へ進む」を選んでください。',
      en: 'Sign in again and choose "Verify my identity" at Tottori ID.',
    })}</p>
${loginButton(ctx)}
<div class="actions"><a class="button secondary" href="${withLang('/', lang)}">${t(lang, { ja: 'トップページへ', en: 'Back to the start page' })}</a></div>`);
  }
  return demoPage(ctx, title, html`<h1>${t(lang, title)}</h1>
<div class="notice" role="status" data-testid="sign-in-declined"><p>${t(lang, {
    ja: `Tottori ID の画面で「許可しない」を選んだため、${profile.brand.ja}にはあなたの情報は何も提供されていません。ログインもしていません。`,
    en: `You chose "Deny" at Tottori ID, so nothing about you was shared with ${profile.brand.en}, and you are not signed in.`,
  })}</p></div>
<p>${t(lang, {
    ja: 'このサービスを使うには、もう一度ログインし、Tottori ID の画面で「許可する」を選んでください。',
    en: 'To use this service, sign in again and choose "Allow" at Tottori ID.',
  })}</p>
${loginButton(ctx)}
<div class="actions"><a class="button secondary" href="${withLang('/', lang)}">${t(lang, { ja: 'トップページへ', en: 'Back to the start page' })}</a></div>`);
}

/**
 * The service's privacy notice (`/privacy`), the page the hub's data uses name as their privacy
 * notice: who is responsible, what the service holds, what it receives and provides through
 * Tsunagu and only under consent, and where residents review or withdraw their consents.
 */
export function privacyView(ctx: ViewContext, hubUrl: string): SafeHtml {
  const { lang, profile } = ctx;
  const notice = profile.privacy;
  const hub = hubUrl.replace(/\/+$/, '');
  const title: Msg = { ja: 'プライバシーポリシー', en: 'Privacy notice' };
  return demoPage(ctx, title, html`<h1>${t(lang, title)}</h1>
<p>${t(lang, { ja: `${profile.brand.ja}における個人情報の取扱いについて説明します。`, en: `How ${profile.brand.en} handles your personal data.` })}</p>
<div class="notice" role="note">${t(lang, { ja: 'これはデモ用のサービスです。実在のサービスではなく、実在の個人情報は取り扱いません。', en: 'This is a demo service: not a real service, and it handles no real personal data.' })}</div>
<h2>${t(lang, { ja: '個人情報の取扱責任者', en: 'Who is responsible' })}</h2>
<p data-testid="privacy-controller">${t(lang, notice.controller)}</p>
<h2>${t(lang, { ja: 'このサービスが保有する情報', en: 'What this service holds' })}</h2>
<p>${t(lang, notice.holds)}</p>
<h2>${t(lang, { ja: 'Tottori ID を通じて受け取る情報', en: 'What this service receives through Tottori ID' })}</h2>
<p>${t(lang, {
    ja: '他のサービスの情報は、あなたが Tottori ID ポータルで同意した場合に、同意した項目だけを受け取ります。同意はいつでも撤回でき、撤回後は受け取りません。',
    en: 'Data of another service is received only when you consented on the Tottori ID portal, and only the items you consented to. You can withdraw at any time; nothing is received afterwards.',
  })}</p>
${notice.receives.map((r) => html`<section class="card" aria-label="${t(lang, r.title)}">
<h3>${t(lang, r.title)}</h3>
<dl class="kv">
<dt>${t(lang, { ja: '項目', en: 'Items' })}</dt><dd>${t(lang, r.items)}</dd>
<dt>${t(lang, { ja: '利用目的', en: 'Purpose' })}</dt><dd>${t(lang, r.purpose)}</dd>
<dt>${t(lang, { ja: '保存期間', en: 'Retention' })}</dt><dd>${t(lang, r.retention)}</dd>
</dl>
<p><a href="${withLang(`${hub}/portal/data-uses/${encodeURIComponent(r.dataUse)}`, lang)}">${t(lang, { ja: 'Tottori ID ポータルで同意を確認・変更・撤回する', en: 'Review, change or withdraw your consent on the Tottori ID portal' })}</a></p>
</section>`)}
<h2>${t(lang, { ja: 'Tottori ID を通じて他のサービスに提供する情報', en: 'What this service provides to others through Tottori ID' })}</h2>
<p>${t(lang, notice.provides)}</p>
<p>${t(lang, {
    ja: 'どのサービスにいつ何が提供されたかは、Tottori ID ポータルの「提供記録」で確認できます。',
    en: 'What was provided to which service, and when, is listed under "Who received my data" on the Tottori ID portal.',
  })} <a href="${withLang(`${hub}/portal/provisions`, lang)}">${t(lang, { ja: '提供記録を見る', en: 'See the provision records' })}</a></p>
<h2>${t(lang, { ja: 'お問い合わせ', en: 'Contact' })}</h2>
<p>${t(lang, notice.controller)}: <a href="mailto:${notice.contact}" data-testid="privacy-contact">${notice.contact}</a></p>
<div class="actions"><a class="button secondary" href="${withLang('/', lang)}">${t(lang, { ja: 'トップページへ', en: 'Back to the start page' })}</a></div>`);
}

export function formatNumber(value: number, lang: Lang): string {
  return value.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-US');
}
