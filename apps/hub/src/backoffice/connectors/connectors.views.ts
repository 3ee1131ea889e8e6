import { html, type Lang, type SafeHtml } from '@tsunagu/web';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { adminPage, csrfField, formatDate, name } from '../web/admin.layout';
import { healthTag, healthText } from '../../exchange/connectors/connector-health';
import type { ConnectorRow, ConnectorStatus } from '../../exchange/connectors/connectors.repository';
import { type ConnectorAction, type ConnectorView, TRANSITIONS } from '../../exchange/connectors/connectors.service';

export const connectorText = {
  title: { ja: 'コネクタ', en: 'Connectors' },
  lead: { ja: '各サービスの横に設置されたコネクタです。新しいコネクタは「承認待ち」で登録され、承認するまでデータ連携に参加できません。', en: 'The connectors installed beside each service. A new connector registers as awaiting approval and takes part in no exchange until approved.' },
  name: { ja: '名前', en: 'Name' },
  service: { ja: 'サービス', en: 'Service' },
  status: { ja: '状態', en: 'Status' },
  health: { ja: '稼働状況', en: 'Health' },
  lastSeen: { ja: '最終通信', en: 'Last seen' },
  version: { ja: 'バージョン', en: 'Version' },
  syncLag: { ja: '取消情報の同期遅延', en: 'Revocation-sync lag' },
  acks: { ja: '未確認の取消通知', en: 'Unacknowledged revocations' },
  overdue: { ja: '期限超過', en: 'overdue' },
  seconds: { ja: '秒', en: 's' },
  never: { ja: 'なし', en: 'never' },
  none: { ja: '登録されたコネクタはありません。コネクタを設置すると、ここに承認待ちとして表示されます。', en: 'No connectors are registered. An installed connector appears here, awaiting approval.' },
  baseUrl: { ja: '接続先URL', en: 'Base URL' },
  thumbprint: { ja: '公開鍵の指紋（JWK Thumbprint）', en: 'Public key thumbprint (JWK)' },
  changedAt: { ja: '状態の変更', en: 'Status changed' },
  registered: { ja: '登録日時', en: 'Registered' },
  reason: { ja: '理由（任意・監査ログに記録）', en: 'Reason (optional, kept in the audit log)' },
  done: { ja: 'コネクタの状態を変更しました。', en: 'The connector\'s status was changed.' },
  back: { ja: 'コネクタ一覧へ', en: 'All connectors' },
  approve: { ja: '承認する', en: 'Approve' },
  suspend: { ja: '一時停止する', en: 'Suspend' },
  resume: { ja: '再開する', en: 'Resume' },
  revoke: { ja: '失効させる（元に戻せません）', en: 'Revoke (final)' },
};

export const statusText: Record<ConnectorStatus, { ja: string; en: string }> = {
  pending: { ja: '承認待ち', en: 'Awaiting approval' },
  approved: { ja: '承認済み', en: 'Approved' },
  suspended: { ja: '一時停止中', en: 'Suspended' },
  revoked: { ja: '失効', en: 'Revoked' },
};

function actions(lang: Lang, principal: AdminPrincipal, c: ConnectorRow, withReason: boolean): SafeHtml {
  const available = (Object.keys(TRANSITIONS) as ConnectorAction[]).filter((a) => TRANSITIONS[a].from.includes(c.status));
  if (!available.length) return html``;
  return html`<div class="row-actions">${available.map((a) => html`<form method="post" action="/admin/connectors/${c.id}/${a}" class="inline-form">${csrfField(principal)}
${withReason && a !== 'approve' && a !== 'resume' ? html`<label for="reason-${a}">${connectorText.reason[lang]}</label><input type="text" id="reason-${a}" name="reason" maxlength="500">` : ''}
<button class="button${a === 'approve' || a === 'resume' ? '' : ' secondary'}" type="submit" aria-label="${connectorText[a][lang]}: ${c.name}">${connectorText[a][lang]}</button></form>`)}</div>`;
}

function lag(lang: Lang, c: ConnectorView): string {
  return c.syncLagSeconds === null ? connectorText.never[lang] : `${c.syncLagSeconds.toLocaleString()}${connectorText.seconds[lang]}`;
}

export function connectorsPage(p: { lang: Lang; principal: AdminPrincipal; connectors: ConnectorView[]; notice?: string }): SafeHtml {
  const { lang, principal } = p;
  return adminPage({
    lang, title: connectorText.title[lang], path: '/admin/connectors', principal, area: 'tenant', section: 'connectors',
    body: html`<h1>${connectorText.title[lang]}</h1>
<p>${connectorText.lead[lang]}</p>
${p.notice ? html`<div class="success" role="status">${p.notice}</div>` : ''}
${p.connectors.length === 0 ? html`<p>${connectorText.none[lang]}</p>` : html`<div class="table-wrap"><table class="data" data-testid="connectors">
<thead><tr><th scope="col">${connectorText.name[lang]}</th><th scope="col">${connectorText.service[lang]}</th><th scope="col">${connectorText.status[lang]}</th>
<th scope="col">${connectorText.health[lang]}</th><th scope="col">${connectorText.lastSeen[lang]}</th><th scope="col">${connectorText.version[lang]}</th>
<th scope="col" class="num">${connectorText.syncLag[lang]}</th><th scope="col" class="num">${connectorText.acks[lang]}</th><th scope="col"><span class="hint">${connectorText.status[lang]}</span></th></tr></thead>
<tbody>${p.connectors.map((c) => html`<tr data-connector="${c.name}">
<td><a href="/admin/connectors/${c.id}">${c.name}</a></td><td>${name(lang, c.service_name_ja, c.service_name_en)}</td>
<td>${statusText[c.status][lang]}</td><td><span class="tag ${healthTag(c.health)}">${healthText[c.health][lang]}</span></td>
<td>${formatDate(lang, c.last_seen_at)}</td><td class="mono">${c.version ?? '—'}</td>
<td class="num">${lag(lang, c)}</td><td class="num">${c.unacked_revocations}${c.acksOverdue ? html` <span class="tag tag-bad">${connectorText.overdue[lang]}</span>` : ''}</td>
<td>${actions(lang, principal, c, false)}</td>
</tr>`)}</tbody></table></div>`}`,
  });
}

export function connectorPage(p: { lang: Lang; principal: AdminPrincipal; connector: ConnectorView & { thumbprint?: string }; notice?: string }): SafeHtml {
  const { lang, principal, connector: c } = p;
  return adminPage({
    lang, title: c.name, path: `/admin/connectors/${c.id}`, principal, area: 'tenant', section: 'connectors',
    body: html`<h1>${c.name}</h1>
${p.notice ? html`<div class="success" role="status">${p.notice}</div>` : ''}
<dl class="props card">
<dt>${connectorText.service[lang]}</dt><dd>${name(lang, c.service_name_ja, c.service_name_en)} <span class="mono">(${c.service_client_id})</span></dd>
<dt>${connectorText.status[lang]}</dt><dd data-testid="connector-status">${statusText[c.status][lang]}</dd>
<dt>${connectorText.health[lang]}</dt><dd><span class="tag ${healthTag(c.health)}">${healthText[c.health][lang]}</span></dd>
<dt>${connectorText.baseUrl[lang]}</dt><dd class="mono">${c.base_url}</dd>
<dt>${connectorText.version[lang]}</dt><dd class="mono">${c.version ?? '—'}</dd>
<dt>${connectorText.lastSeen[lang]}</dt><dd>${formatDate(lang, c.last_seen_at)}</dd>
<dt>${connectorText.syncLag[lang]}</dt><dd>${lag(lang, c)}</dd>
<dt>${connectorText.acks[lang]}</dt><dd>${c.unacked_revocations}${c.oldest_unacked_revocation_at ? ` (${formatDate(lang, c.oldest_unacked_revocation_at)})` : ''}${c.acksOverdue ? html` <span class="tag tag-bad">${connectorText.overdue[lang]}</span>` : ''}</dd>
<dt>${connectorText.thumbprint[lang]}</dt><dd class="mono">${c.thumbprint ?? '—'}</dd>
<dt>${connectorText.registered[lang]}</dt><dd>${formatDate(lang, c.created_at)}</dd>
<dt>${connectorText.changedAt[lang]}</dt><dd>${formatDate(lang, c.status_changed_at)}${c.status_changed_by_login ? ` (${c.status_changed_by_login})` : ''}</dd>
</dl>
${actions(lang, principal, c, true)}
<p><a href="/admin/connectors">${connectorText.back[lang]}</a></p>`,
  });
}
