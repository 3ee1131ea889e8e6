import type { DomainException } from '@tsunagu/common';
import { OFFER_STATUS_LABELS, type OfferStatisticsDeclaration, STATISTICS_DIMENSION_LABELS, STATISTICS_GROUPING_DIMENSIONS } from '@tsunagu/contracts';
import { html, type Lang, type Msg, type SafeHtml } from '@tsunagu/web';
import type { OfferDetail, OfferSummary, OfferVersionView } from '../../catalog/offers.service';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import type { AdminServiceListRow } from '../services/admin-services.repository';
import { type FormFields, formErrorView } from '../web/admin-forms';
import { adminPage, codeDetails, csrfField, dataTable, formatDate, name } from '../web/admin.layout';
import { confirmPage } from '../web/confirm.views';
import { errorSummary, fieldAria, fieldError } from '../web/form.views';
import { offerText as t, sourceText, versionStateText } from './offers.messages';

const fill = (lang: Lang, m: Msg, values: Record<string, string | number>) => m[lang].replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));
const base = (code: string) => `/admin/offers/${encodeURIComponent(code)}`;

function notice(text?: string): SafeHtml | '' {
  return text ? html`<div class="success" role="status">${text}</div>` : '';
}

function statusTag(lang: Lang, status: OfferSummary['status']): SafeHtml {
  const tag = status === 'active' ? 'tag-ok' : status === 'draft' ? 'tag-warn' : 'tag-off';
  return html`<span class="tag ${tag}" data-status="${status}">${OFFER_STATUS_LABELS[status][lang]}</span>`;
}

function windowText(lang: Lang, days: number | null): string {
  return days === null ? t.noWindow[lang] : fill(lang, t.days, { days });
}

/** What a version lets statistics do, in words: 「市町村・月ごとに集計可、数値（上限 200000）」. */
function statisticsText(lang: Lang, s: OfferStatisticsDeclaration | null): string {
  if (!s) return t.statisticsOff[lang];
  const dimensions = s.dimensions.map((d) => STATISTICS_DIMENSION_LABELS[d][lang]).join(lang === 'ja' ? '・' : ', ');
  const on = fill(lang, t.statisticsOn, { dimensions });
  if (!s.numeric) return on;
  const number = s.maximum === undefined ? t.statisticsNumberUnbounded[lang] : fill(lang, t.statisticsNumber, { maximum: s.maximum.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-GB') });
  return `${on}${lang === 'ja' ? '、' : '; '}${number}`;
}

export function offersPage(p: { lang: Lang; principal: AdminPrincipal; offers: OfferSummary[]; notice?: string }): SafeHtml {
  const { lang, principal } = p;
  return adminPage({
    lang, title: t.title[lang], path: '/admin/offers', principal, area: 'tenant', section: 'offers',
    body: html`<h1>${t.title[lang]}</h1>
<p>${t.lead[lang]}</p>
${notice(p.notice)}
<div class="actions"><a class="button" href="/admin/offers/new">${t.add[lang]}</a></div>
${p.offers.length === 0 ? html`<p>${t.none[lang]}</p>` : dataTable({
  label: t.list[lang], testId: 'offers',
  columns: [{ label: t.name[lang] }, { label: t.service[lang] }, { label: t.status[lang] }, { label: t.version[lang], num: true },
    { label: t.draft[lang] }, { label: t.connector[lang] }, { label: t.specialCare[lang] }],
  rows: p.offers.map((o) => ({
    data: { offer: o.code },
    cells: [
      html`<a href="${base(o.code)}">${name(lang, o.name.ja, o.name.en)}</a>${codeDetails(lang, o.code)}`,
      name(lang, o.service.name.ja, o.service.name.en), statusTag(lang, o.status),
      o.status === 'draft' ? t.notPublishedYet[lang] : String(o.version),
      o.draftVersion ? html`<span class="tag tag-warn">${fill(lang, t.draftVersion, { version: o.draftVersion })}</span>` : t.noDraft[lang],
      o.connector ? o.connector.name : t.noConnector[lang], o.specialCare ? t.yes[lang] : t.no[lang],
    ],
  })),
})}`,
  });
}

/** What an offer form holds (as typed, or from the offer's newest version). */
export interface OfferFormValues {
  code?: string;
  serviceId?: string;
  nameJa?: string;
  nameEn?: string;
  descriptionJa?: string;
  descriptionEn?: string;
  specialCare?: string;
  maxWindowDays?: string;
  schema?: string;
  statisticsDimensions?: string | string[];
  statisticsNumeric?: string;
  statisticsMaximum?: string;
}

const offerFields: FormFields = {
  code: { label: t.code, hint: t.codeHint }, serviceId: { label: t.service, hint: t.serviceHint },
  nameJa: { label: t.nameJa, hint: t.nameHint }, nameEn: { label: t.nameEn, hint: t.nameHint },
  descriptionJa: { label: t.descriptionJa, hint: t.nameHint }, descriptionEn: { label: t.descriptionEn, hint: t.nameHint },
  specialCare: { label: t.specialCare }, maxWindowDays: { label: t.maxWindowLabel, hint: t.maxWindowHint }, schema: { label: t.schema, hint: t.schemaHint },
  statisticsDimensions: { label: t.statisticsLegend, hint: t.statisticsHint }, statisticsNumeric: { label: t.statisticsNumeric },
  statisticsMaximum: { label: t.statisticsMaximum, hint: t.statisticsMaximumHint },
};

/** The values of the offer's newest version (a pending draft, else the published one), to start a change from. */
export function valuesOf(offer: OfferDetail): OfferFormValues {
  const v = offer.versions.find((x) => x.state === 'draft') ?? offer.versions.find((x) => x.state === 'active') ?? offer.versions[0];
  return {
    nameJa: v.name.ja, nameEn: v.name.en, descriptionJa: v.description.ja, descriptionEn: v.description.en,
    specialCare: v.specialCare ? 'on' : undefined, maxWindowDays: v.maxWindowDays === null ? '' : String(v.maxWindowDays), schema: JSON.stringify(v.schema, null, 2),
    statisticsDimensions: v.statistics?.dimensions ?? [], statisticsNumeric: v.statistics?.numeric ? 'on' : undefined,
    statisticsMaximum: v.statistics?.maximum === undefined ? '' : String(v.statistics.maximum),
  };
}

/** The form that adds an offer (no `offer`) or changes one (a new version). */
export function offerFormPage(p: { lang: Lang; principal: AdminPrincipal; offer?: OfferDetail; services?: AdminServiceListRow[]; values?: OfferFormValues; error?: DomainException }): SafeHtml {
  const { lang, principal, offer } = p;
  const e = p.error ? formErrorView(p.error, lang, offerFields) : undefined;
  const v: OfferFormValues = p.values ?? (offer ? valuesOf(offer) : { schema: '{\n  "type": "object",\n  "required": [],\n  "additionalProperties": false,\n  "properties": {}\n}' });
  const title = offer ? t.editTitle[lang] : t.newTitle[lang];
  const services = p.services ?? [];
  const action = offer ? `${base(offer.code)}/versions` : '/admin/offers';
  return adminPage({
    lang, title, path: offer ? `${base(offer.code)}/edit` : '/admin/offers/new', principal, area: 'tenant', section: 'offers',
    body: html`<h1>${title}</h1>
<p>${offer ? t.editLead[lang] : t.newLead[lang]}</p>
${errorSummary(lang, e)}
${!offer && services.length === 0 ? html`<div class="notice" role="note">${t.noServices[lang]}</div>` : ''}
<form method="post" action="${action}" novalidate>
${csrfField(principal)}
${offer ? html`<dl class="props card"><dt>${t.name[lang]}</dt><dd>${name(lang, offer.name.ja, offer.name.en)}${codeDetails(lang, offer.code)}</dd>
<dt>${t.service[lang]}</dt><dd>${name(lang, offer.service.name.ja, offer.service.name.en)}</dd></dl>` : html`<label for="code">${t.code[lang]}</label>
<p class="hint" id="code-hint">${t.codeHint[lang]}</p>${fieldError(e, 'code')}
<input type="text" id="code" name="code" required minlength="3" maxlength="128" pattern="[a-z0-9]+(-[a-z0-9]+)*\\.[a-z0-9]+(-[a-z0-9]+)*"${fieldAria(e, 'code', 'code-hint')} value="${v.code ?? ''}" autocapitalize="none" spellcheck="false">
<label for="serviceId">${t.service[lang]}</label>
<p class="hint" id="service-hint">${t.serviceHint[lang]}</p>${fieldError(e, 'serviceId')}
<select id="serviceId" name="serviceId" required${fieldAria(e, 'serviceId', 'service-hint')}>${services.map((s) => html`<option value="${s.id}"${v.serviceId === s.id ? html` selected` : ''}>${name(lang, s.name_ja, s.name_en)}</option>`)}</select>`}
<label for="nameJa">${t.nameJa[lang]}</label>
<p class="hint" id="name-hint">${t.nameHint[lang]}</p>${fieldError(e, 'nameJa')}
<input type="text" id="nameJa" name="nameJa" required maxlength="100"${fieldAria(e, 'nameJa', 'name-hint')} value="${v.nameJa ?? ''}">
<label for="nameEn">${t.nameEn[lang]}</label>${fieldError(e, 'nameEn')}
<input type="text" id="nameEn" name="nameEn" required maxlength="100"${fieldAria(e, 'nameEn', 'name-hint')} value="${v.nameEn ?? ''}" lang="en">
<label for="descriptionJa">${t.descriptionJa[lang]}</label>${fieldError(e, 'descriptionJa')}
<textarea id="descriptionJa" name="descriptionJa" rows="3" required maxlength="1000"${fieldAria(e, 'descriptionJa', 'name-hint')}>${v.descriptionJa ?? ''}</textarea>
<label for="descriptionEn">${t.descriptionEn[lang]}</label>${fieldError(e, 'descriptionEn')}
<textarea id="descriptionEn" name="descriptionEn" rows="3" required maxlength="1000"${fieldAria(e, 'descriptionEn', 'name-hint')} lang="en">${v.descriptionEn ?? ''}</textarea>
<label class="check"><input type="checkbox" id="specialCare" name="specialCare" value="on"${v.specialCare ? html` checked` : ''}> ${t.specialCareLabel[lang]}</label>${fieldError(e, 'specialCare')}
<label for="maxWindowDays">${t.maxWindowLabel[lang]}</label>
<p class="hint" id="window-hint">${t.maxWindowHint[lang]}</p>${fieldError(e, 'maxWindowDays')}
<input type="text" inputmode="numeric" id="maxWindowDays" name="maxWindowDays" maxlength="4" pattern="[1-9][0-9]{0,3}"${fieldAria(e, 'maxWindowDays', 'window-hint')} value="${v.maxWindowDays ?? ''}">
${statisticsFieldset(lang, v, e)}
<label for="schema">${t.schema[lang]}</label>
<p class="hint" id="schema-hint">${t.schemaHint[lang]}</p>${fieldError(e, 'schema')}
<textarea id="schema" name="schema" rows="14" required maxlength="16000"${fieldAria(e, 'schema', 'schema-hint')} spellcheck="false" autocapitalize="none">${v.schema ?? ''}</textarea>
<div class="actions"><button class="button" type="submit">${offer ? t.saveDraft[lang] : t.register[lang]}</button>
<a class="button secondary" href="${offer ? base(offer.code) : '/admin/offers'}">${t.cancel[lang]}</a></div>
</form>`,
  });
}

/** The statistics declaration's fields: a box per dimension, whether it is a number, its bound. */
function statisticsFieldset(lang: Lang, v: OfferFormValues, e: ReturnType<typeof formErrorView> | undefined): SafeHtml {
  const ticked = v.statisticsDimensions === undefined ? [] : Array.isArray(v.statisticsDimensions) ? v.statisticsDimensions : [v.statisticsDimensions];
  return html`<fieldset data-testid="offer-statistics"><legend>${t.statisticsLegend[lang]}</legend>
<p class="hint" id="statistics-hint">${t.statisticsHint[lang]}</p>${fieldError(e, 'statisticsDimensions')}
${STATISTICS_GROUPING_DIMENSIONS.map((d) => html`<label class="check"><input type="checkbox" name="statisticsDimensions" value="${d}"${ticked.includes(d) ? html` checked` : ''} aria-describedby="statistics-hint"> ${STATISTICS_DIMENSION_LABELS[d][lang]}</label>`)}
<label class="check"><input type="checkbox" id="statisticsNumeric" name="statisticsNumeric" value="on"${v.statisticsNumeric ? html` checked` : ''}> ${t.statisticsNumeric[lang]}</label>${fieldError(e, 'statisticsNumeric')}
<label for="statisticsMaximum">${t.statisticsMaximum[lang]}</label>
<p class="hint" id="statistics-maximum-hint">${t.statisticsMaximumHint[lang]}</p>${fieldError(e, 'statisticsMaximum')}
<input type="text" inputmode="numeric" id="statisticsMaximum" name="statisticsMaximum" maxlength="9" pattern="[1-9][0-9]{0,8}"${fieldAria(e, 'statisticsMaximum', 'statistics-maximum-hint')} value="${v.statisticsMaximum ?? ''}">
</fieldset>`;
}

function who(lang: Lang, person: { name: string } | null): string {
  return person ? fill(lang, t.by, { name: person.name }) : '';
}

function versionCard(lang: Lang, v: OfferVersionView): SafeHtml {
  return html`<section class="card" aria-labelledby="version-${v.version}" data-testid="offer-version" data-version="${v.version}" data-state="${v.state}">
<h3 id="version-${v.version}">${fill(lang, t.versionTitle, { version: v.version })} — ${versionStateText[v.state][lang]}</h3>
<dl class="props">
<dt>${t.name[lang]}</dt><dd>${name(lang, v.name.ja, v.name.en)}</dd>
<dt>${t.description[lang]}</dt><dd>${name(lang, v.description.ja, v.description.en)}</dd>
<dt>${t.specialCare[lang]}</dt><dd>${v.specialCare ? t.yes[lang] : t.no[lang]}</dd>
<dt>${t.maxWindow[lang]}</dt><dd>${windowText(lang, v.maxWindowDays)}</dd>
<dt>${t.statistics[lang]}</dt><dd data-testid="offer-version-statistics">${statisticsText(lang, v.statistics)}</dd>
<dt>${t.source[lang]}</dt><dd>${sourceText[v.source][lang]}${v.connector?.name ? ` (${v.connector.name})` : ''}</dd>
<dt>${t.createdAt[lang]}</dt><dd>${formatDate(lang, v.createdAt)}${who(lang, v.createdBy)}</dd>
<dt>${t.activatedAt[lang]}</dt><dd>${formatDate(lang, v.activatedAt)}${who(lang, v.activatedBy)}</dd>
</dl>
<details class="support" open><summary>${t.schemaOf[lang]}</summary><pre data-testid="offer-schema">${JSON.stringify(v.schema, null, 2)}</pre></details>
</section>`;
}

export function offerPage(p: { lang: Lang; principal: AdminPrincipal; offer: OfferDetail; notice?: string }): SafeHtml {
  const { lang, principal, offer: o } = p;
  const draft = o.status !== 'withdrawn' ? o.versions.find((v) => v.state === 'draft') : undefined;
  return adminPage({
    lang, title: name(lang, o.name.ja, o.name.en), path: base(o.code), principal, area: 'tenant', section: 'offers',
    body: html`<h1>${name(lang, o.name.ja, o.name.en)}</h1>
${notice(p.notice)}
<dl class="props card">
<dt>${t.status[lang]}</dt><dd data-testid="offer-status">${statusTag(lang, o.status)}</dd>
<dt>${t.version[lang]}</dt><dd>${o.status === 'draft' ? t.notPublishedYet[lang] : o.version}</dd>
<dt>${t.draft[lang]}</dt><dd>${o.draftVersion && o.status !== 'withdrawn' ? fill(lang, t.draftVersion, { version: o.draftVersion }) : t.noDraft[lang]}</dd>
<dt>${t.service[lang]}</dt><dd>${name(lang, o.service.name.ja, o.service.name.en)}</dd>
<dt>${t.connector[lang]}</dt><dd>${o.connector ? o.connector.name : t.noConnector[lang]}</dd>
<dt>${t.description[lang]}</dt><dd>${name(lang, o.description.ja, o.description.en)}</dd>
<dt>${t.specialCare[lang]}</dt><dd>${o.specialCare ? t.yes[lang] : t.no[lang]}</dd>
<dt>${t.maxWindow[lang]}</dt><dd>${windowText(lang, o.maxWindowDays)}</dd>
</dl>
${codeDetails(lang, o.code)}
${o.status === 'withdrawn' ? html`<p class="notice">${t.withdrawnNote[lang]}</p>` : html`${draft ? html`<form method="post" action="${base(o.code)}/versions/${draft.version}/activate">
${csrfField(principal)}<p class="hint">${t.activateHint[lang]}</p>
<div class="actions"><button class="button" type="submit" data-testid="activate">${fill(lang, t.activate, { version: draft.version })}</button></div></form>` : ''}
<div class="actions"><a class="button secondary" href="${base(o.code)}/edit">${t.edit[lang]}</a>
<a class="button danger-secondary" href="${base(o.code)}/withdraw">${t.withdraw[lang]}</a></div>`}
<h2>${t.versions[lang]}</h2>
${o.versions.map((v) => versionCard(lang, v))}
<p><a href="/admin/offers">${t.back[lang]}</a></p>`,
  });
}

/** The confirmation step of withdrawing an offer (final): what stops, and the reason (required). */
export function withdrawConfirmPage(p: { lang: Lang; principal: AdminPrincipal; offer: OfferDetail }): SafeHtml {
  const { lang, principal, offer: o } = p;
  return confirmPage({
    lang, principal, area: 'tenant', section: 'offers', path: `${base(o.code)}/withdraw`, action: 'withdraw',
    title: t.withdrawTitle[lang], lead: t.withdrawLead[lang],
    facts: [[t.name[lang], name(lang, o.name.ja, o.name.en)], [t.service[lang], name(lang, o.service.name.ja, o.service.name.en)], [t.status[lang], statusTag(lang, o.status)],
      [t.code[lang], html`<span class="mono">${o.code}</span>`]],
    consequences: [t.withdrawCatalog[lang], t.withdrawConsents[lang], ...(o.draftVersion ? [t.withdrawDraft[lang]] : []), t.withdrawFinal[lang]],
    button: t.withdrawButton[lang], cancel: base(o.code), reason: t.reason[lang], reasonRequired: true,
    blocked: o.status === 'withdrawn' ? t.alreadyWithdrawn[lang] : undefined,
  });
}
