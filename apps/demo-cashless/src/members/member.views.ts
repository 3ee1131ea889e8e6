import { html, t, type Msg, type SafeHtml } from '@tsunagu/web';
import {
  type SignedInResident, type ViewContext, demoPage, formatNumber, formatTokyoDateTime, tottoriIdCard,
} from '@tsunagu/demo-kit';
import type { MemberOverview } from './member.service';
import type { MerchantCategory } from './member.repository';

const categories: Record<MerchantCategory, Msg> = {
  onsen: { ja: '温泉', en: 'Onsen' },
  lodging: { ja: '宿泊', en: 'Lodging' },
  retail: { ja: '買い物', en: 'Shopping' },
  restaurant: { ja: '飲食', en: 'Food' },
  transport: { ja: '交通', en: 'Transport' },
};

export interface MemberPageState {
  resident: SignedInResident;
  csrf: string;
  justLinked: boolean;
}

/** The member page: member number, name, points balance, recent payments. */
export function memberView(ctx: ViewContext, overview: MemberOverview, state: MemberPageState): SafeHtml {
  const { lang } = ctx;
  const { member, payments } = overview;
  const title: Msg = { ja: 'マイページ', en: 'My page' };
  return demoPage(ctx, title, html`<h1>${t(lang, title)}</h1>
${state.justLinked ? html`<div class="notice" role="status">${t(lang, {
    ja: 'Tottori ID との連携が完了しました。次回からは Tottori ID でログインするだけで利用できます。',
    en: 'Your account is now linked with Tottori ID. Next time, just sign in with Tottori ID.',
  })}</div>` : ''}
<section class="card" aria-labelledby="points">
<h2 id="points">${t(lang, { ja: 'ポイント残高', en: 'Points balance' })}</h2>
<p class="stat" data-testid="points-balance">${formatNumber(member.pointsBalance, lang)} <small>pt</small></p>
</section>
<section class="card" aria-labelledby="member">
<h2 id="member">${t(lang, { ja: '会員情報', en: 'Membership' })}</h2>
<dl class="kv">
<dt>${t(lang, { ja: '会員番号', en: 'Member number' })}</dt><dd class="mono" data-testid="member-number">${member.memberNumber}</dd>
<dt>${t(lang, { ja: '氏名', en: 'Name' })}</dt><dd data-testid="member-name">${member.name}${lang === 'ja' ? html`（${member.nameKana}）` : ''}</dd>
<dt>${t(lang, { ja: '入会日', en: 'Member since' })}</dt><dd>${member.joinedOn}</dd>
</dl>
</section>
<section aria-labelledby="payments">
<h2 id="payments">${t(lang, { ja: '最近のお支払い', en: 'Recent payments' })}</h2>
${payments.length === 0 ? html`<p>${t(lang, { ja: 'お支払いはまだありません。', en: 'No payments yet.' })}</p>` : html`<div class="table-wrap"><table>
<thead><tr><th>${t(lang, { ja: '日時', en: 'Date' })}</th><th>${t(lang, { ja: 'お店', en: 'Merchant' })}</th>
<th class="num">${t(lang, { ja: '金額', en: 'Amount' })}</th><th class="num">${t(lang, { ja: 'ポイント', en: 'Points' })}</th></tr></thead>
<tbody>${payments.map((p) => html`<tr>
<td>${formatTokyoDateTime(p.paidAt, lang)}</td>
<td>${p.merchantName} <span class="tag">${t(lang, categories[p.merchantCategory])}</span></td>
<td class="num">${lang === 'ja' ? `${formatNumber(p.amountYen, lang)} 円` : `¥${formatNumber(p.amountYen, lang)}`}</td>
<td class="num">+${formatNumber(p.pointsEarned, lang)}</td></tr>`)}</tbody></table></div>`}
</section>
${tottoriIdCard(ctx, state.resident, state.csrf)}`);
}
