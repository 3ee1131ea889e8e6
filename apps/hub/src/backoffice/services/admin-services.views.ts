import { SERVICE_AUTH_METHODS } from '@tsunagu/contracts';
import { html, type Lang, type SafeHtml } from '@tsunagu/web';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { adminPage, csrfField, formatDate, name } from '../web/admin.layout';
import type { AdminServiceListRow, AdminServiceRow } from './admin-services.repository';
import type { ServiceDetail } from './admin-services.service';
import { usesSecret } from './service-settings';

export const serviceText = {
  title: { ja: 'サービス', en: 'Services' },
  lead: { ja: 'このテナントのサービス（Tottori ID でログインする連携サービス）を登録・参照・変更・削除します。', en: 'Register, view, change and delete this tenant\'s services (relying parties that sign residents in with Tottori ID).' },
  add: { ja: 'サービスを登録', en: 'Register a service' },
  newTitle: { ja: 'サービスの登録', en: 'Register a service' },
  editTitle: { ja: 'サービスの変更', en: 'Change the service' },
  name: { ja: 'サービス名', en: 'Service name' },
  nameJa: { ja: 'サービス名（日本語）', en: 'Service name (Japanese)' },
  nameEn: { ja: 'サービス名（英語）', en: 'Service name (English)' },
  clientId: { ja: 'クライアントID', en: 'Client ID' },
  clientIdHint: { ja: '半角英小文字・数字・「.」「_」「-」で3〜64文字。登録後は変更できず、削除後も再利用できません。', en: '3–64 lower-case letters, digits, ".", "_" or "-". Cannot be changed, and is never reused after deletion.' },
  redirectUris: { ja: 'リダイレクトURI', en: 'Redirect URIs' },
  redirectHint: { ja: '1行に1つ、https で始まる完全なURL（開発環境のみ http://localhost も可）。最大10件。', en: 'One absolute https URL per line (http://localhost in development only). Up to 10.' },
  logoutUris: { ja: 'ログアウト後のリダイレクトURI（任意）', en: 'Post-logout redirect URIs (optional)' },
  authMethod: { ja: 'クライアント認証方式', en: 'Client authentication' },
  jwks: { ja: '公開鍵（JWK Set、private_key_jwt の場合）', en: 'Public keys (JWK Set, for private_key_jwt)' },
  jwksHint: { ja: '{"keys":[…]} の形式。秘密鍵は含めないでください。', en: 'As {"keys":[…]}. Do not include private keys.' },
  status: { ja: '状態', en: 'Status' },
  active: { ja: '有効', en: 'Active' },
  platform: { ja: '基盤が管理', en: 'Managed by the platform' },
  offers: { ja: '提供データ', en: 'Data offers' },
  uses: { ja: 'データ利用', en: 'Data uses' },
  connectors: { ja: 'コネクタ', en: 'Connectors' },
  open: { ja: '詳細', en: 'Details' },
  none: { ja: 'まだありません。', en: 'None yet.' },
  save: { ja: '保存する', en: 'Save' },
  register: { ja: '登録する', en: 'Register' },
  cancel: { ja: 'キャンセル', en: 'Cancel' },
  edit: { ja: '変更する', en: 'Change' },
  rotate: { ja: 'クライアントシークレットを再発行', en: 'Issue a new client secret' },
  delete: { ja: 'このサービスを削除', en: 'Delete this service' },
  deleteHint: { ja: '削除すると、このサービスへのログイン・データ連携は止まり、コネクタは失効し、API利用許可は取り消されます。同意や提供記録の履歴は残ります。有効な同意があるあいだは削除できません。', en: 'Deleting stops sign-in and data exchange for this service, revokes its connectors and removes its API permissions. Consent and provision history is kept. A service with active consents cannot be deleted.' },
  secretTitle: { ja: 'クライアントシークレット（この画面でのみ表示）', en: 'Client secret (shown on this screen only)' },
  secretLead: { ja: 'この値は二度と表示されません。サービス事業者に安全な方法で伝えてください。', en: 'This value is not shown again. Pass it to the service vendor securely.' },
  secretRotated: { ja: '以前のシークレットは、この時点で使えなくなりました。', en: 'The previous secret stopped working just now.' },
  confirmTitle: { ja: 'サービスの削除の確認', en: 'Confirm deletion' },
  confirmLead: { ja: '次のサービスを削除します。よろしければ「削除する」を押してください。', en: 'This service will be deleted. Press "Delete" to go ahead.' },
  confirmDelete: { ja: '削除する', en: 'Delete' },
  blocked: { ja: '有効な同意があるため、このサービスは現在削除できません。', en: 'This service has active consents and cannot be deleted now.' },
  created: { ja: 'サービスを登録しました。', en: 'The service was registered.' },
  saved: { ja: '変更を保存しました。', en: 'The changes were saved.' },
  deleted: { ja: 'サービスを削除しました。', en: 'The service was deleted.' },
  settings: { ja: 'OpenID Connect の設定', en: 'OpenID Connect settings' },
  sector: { ja: 'セクター識別子（利用者IDの単位）', en: 'Sector identifier (pairwise subject scope)' },
  grants: { ja: 'グラントタイプ', en: 'Grant types' },
  scopes: { ja: 'スコープ', en: 'Scopes' },
  secret: { ja: 'クライアントシークレット', en: 'Client secret' },
  secretSet: { ja: '設定済み（表示できません）', en: 'Set (cannot be shown)' },
  secretNone: { ja: 'なし', en: 'None' },
  keys: { ja: '登録済みの公開鍵', en: 'Registered public keys' },
  activeConsents: { ja: '有効な同意', en: 'Active consents' },
  code: { ja: 'コード', en: 'Code' },
  specialCare: { ja: '要配慮個人情報', en: 'Special care' },
  purpose: { ja: '利用目的', en: 'Purpose' },
  items: { ja: '項目', en: 'Items' },
  revision: { ja: '版', en: 'Revision' },
  catalogNote: { ja: '提供データ・データ利用の登録と変更は、同意管理の機能で行います（ここでは参照のみ）。', en: 'Data offers and uses are registered and changed through consent management (read-only here).' },
  createdAt: { ja: '登録日', en: 'Registered' },
};

export const authMethodText: Record<string, { ja: string; en: string }> = {
  client_secret_basic: { ja: 'クライアントシークレット（Basic 認証）', en: 'Client secret (HTTP Basic)' },
  client_secret_post: { ja: 'クライアントシークレット（POST）', en: 'Client secret (POST body)' },
  private_key_jwt: { ja: '秘密鍵で署名した JWT（private_key_jwt）', en: 'JWT signed with a private key (private_key_jwt)' },
  none: { ja: 'なし（公開クライアント・PKCE のみ）', en: 'None (public client, PKCE only)' },
};

function notice(p: { notice?: string }): SafeHtml | '' {
  return p.notice ? html`<div class="success" role="status">${p.notice}</div>` : '';
}

export function servicesPage(p: { lang: Lang; principal: AdminPrincipal; services: AdminServiceListRow[]; notice?: string }): SafeHtml {
  const { lang, principal } = p;
  return adminPage({
    lang, title: serviceText.title[lang], path: '/admin/services', principal, area: 'tenant', section: 'services',
    body: html`<h1>${serviceText.title[lang]}</h1>
<p>${serviceText.lead[lang]}</p>
${notice(p)}
<div class="actions"><a class="button" href="/admin/services/new">${serviceText.add[lang]}</a></div>
${p.services.length === 0 ? html`<p>${serviceText.none[lang]}</p>` : html`<div class="table-wrap"><table class="data" data-testid="services">
<thead><tr><th scope="col">${serviceText.name[lang]}</th><th scope="col">${serviceText.clientId[lang]}</th><th scope="col">${serviceText.authMethod[lang]}</th>
<th scope="col" class="num">${serviceText.offers[lang]}</th><th scope="col" class="num">${serviceText.uses[lang]}</th><th scope="col" class="num">${serviceText.connectors[lang]}</th></tr></thead>
<tbody>${p.services.map((s) => html`<tr data-service="${s.client_id}">
<td><a href="/admin/services/${s.id}">${name(lang, s.name_ja, s.name_en)}</a>${s.first_party ? html` <span class="tag tag-off">${serviceText.platform[lang]}</span>` : ''}</td>
<td class="mono">${s.client_id}</td><td>${authMethodText[s.token_endpoint_auth_method]?.[lang] ?? s.token_endpoint_auth_method}</td>
<td class="num">${s.offers}</td><td class="num">${s.uses}</td><td class="num">${s.connectors}</td>
</tr>`)}</tbody></table></div>`}`,
  });
}

export interface ServiceFormValues {
  clientId?: string;
  nameJa?: string;
  nameEn?: string;
  redirectUris?: string;
  postLogoutRedirectUris?: string;
  authMethod?: string;
  jwks?: string;
}

export function serviceFormPage(p: { lang: Lang; principal: AdminPrincipal; service?: AdminServiceRow; values?: ServiceFormValues; error?: { code: string; message: string; details?: { field: string; problem: string }[] } }): SafeHtml {
  const { lang, principal, service } = p;
  const v: ServiceFormValues = p.values ?? (service ? {
    nameJa: service.name_ja, nameEn: service.name_en, redirectUris: service.redirect_uris.join('\n'), postLogoutRedirectUris: service.post_logout_redirect_uris.join('\n'),
    authMethod: service.token_endpoint_auth_method, jwks: service.jwks ? JSON.stringify(service.jwks, null, 2) : '',
  } : { authMethod: 'client_secret_basic' });
  const title = service ? serviceText.editTitle[lang] : serviceText.newTitle[lang];
  const action = service ? `/admin/services/${service.id}` : '/admin/services';
  return adminPage({
    lang, title, path: service ? `/admin/services/${service.id}/edit` : '/admin/services/new', principal, area: 'tenant', section: 'services',
    body: html`<h1>${title}</h1>
${p.error ? html`<div class="alert" role="alert" data-error-code="${p.error.code}"><p>${p.error.message}</p>${p.error.details?.length ? html`<ul>${p.error.details.map((d) => html`<li>${d.problem}</li>`)}</ul>` : ''}</div>` : ''}
<form method="post" action="${action}">
${csrfField(principal)}
${service ? html`<p><strong>${serviceText.clientId[lang]}:</strong> <span class="mono">${service.client_id}</span></p>` : html`<label for="clientId">${serviceText.clientId[lang]}</label>
<p class="hint" id="client-hint">${serviceText.clientIdHint[lang]}</p>
<input type="text" id="clientId" name="clientId" required minlength="3" maxlength="64" pattern="[a-z0-9][a-z0-9._\\-]{2,63}" aria-describedby="client-hint" value="${v.clientId ?? ''}" autocapitalize="none" spellcheck="false">`}
<label for="nameJa">${serviceText.nameJa[lang]}</label>
<input type="text" id="nameJa" name="nameJa" required maxlength="100" value="${v.nameJa ?? ''}">
<label for="nameEn">${serviceText.nameEn[lang]}</label>
<input type="text" id="nameEn" name="nameEn" required maxlength="100" value="${v.nameEn ?? ''}" lang="en">
<label for="redirectUris">${serviceText.redirectUris[lang]}</label>
<p class="hint" id="redirect-hint">${serviceText.redirectHint[lang]}</p>
<textarea id="redirectUris" name="redirectUris" rows="3" required maxlength="20000" aria-describedby="redirect-hint" spellcheck="false">${v.redirectUris ?? ''}</textarea>
<label for="postLogoutRedirectUris">${serviceText.logoutUris[lang]}</label>
<textarea id="postLogoutRedirectUris" name="postLogoutRedirectUris" rows="2" maxlength="20000" spellcheck="false">${v.postLogoutRedirectUris ?? ''}</textarea>
<fieldset><legend>${serviceText.authMethod[lang]}</legend>
${SERVICE_AUTH_METHODS.map((m) => html`<label class="check"><input type="radio" name="authMethod" value="${m}"${v.authMethod === m ? html` checked` : ''}> ${authMethodText[m][lang]}</label>`)}
</fieldset>
<label for="jwks">${serviceText.jwks[lang]}</label>
<p class="hint" id="jwks-hint">${serviceText.jwksHint[lang]}</p>
<textarea id="jwks" name="jwks" rows="4" maxlength="16000" aria-describedby="jwks-hint" spellcheck="false">${v.jwks ?? ''}</textarea>
<div class="actions"><button class="button" type="submit">${service ? serviceText.save[lang] : serviceText.register[lang]}</button>
<a class="button secondary" href="${service ? `/admin/services/${service.id}` : '/admin/services'}">${serviceText.cancel[lang]}</a></div>
</form>`,
  });
}

export function servicePage(p: { lang: Lang; principal: AdminPrincipal; detail: ServiceDetail; secret?: string; rotated?: boolean; notice?: string }): SafeHtml {
  const { lang, principal, detail } = p;
  const s = detail.service;
  const base = `/admin/services/${s.id}`;
  return adminPage({
    lang, title: name(lang, s.name_ja, s.name_en), path: base, principal, area: 'tenant', section: 'services',
    body: html`<h1>${name(lang, s.name_ja, s.name_en)}</h1>
${notice(p)}
${p.secret ? html`<section class="card" aria-labelledby="secret-title" data-testid="client-secret"><h2 id="secret-title">${serviceText.secretTitle[lang]}</h2>
<div class="notice" role="note">${serviceText.secretLead[lang]}${p.rotated ? html` ${serviceText.secretRotated[lang]}` : ''}</div><p class="secret" data-testid="secret-value">${p.secret}</p></section>` : ''}
<h2>${serviceText.settings[lang]}</h2>
<dl class="props card">
<dt>${serviceText.clientId[lang]}</dt><dd class="mono">${s.client_id}</dd>
<dt>${serviceText.nameJa[lang]}</dt><dd>${s.name_ja}</dd>
<dt>${serviceText.nameEn[lang]}</dt><dd lang="en">${s.name_en}</dd>
<dt>${serviceText.redirectUris[lang]}</dt><dd class="mono">${s.redirect_uris.map((u) => html`${u}<br>`)}</dd>
<dt>${serviceText.logoutUris[lang]}</dt><dd class="mono">${s.post_logout_redirect_uris.length ? s.post_logout_redirect_uris.map((u) => html`${u}<br>`) : '—'}</dd>
<dt>${serviceText.authMethod[lang]}</dt><dd>${authMethodText[s.token_endpoint_auth_method]?.[lang] ?? s.token_endpoint_auth_method}</dd>
<dt>${serviceText.secret[lang]}</dt><dd>${s.has_secret ? serviceText.secretSet[lang] : serviceText.secretNone[lang]}</dd>
${s.jwks ? html`<dt>${serviceText.keys[lang]}</dt><dd class="mono">${s.jwks.keys.map((k) => html`${String(k.kty)} ${k.kid ? `kid=${String(k.kid)}` : ''}<br>`)}</dd>` : ''}
<dt>${serviceText.sector[lang]}</dt><dd class="mono">${s.sector_identifier} (${s.subject_type})</dd>
<dt>${serviceText.grants[lang]}</dt><dd class="mono">${s.grant_types.join(', ')}</dd>
<dt>${serviceText.scopes[lang]}</dt><dd class="mono">${s.scopes.join(' ')}</dd>
<dt>${serviceText.activeConsents[lang]}</dt><dd data-testid="active-consents">${detail.activeConsents}</dd>
<dt>${serviceText.createdAt[lang]}</dt><dd>${formatDate(lang, s.created_at, false)}</dd>
</dl>
${s.first_party ? html`<p class="notice">${serviceText.platform[lang]}</p>` : html`<div class="actions">
<a class="button secondary" href="${base}/edit">${serviceText.edit[lang]}</a>
${usesSecret(s.token_endpoint_auth_method) ? html`<form method="post" action="${base}/secret">${csrfField(principal)}<button class="button secondary" type="submit">${serviceText.rotate[lang]}</button></form>` : ''}
</div>`}
<h2>${serviceText.offers[lang]}</h2>
<p class="hint">${serviceText.catalogNote[lang]}</p>
${detail.offers.length === 0 ? html`<p>${serviceText.none[lang]}</p>` : html`<div class="table-wrap"><table class="data">
<thead><tr><th scope="col">${serviceText.code[lang]}</th><th scope="col">${serviceText.name[lang]}</th><th scope="col">${serviceText.specialCare[lang]}</th><th scope="col">${serviceText.status[lang]}</th></tr></thead>
<tbody>${detail.offers.map((o) => html`<tr><td class="mono">${o.code}</td><td>${name(lang, o.name_ja, o.name_en)}</td><td>${o.special_care ? '✓' : ''}</td><td>${o.active ? serviceText.active[lang] : '—'}</td></tr>`)}</tbody></table></div>`}
<h2>${serviceText.uses[lang]}</h2>
${detail.uses.length === 0 ? html`<p>${serviceText.none[lang]}</p>` : html`<div class="table-wrap"><table class="data">
<thead><tr><th scope="col">${serviceText.code[lang]}</th><th scope="col">${serviceText.name[lang]}</th><th scope="col">${serviceText.purpose[lang]}</th><th scope="col">${serviceText.items[lang]}</th><th scope="col" class="num">${serviceText.revision[lang]}</th></tr></thead>
<tbody>${detail.uses.map((u) => html`<tr><td class="mono">${u.code}</td><td>${name(lang, u.title_ja, u.title_en)}</td><td>${name(lang, u.purpose_ja, u.purpose_en)}</td><td class="mono">${u.items.join(', ')}</td><td class="num">${u.revision}</td></tr>`)}</tbody></table></div>`}
${s.first_party ? '' : html`<h2>${serviceText.delete[lang]}</h2>
<p>${serviceText.deleteHint[lang]}</p>
<p><a class="button secondary" href="${base}/delete">${serviceText.delete[lang]}</a></p>`}`,
  });
}

/** The confirmation step before deleting: what will happen, and whether it is possible now. */
export function deleteConfirmPage(p: { lang: Lang; principal: AdminPrincipal; detail: ServiceDetail }): SafeHtml {
  const { lang, principal, detail } = p;
  const s = detail.service;
  const base = `/admin/services/${s.id}`;
  return adminPage({
    lang, title: serviceText.confirmTitle[lang], path: `${base}/delete`, principal, area: 'tenant', section: 'services',
    body: html`<h1>${serviceText.confirmTitle[lang]}</h1>
<p>${serviceText.confirmLead[lang]}</p>
<dl class="props card">
<dt>${serviceText.name[lang]}</dt><dd>${name(lang, s.name_ja, s.name_en)}</dd>
<dt>${serviceText.clientId[lang]}</dt><dd class="mono">${s.client_id}</dd>
<dt>${serviceText.activeConsents[lang]}</dt><dd>${detail.activeConsents}</dd>
</dl>
<p>${serviceText.deleteHint[lang]}</p>
${detail.activeConsents > 0 ? html`<div class="alert" role="alert">${serviceText.blocked[lang]}</div>` : ''}
<div class="actions">
<form method="post" action="${base}/delete">${csrfField(principal)}<button class="button" type="submit"${detail.activeConsents > 0 ? html` disabled` : ''}>${serviceText.confirmDelete[lang]}</button></form>
<a class="button secondary" href="${base}">${serviceText.cancel[lang]}</a>
</div>`,
  });
}
