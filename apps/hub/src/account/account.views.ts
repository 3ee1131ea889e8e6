import type { ResidentLinkRow } from '../links/links.repository';
import { formatCommonId } from '../residents/common-id';
import type { Resident } from '../residents/residents.service';
import { html, type Lang, page, type SafeHtml } from '@tsunagu/web';

const t = {
  title: { ja: 'マイページ', en: 'My account' },
  commonId: { ja: 'あなたの共通ID', en: 'Your common ID' },
  commonIdHint: { ja: '共通IDはサービスには渡されません。各サービスには、サービスごとに異なる番号が渡されます。', en: 'Your common ID is never given to services; each service sees a different identifier.' },
  verification: { ja: '本人確認', en: 'Identity verification' },
  verified: { ja: 'マイナンバーカードで確認済み', en: 'Verified with the My Number card' },
  notVerified: { ja: '未確認', en: 'Not verified' },
  links: { ja: '連携しているサービス', en: 'Linked services' },
  noLinks: { ja: '連携しているサービスはありません。', en: 'No linked services.' },
  service: { ja: 'サービス', en: 'Service' },
  localId: { ja: 'サービスでの番号（個別ID）', en: 'Local account ID' },
  linkedAt: { ja: '連携日時', en: 'Linked at' },
  unlink: { ja: '連携を解除', en: 'Unlink' },
  unlinked: { ja: '連携を解除しました。', en: 'The link was removed.' },
  logout: { ja: 'ログアウト', en: 'Sign out' },
  verifyNow: { ja: 'マイナンバーカードで本人確認する', en: 'Verify with the My Number card' },
  verifyDetails: { ja: '詳細', en: 'Details' },
};

export function accountPage(p: { lang: Lang; resident: Resident; links: ResidentLinkRow[]; csrf: string; notice?: string }): SafeHtml {
  const { lang, resident } = p;
  const fmt = new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' });
  return page({
    lang, title: t.title[lang], path: '/account',
    body: html`<h1>${t.title[lang]}</h1>
${p.notice ? html`<div class="notice" role="status">${p.notice}</div>` : ''}
<div class="card">
<h2>${t.commonId[lang]}</h2>
<p class="mono" style="font-size:1.5rem" data-testid="common-id">${formatCommonId(resident.commonId)}</p>
<p class="hint">${t.commonIdHint[lang]}</p>
<p><strong>${t.verification[lang]}:</strong> ${resident.identityVerifiedAt ? t.verified[lang] : t.notVerified[lang]}
<a href="/account/verify">${resident.identityVerifiedAt ? t.verifyDetails[lang] : t.verifyNow[lang]}</a></p>
</div>
<h2>${t.links[lang]}</h2>
${p.links.length === 0 ? html`<p>${t.noLinks[lang]}</p>` : html`<table>
<thead><tr><th scope="col">${t.service[lang]}</th><th scope="col">${t.localId[lang]}</th><th scope="col">${t.linkedAt[lang]}</th><th scope="col"><span class="hint">${t.unlink[lang]}</span></th></tr></thead>
<tbody>${p.links.map((l) => html`<tr data-link="${l.client_id}">
<td>${lang === 'ja' ? l.name_ja : l.name_en}</td><td class="mono">${l.local_id}</td><td>${fmt.format(new Date(l.linked_at))}</td>
<td><form method="post" action="/account/links/${l.id}/delete"><input type="hidden" name="csrf" value="${p.csrf}"><button class="button secondary" type="submit">${t.unlink[lang]}</button></form></td>
</tr>`)}</tbody></table>`}
<div class="actions"><a class="button secondary" href="/account/logout">${t.logout[lang]}</a></div>`,
  });
}

export const accountText = t;
