import { html, t, type Lang, type Msg, type SafeHtml } from '@tsunagu/web';
import {
  type ConnectorOutcome, type SignedInResident, type ViewContext, connectorProblemView, demoPage, formatNumber, formatTokyoDateTime, tottoriIdCard, withLang,
} from '@tsunagu/demo-kit';
import type { OnsenSpending } from './onsen-spending';
import type { ActivityOverview } from './activity.service';

const weekdays: Record<Lang, string[]> = {
  ja: ['日', '月', '火', '水', '木', '金', '土'],
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
};

function dayLabel(day: string, lang: Lang): string {
  const d = new Date(`${day}T00:00:00Z`);
  const wd = weekdays[lang][d.getUTCDay()];
  return lang === 'ja' ? `${d.getUTCMonth() + 1}/${d.getUTCDate()}（${wd}）` : `${wd} ${d.getUTCDate()}/${d.getUTCMonth() + 1}`;
}

export interface ActivityPageState {
  resident: SignedInResident;
  csrf: string;
  justLinked: boolean;
  /** The outcome of 「温泉でのお支払いを表示」 when the resident asked for it: shown first, where the resident looks. */
  onsenSpending?: ConnectorOutcome<OnsenSpending>;
}

function yen(amount: number, lang: Lang): string {
  return lang === 'ja' ? `${formatNumber(amount, lang)} 円` : `¥${formatNumber(amount, lang)}`;
}

/** 温泉施設でのお支払い: one button asking the cashless base (through the connector), under the resident's consent. */
function onsenSpendingSection(ctx: ViewContext, state: ActivityPageState): SafeHtml {
  const { lang } = ctx;
  const outcome = state.onsenSpending;
  return html`<section class="card result" aria-labelledby="onsen-spending" data-testid="onsen-spending">
<h2 id="onsen-spending">${t(lang, { ja: '温泉施設でのお支払い（とっとりキャッシュレス連携）', en: 'Spending at onsen facilities (Tottori cashless)' })}</h2>
${outcome?.ok ? html`<p class="stat" data-testid="onsen-spending-total">${yen(outcome.value.totalYen, lang)}</p>
${outcome.value.months.length === 0 ? html`<p>${t(lang, { ja: '温泉施設でのお支払いはありません。', en: 'No spending at onsen facilities.' })}</p>` : html`<div class="table-wrap"><table>
<thead><tr><th>${t(lang, { ja: '月', en: 'Month' })}</th><th class="num">${t(lang, { ja: '金額', en: 'Amount' })}</th></tr></thead>
<tbody>${outcome.value.months.map((m) => html`<tr><td>${m.month}</td><td class="num">${yen(m.amountYen, lang)}</td></tr>`)}</tbody></table></div>`}` : ''}
${outcome && !outcome.ok ? connectorProblemView(ctx, outcome) : ''}
<p class="hint">${t(lang, {
    ja: 'とっとりキャッシュレス決済基盤の月ごとの利用金額のうち、温泉施設の分を表示します。あなたが Tottori ID ポータルで同意した場合だけ、データが連携されます。',
    en: 'Shows the onsen part of your monthly spending at the Tottori cashless payment base. The data is shared only if you consented on the Tottori ID portal.',
  })}</p>
<form method="post" action="${withLang('/member/onsen-spending', lang)}"><input type="hidden" name="_csrf" value="${state.csrf}">
<button type="submit" class="button">${t(lang, outcome ? { ja: 'もう一度表示', en: 'Show again' } : { ja: '温泉でのお支払いを表示', en: 'Show my onsen spending' })}</button></form>
</section>`;
}

/** The member page: daily steps of the last two weeks and onsen visits. */
export function activityView(ctx: ViewContext, overview: ActivityOverview, state: ActivityPageState): SafeHtml {
  const { lang } = ctx;
  const { user, steps, visits } = overview;
  const title: Msg = { ja: 'マイページ', en: 'My page' };
  const max = Math.max(user.dailyStepGoal, ...steps.map((s) => s.steps ?? 0));
  return demoPage(ctx, title, html`<h1>${t(lang, title)}</h1>
${state.justLinked ? html`<div class="notice" role="status">${t(lang, {
    ja: 'Tottori ID との連携が完了しました。次回からは Tottori ID でログインするだけで利用できます。',
    en: 'Your account is now linked with Tottori ID. Next time, just sign in with Tottori ID.',
  })}</div>` : ''}
${state.onsenSpending ? onsenSpendingSection(ctx, state) : ''}
<section class="card" aria-labelledby="user">
<h2 id="user">${t(lang, { ja: '利用者情報', en: 'Your account' })}</h2>
<dl class="kv">
<dt>${t(lang, { ja: 'ユーザー ID', en: 'User ID' })}</dt><dd class="mono" data-testid="user-id">${user.userId}</dd>
<dt>${t(lang, { ja: '氏名', en: 'Name' })}</dt><dd data-testid="user-name">${user.name}${lang === 'ja' ? html`（${user.nameKana}）` : ''}</dd>
<dt>${t(lang, { ja: '1 日の目標', en: 'Daily goal' })}</dt><dd>${formatNumber(user.dailyStepGoal, lang)} ${t(lang, { ja: '歩', en: 'steps' })}</dd>
</dl>
</section>
<section aria-labelledby="steps">
<h2 id="steps">${t(lang, { ja: '最近 14 日間の歩数', en: 'Steps, last 14 days' })}</h2>
<p><span class="stat" data-testid="average-steps">${formatNumber(overview.averageSteps, lang)}</span> ${t(lang, { ja: '歩（1 日平均）', en: 'steps a day on average' })}</p>
<p>${t(lang, { ja: `目標達成 ${overview.daysGoalReached} 日 / ${steps.length} 日`, en: `Goal reached on ${overview.daysGoalReached} of ${steps.length} days` })}</p>
<div class="table-wrap"><table>
<thead><tr><th>${t(lang, { ja: '日付', en: 'Day' })}</th><th class="num">${t(lang, { ja: '歩数', en: 'Steps' })}</th><th style="width:40%"><span class="hint">${t(lang, { ja: 'グラフ', en: 'Chart' })}</span></th></tr></thead>
<tbody>${[...steps].reverse().map((s) => html`<tr>
<td>${dayLabel(s.day, lang)}</td>
<td class="num">${s.steps === undefined ? '—' : formatNumber(s.steps, lang)}${s.goalReached ? html` <span class="tag" title="${t(lang, { ja: '目標達成', en: 'Goal reached' })}">✓</span>` : ''}</td>
<td><div class="bar" aria-hidden="true"><span style="width:${Math.round(((s.steps ?? 0) / max) * 100)}%"></span></div></td></tr>`)}</tbody>
</table></div>
</section>
<section aria-labelledby="visits">
<h2 id="visits">${t(lang, { ja: '温泉の利用記録', en: 'Onsen visits' })}</h2>
${visits.length === 0 ? html`<p>${t(lang, { ja: 'まだ記録がありません。', en: 'No visits yet.' })}</p>` : html`<div class="table-wrap"><table>
<thead><tr><th>${t(lang, { ja: '日時', en: 'Date' })}</th><th>${t(lang, { ja: '施設', en: 'Facility' })}</th><th class="num">${t(lang, { ja: '入浴時間', en: 'Bath' })}</th></tr></thead>
<tbody>${visits.map((v) => html`<tr><td>${formatTokyoDateTime(v.visitedAt, lang)}</td><td>${v.facility}</td>
<td class="num">${v.bathMinutes} ${t(lang, { ja: '分', en: 'min' })}</td></tr>`)}</tbody></table></div>`}
</section>
${state.onsenSpending ? '' : onsenSpendingSection(ctx, state)}
${tottoriIdCard(ctx, state.resident, state.csrf)}`);
}
