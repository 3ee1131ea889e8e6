import { html, t, type Msg, type SafeHtml } from '@tsunagu/web';
import {
  type ConnectorOutcome, type SignedInResident, type ViewContext, connectorProblemView, demoPage, formatNumber, formatTokyoDateTime, optInLink, supportDetails,
  tottoriIdCard, withLang,
} from '@tsunagu/demo-kit';
import { type HealthPoints, POINTS_PER_1000_STEPS, POINTS_PER_ONSEN_VISIT } from './health-points';
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
  /** The outcome of 「健康ポイントを確認」 when the resident asked for it: shown first, where the resident looks. */
  healthPoints?: ConnectorOutcome<HealthPoints>;
  /** The hub portal's page of `cashless.health-points`, to change the items of the consent. */
  hubPortalUrl: string;
}

/** 健康ポイント: one button asking the Misasa health app (through the connector), under the resident's consent. */
function healthPointsSection(ctx: ViewContext, state: MemberPageState): SafeHtml {
  const { lang } = ctx;
  const outcome = state.healthPoints;
  return html`<section class="card result" aria-labelledby="health-points" data-testid="health-points">
<h2 id="health-points">${t(lang, { ja: '健康ポイント（三朝温泉ヘルスケアアプリ連携）', en: 'Health points (Misasa onsen health app)' })}</h2>
${outcome?.ok ? healthPointsResult(ctx, outcome.value, state.hubPortalUrl) : ''}
${outcome && !outcome.ok ? connectorProblemView(ctx, outcome) : ''}
<p class="hint">${t(lang, {
    ja: `三朝温泉ヘルスケアアプリの歩数（1,000 歩ごとに ${POINTS_PER_1000_STEPS} pt）と温泉利用（1 回 ${POINTS_PER_ONSEN_VISIT} pt）から計算します。あなたが Tottori ID ポータルで同意した項目だけが連携されます。`,
    en: `Computed from your steps (${POINTS_PER_1000_STEPS} pt per 1,000 steps) and onsen visits (${POINTS_PER_ONSEN_VISIT} pt each) at the Misasa onsen health app. Only the items you consented to on the Tottori ID portal are shared.`,
  })}</p>
<form method="post" action="${withLang('/member/health-points', lang)}"><input type="hidden" name="_csrf" value="${state.csrf}">
<button type="submit" class="button">${t(lang, outcome ? { ja: 'もう一度確認', en: 'Check again' } : { ja: '健康ポイントを確認', en: 'Check my health points' })}</button></form>
</section>`;
}

/** The points, and which of the two items the resident's consent left out (they count for nothing). */
function healthPointsResult(ctx: ViewContext, points: HealthPoints, portalUrl: string): SafeHtml {
  const { lang } = ctx;
  const notShared: Msg = { ja: '同意の対象外のため連携されていません', en: 'not shared: not covered by your consent' };
  const left = [...(points.stepsShared ? [] : [{ ja: '歩数', en: 'steps' }]), ...(points.visitsShared ? [] : [{ ja: '温泉利用', en: 'onsen visits' }])];
  return html`<p class="stat" data-testid="health-points-total">${formatNumber(points.total, lang)} <small>pt</small></p>
<dl class="kv">
<dt>${t(lang, { ja: '歩数', en: 'Steps' })}</dt><dd data-testid="health-points-steps">${points.stepsShared
    ? html`${formatNumber(points.steps, lang)} (${points.days} ${t(lang, { ja: '日分', en: 'days' })}) → ${formatNumber(points.stepPoints, lang)} pt`
    : t(lang, notShared)}</dd>
<dt>${t(lang, { ja: '温泉利用', en: 'Onsen visits' })}</dt><dd data-testid="health-points-visits">${points.visitsShared
    ? html`${points.visits.length} ${t(lang, { ja: '回', en: 'visits' })} → ${formatNumber(points.visitPoints, lang)} pt`
    : t(lang, notShared)}</dd>
</dl>
${left.length ? html`<div class="notice" role="status" data-testid="health-points-partial"><p>${t(lang, {
    ja: `あなたの同意に${left.map((m) => m.ja).join('と')}が含まれていないため、その分はポイントに数えていません。同意する項目は Tottori ID ポータルで変更できます。`,
    en: `Your consent does not include your ${left.map((m) => m.en).join(' and ')}, so they earn no points. You can change the items you consent to on the Tottori ID portal.`,
  })}</p>${optInLink(ctx, portalUrl)}${supportDetails(ctx, [{ label: { ja: '同意されていない項目', en: 'Items not consented' }, value: points.notConsented.join(', ') }])}</div>` : ''}`;
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
${state.healthPoints ? healthPointsSection(ctx, state) : ''}
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
${state.healthPoints ? '' : healthPointsSection(ctx, state)}
${tottoriIdCard(ctx, state.resident, state.csrf)}`);
}
