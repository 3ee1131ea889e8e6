import type { DomainException } from '@tsunagu/common';
import {
  AGREEMENT_STATE_LABELS, type ConsentsEnforcementSummary, CONTROLLER_TYPES, CONTROLLER_TYPE_CODES, DATA_USE_KIND_LABELS, PURPOSE_CATEGORIES, PURPOSE_CATEGORY_CODES,
  STATISTICS_AGGREGATE_LABELS, STATISTICS_AGGREGATES, STATISTICS_DIMENSION_LABELS, STATISTICS_GROUPING_DIMENSIONS,
} from '@tsunagu/contracts';
import { html, type Lang, type Msg, type SafeHtml } from '@tsunagu/web';
import type { AgreementRow } from '../../catalog/agreements.repository';
import type { CatalogOfferRow, DataUseRevisionRow, DataUseTermsRecord, TenantDataUseRow } from '../../catalog/data-uses.repository';
import type { AdminPrincipal } from '../../platform/access/admin-principal';
import { type FormFields, formErrorView } from '../web/admin-forms';
import { adminPage, codeDetails, csrfField, dataTable, formatDate, name, supportDetails } from '../web/admin.layout';
import { confirmPage } from '../web/confirm.views';
import { enforcementNotice } from './enforcement.views';
import { errorSummary, fieldAria, fieldError } from '../web/form.views';
import { supportText } from '../web/web.messages';
import type { DataUseChoices, DataUseDetail, ItemNames } from './data-uses-admin.service';
import { dataUseText as t } from './data-uses.messages';

const fill = (m: Msg, lang: Lang, v: Record<string, string | number>) => m[lang].replace(/\{(\w+)\}/g, (_, k: string) => String(v[k] ?? ''));

function notice(text: SafeHtml | string | undefined): SafeHtml | '' {
  return text ? html`<div class="success" role="status" data-testid="notice">${text}</div>` : '';
}

/** Item codes as the admin reads them: the offers' names, 要配慮 marked; the codes under 「詳細」. */
export function itemList(lang: Lang, codes: string[], names: ItemNames, unknown: Msg = t.unknownItem): SafeHtml {
  if (!codes.length) return html`—`;
  return html`${codes.map((code, i) => {
    const n = names.get(code);
    return html`${i ? '、' : ''}${n ? name(lang, n.name_ja, n.name_en) : unknown[lang]}${n?.special_care ? html` <span class="tag tag-warn">${t.specialCare[lang]}</span>` : ''}`;
  })}${codeDetails(lang, codes.join(', '))}`;
}

/** Whether residents are asked about the data use now, in words. */
function residentsLabel(lang: Lang, u: TenantDataUseRow, agreements: AgreementRow[]): SafeHtml {
  if (u.status === 'retired') return html`<span class="tag tag-off">${t.retired[lang]}</span>`;
  if (u.approved) return html`<span class="tag tag-ok">${t.approvedForResidents[lang]}</span>`;
  if (agreements.some((a) => a.state === 'pending')) return html`<span class="tag tag-warn">${t.waiting[lang]}</span>`;
  return html`<span class="tag tag-bad">${t.notApproved[lang]}</span>`;
}

export function dataUsesPage(p: { lang: Lang; principal: AdminPrincipal; uses: TenantDataUseRow[]; agreements: AgreementRow[] }): SafeHtml {
  const { lang, principal } = p;
  return adminPage({
    lang, title: t.title[lang], path: '/admin/data-uses', principal, area: 'tenant', section: 'data-uses',
    body: html`<h1>${t.title[lang]}</h1>
<p>${t.lead[lang]}</p>
<div class="actions"><a class="button" href="/admin/data-uses/new" data-testid="new-data-use">${t.add[lang]}</a></div>
${p.uses.length === 0 ? html`<p>${t.none[lang]}</p>` : dataTable({
  label: t.list[lang], testId: 'data-uses',
  columns: [{ label: t.name[lang] }, { label: t.consumer[lang] }, { label: t.residents[lang] }, { label: t.revision[lang], num: true }, { label: t.activeConsents[lang], num: true }],
  rows: p.uses.map((u) => ({
    data: { use: u.code, status: u.status, approved: String(u.approved) },
    cells: [html`<a href="/admin/data-uses/${u.id}">${name(lang, u.title_ja, u.title_en)}</a>${codeDetails(lang, u.code)}`,
      name(lang, u.service_name_ja, u.service_name_en), residentsLabel(lang, u, p.agreements.filter((a) => a.data_use_id === u.id)), u.revision, u.active_consents],
  })),
})}`,
  });
}

/** What the form shows in its fields: what was typed, or the current terms. */
export type DataUseFormValues = Partial<Record<'code' | 'consumerServiceId' | 'titleJa' | 'titleEn' | 'purposeCode' | 'purposeCategory' | 'purposeJa' | 'purposeEn'
  | 'retentionDays' | 'consentValidDays' | 'controllerNameJa' | 'controllerNameEn' | 'controllerContact' | 'controllerType' | 'privacyNoticeUrl' | 'requiresVerifiedIdentity'
  | 'kind' | 'statisticsAggregate' | 'statisticsBins' | 'statisticsFrom' | 'statisticsTo' | 'statisticsK' | 'statisticsEpsilon', string>> & { items?: string[]; statisticsGroupBy?: string[] };

/** The values of a refused form, to show it again: its text fields and the items ticked. */
export function submittedDataUse(body: unknown): DataUseFormValues {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(b)) if (typeof value === 'string' && key !== 'csrf' && key !== 'items' && key !== 'statisticsGroupBy') out[key] = value.slice(0, 5000);
  const list = (value: unknown) => (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((i): i is string => typeof i === 'string').slice(0, 100);
  out.items = list(b.items);
  out.statisticsGroupBy = list(b.statisticsGroupBy);
  return out as DataUseFormValues;
}

function valuesOf(terms: DataUseTermsRecord): DataUseFormValues {
  return {
    titleJa: terms.titleJa, titleEn: terms.titleEn, purposeCode: terms.purposeCode, purposeCategory: terms.purposeCategory, purposeJa: terms.purposeJa,
    purposeEn: terms.purposeEn, items: terms.items, retentionDays: String(terms.retentionDays), consentValidDays: terms.consentValidDays === null ? '' : String(terms.consentValidDays),
    controllerNameJa: terms.controllerNameJa, controllerNameEn: terms.controllerNameEn, controllerContact: terms.controllerContact,
    controllerType: terms.controllerType, privacyNoticeUrl: terms.privacyNoticeUrl,
    requiresVerifiedIdentity: terms.requiresVerifiedIdentity ? 'true' : undefined,
    kind: terms.kind ?? 'exchange',
    ...(terms.statistics ? {
      statisticsAggregate: terms.statistics.aggregate, statisticsGroupBy: [...terms.statistics.groupBy], statisticsBins: terms.statistics.bins?.join(',') ?? '',
      statisticsFrom: terms.statistics.period.from, statisticsTo: terms.statistics.period.to, statisticsK: String(terms.statistics.k),
      statisticsEpsilon: terms.statistics.epsilon === undefined ? '' : String(terms.statistics.epsilon),
    } : {}),
  };
}

/** The form's fields as the admin reads them (for the messages of a refused form). */
const dataUseFields: FormFields = {
  code: { label: t.code, hint: t.codeHint }, consumerServiceId: { label: t.consumer }, titleJa: { label: t.titleJa, hint: t.plainHint }, titleEn: { label: t.titleEn, hint: t.plainHint },
  purposeCode: { label: t.purposeCode, hint: t.purposeCodeHint }, purposeCategory: { label: t.purposeCategory }, purposeJa: { label: t.purposeJa, hint: t.plainHint },
  purposeEn: { label: t.purposeEn, hint: t.plainHint }, items: { label: t.items }, retentionDays: { label: t.retentionDays, hint: t.retentionHint },
  consentValidDays: { label: t.consentValidDays, hint: t.consentValidHint }, controllerNameJa: { label: t.controllerNameJa, hint: t.plainHint },
  controllerNameEn: { label: t.controllerNameEn, hint: t.plainHint }, controllerContact: { label: t.controllerContact, hint: t.plainHint },
  controllerType: { label: t.controllerType }, privacyNoticeUrl: { label: t.privacyNoticeUrl, hint: t.privacyNoticeHint },
  kind: { label: t.kind, hint: t.kindHint }, statisticsAggregate: { label: t.statisticsAggregate }, statisticsGroupBy: { label: t.statisticsGroupBy },
  statisticsBins: { label: t.statisticsBins }, statisticsFrom: { label: t.statisticsFrom }, statisticsTo: { label: t.statisticsTo },
  statisticsK: { label: t.statisticsK }, statisticsEpsilon: { label: t.statisticsEpsilon },
};

/** The kind of a new data use (radio buttons), or the fixed kind of an existing one (shown, and sent as it is). */
function kindField(lang: Lang, v: DataUseFormValues, fixed: boolean, e: ReturnType<typeof formErrorView> | undefined): SafeHtml {
  const kind = v.kind === 'statistics' ? 'statistics' : 'exchange';
  if (fixed) return html`<input type="hidden" name="kind" value="${kind}"><p data-testid="data-use-kind">${t.kind[lang]}: ${DATA_USE_KIND_LABELS[kind][lang]}</p>`;
  return html`<fieldset id="kind" data-testid="data-use-kind"${fieldAria(e, 'kind', 'kind-hint')}><legend>${t.kind[lang]}</legend>
<p class="hint" id="kind-hint">${t.kindHint[lang]}</p>${fieldError(e, 'kind')}
${(['exchange', 'statistics'] as const).map((k) => html`<label class="check"><input type="radio" name="kind" value="${k}"${kind === k ? html` checked` : ''}> ${DATA_USE_KIND_LABELS[k][lang]}</label>`)}
</fieldset>`;
}

/** The statistics definition's fields (used when the kind is statistics; the catalog refuses them otherwise). */
function statisticsFields(lang: Lang, v: DataUseFormValues, e: ReturnType<typeof formErrorView> | undefined, input: (field: 'statisticsBins' | 'statisticsFrom' | 'statisticsTo' | 'statisticsK' | 'statisticsEpsilon', label: Msg, opts: { max: number; inputmode?: string }) => SafeHtml): SafeHtml {
  const groups = new Set(v.statisticsGroupBy ?? []);
  return html`<fieldset id="statistics" data-testid="statistics-fields"><legend>${t.statisticsLegend[lang]}</legend>
<p class="hint" id="statistics-hint">${t.statisticsHint[lang]}</p>
<label for="statisticsAggregate">${t.statisticsAggregate[lang]}</label>${fieldError(e, 'statisticsAggregate')}
<select id="statisticsAggregate" name="statisticsAggregate"${fieldAria(e, 'statisticsAggregate')}>
<option value=""${v.statisticsAggregate ? '' : html` selected`}>—</option>
${STATISTICS_AGGREGATES.map((a) => html`<option value="${a}"${v.statisticsAggregate === a ? html` selected` : ''}>${STATISTICS_AGGREGATE_LABELS[a][lang]}</option>`)}
</select>
<fieldset id="statisticsGroupBy"${fieldAria(e, 'statisticsGroupBy')}><legend>${t.statisticsGroupBy[lang]}</legend>${fieldError(e, 'statisticsGroupBy')}
${STATISTICS_GROUPING_DIMENSIONS.map((d) => html`<label class="check"><input type="checkbox" name="statisticsGroupBy" value="${d}"${groups.has(d) ? html` checked` : ''}> ${STATISTICS_DIMENSION_LABELS[d][lang]}</label>`)}
</fieldset>
${input('statisticsBins', t.statisticsBins, { max: 300 })}
${input('statisticsFrom', t.statisticsFrom, { max: 7, inputmode: 'numeric' })}
${input('statisticsTo', t.statisticsTo, { max: 7, inputmode: 'numeric' })}
${input('statisticsK', t.statisticsK, { max: 5, inputmode: 'numeric' })}
${input('statisticsEpsilon', t.statisticsEpsilon, { max: 7, inputmode: 'decimal' })}
</fieldset>`;
}

/** A statistics definition in one line, for the detail page and the revision diffs. */
function statisticsSummary(lang: Lang, terms: DataUseTermsRecord, names: ItemNames): string {
  const s = terms.statistics;
  if (!s) return '—';
  const item = names.get(s.item);
  const groups = s.groupBy.map((g) => STATISTICS_DIMENSION_LABELS[g][lang]).join(lang === 'ja' ? '・' : ', ') || t.statisticsNoGroups[lang];
  return fill(t.statisticsSummary, lang, {
    item: item ? name(lang, item.name_ja, item.name_en) : s.item, aggregate: STATISTICS_AGGREGATE_LABELS[s.aggregate][lang], groups,
    from: s.period.from, to: s.period.to, k: s.k, noise: s.epsilon === undefined ? '' : fill(t.statisticsNoise, lang, { epsilon: s.epsilon }),
  });
}

/** The offers grouped by providing tenant and service, in the catalog's order. */
function offerGroups(offers: CatalogOfferRow[]): CatalogOfferRow[][] {
  const groups = new Map<string, CatalogOfferRow[]>();
  for (const o of offers) groups.set(`${o.tenant_id}/${o.service_id}`, [...(groups.get(`${o.tenant_id}/${o.service_id}`) ?? []), o]);
  return [...groups.values()];
}

export function dataUseFormPage(p: {
  lang: Lang; principal: AdminPrincipal; choices: DataUseChoices; detail?: DataUseDetail; values?: DataUseFormValues; error?: DomainException;
}): SafeHtml {
  const { lang, principal, choices, detail } = p;
  const e = p.error ? formErrorView(p.error, lang, dataUseFields) : undefined;
  const v: DataUseFormValues = p.values ?? (detail ? valuesOf(detail.terms) : { purposeCategory: 'ServiceProvision', controllerType: 'public' });
  const items = new Set(v.items ?? []);
  const use = detail?.summary;
  const title = use ? t.editTitle[lang] : t.newTitle[lang];
  const action = use ? `/admin/data-uses/${use.id}` : '/admin/data-uses';
  const published = new Set(choices.offers.map((o) => o.code));
  const gone = use ? detail!.terms.items.filter((code) => !published.has(code)) : [];
  const text = (field: keyof DataUseFormValues & string, label: Msg, opts: { hint?: Msg; max: number; en?: boolean; inputmode?: string }) => {
    const hintId = opts.hint ? `${field}-hint` : undefined;
    return html`<label for="${field}">${label[lang]}</label>
${opts.hint ? html`<p class="hint" id="${hintId}">${opts.hint[lang]}</p>` : ''}${fieldError(e, field)}
<input type="text" id="${field}" name="${field}" maxlength="${opts.max}"${opts.inputmode ? html` inputmode="${opts.inputmode}"` : ''}${opts.en ? html` lang="en"` : ''}${fieldAria(e, field, hintId)} value="${(v as Record<string, string | undefined>)[field] ?? ''}">`;
  };
  const area = (field: 'purposeJa' | 'purposeEn', label: Msg, en = false) => html`<label for="${field}">${label[lang]}</label>
<p class="hint" id="${field}-hint">${t.purposeHint[lang]}</p>${fieldError(e, field)}
<textarea id="${field}" name="${field}" rows="4" maxlength="1000"${en ? html` lang="en"` : ''}${fieldAria(e, field, `${field}-hint`)}>${v[field] ?? ''}</textarea>`;
  return adminPage({
    lang, title, path: use ? `/admin/data-uses/${use.id}/edit` : '/admin/data-uses/new', principal, area: 'tenant', section: 'data-uses',
    body: html`<h1>${title}</h1>
${use ? html`<p>${t.editLead[lang]}</p>` : ''}
${errorSummary(lang, e)}
<form method="post" action="${action}" novalidate data-testid="data-use-form">
${csrfField(principal)}
${use ? html`<dl class="props card"><dt>${t.code[lang]}</dt><dd class="mono">${use.code}</dd><dt>${t.consumer[lang]}</dt><dd>${name(lang, use.service_name_ja, use.service_name_en)}</dd></dl>` : html`
${text('code', t.code, { hint: t.codeHint, max: 100 })}
<label for="consumerServiceId">${t.consumer[lang]}</label>
<p class="hint" id="consumerServiceId-hint">${choices.consumers.length ? t.consumerHint[lang] : t.noConsumers[lang]}</p>${fieldError(e, 'consumerServiceId')}
<select id="consumerServiceId" name="consumerServiceId"${fieldAria(e, 'consumerServiceId', 'consumerServiceId-hint')}>
${choices.consumers.map((s) => html`<option value="${s.id}"${v.consumerServiceId === s.id ? html` selected` : ''}>${name(lang, s.name_ja, s.name_en)} (${s.client_id})</option>`)}
</select>`}
${kindField(lang, v, Boolean(use), e)}
${text('titleJa', t.titleJa, { hint: t.plainHint, max: 100 })}
${text('titleEn', t.titleEn, { max: 100, en: true })}
${text('purposeCode', t.purposeCode, { hint: t.purposeCodeHint, max: 64 })}
<label for="purposeCategory">${t.purposeCategory[lang]}</label>${fieldError(e, 'purposeCategory')}
<select id="purposeCategory" name="purposeCategory"${fieldAria(e, 'purposeCategory')}>
${PURPOSE_CATEGORY_CODES.map((c) => html`<option value="${c}"${v.purposeCategory === c ? html` selected` : ''}>${PURPOSE_CATEGORIES[c][lang]}</option>`)}
</select>
${area('purposeJa', t.purposeJa)}
${area('purposeEn', t.purposeEn, true)}
<fieldset id="items" data-testid="items"${fieldAria(e, 'items', 'items-hint')}><legend>${t.items[lang]}</legend>
<p class="hint" id="items-hint">${t.itemsHint[lang]}</p>${fieldError(e, 'items')}
${choices.offers.length === 0 ? html`<p>${t.noOffers[lang]}</p>` : offerGroups(choices.offers).map((group) => html`<fieldset><legend>${name(lang, group[0].tenant_name_ja, group[0].tenant_name_en)} — ${name(lang, group[0].service_name_ja, group[0].service_name_en)}</legend>
${group.map((o) => html`<label class="check"><input type="checkbox" name="items" value="${o.code}"${items.has(o.code) ? html` checked` : ''}> <span>${name(lang, o.name_ja, o.name_en)}${o.special_care ? html` <span class="tag tag-warn">${t.specialCare[lang]}</span>` : ''}<br><span class="hint">${name(lang, o.description_ja, o.description_en)}</span>${o.statistics ? html`<br><span class="hint" data-testid="statistics-offered">${fill(t.statisticsOffered, lang, { dimensions: o.statistics.dimensions.map((d) => STATISTICS_DIMENSION_LABELS[d][lang]).join(lang === 'ja' ? '・' : ', ') })}</span>` : ''}</span></label>`)}
</fieldset>`)}
${gone.length ? html`<p class="notice" data-testid="items-gone">${itemList(lang, gone, detail!.names)}</p>` : ''}
</fieldset>
${!use || v.kind === 'statistics' ? statisticsFields(lang, v, e, (field, label, opts) => text(field, label, opts)) : ''}
${text('retentionDays', t.retentionDays, { hint: t.retentionHint, max: 4, inputmode: 'numeric' })}
${text('consentValidDays', t.consentValidDays, { hint: t.consentValidHint, max: 4, inputmode: 'numeric' })}
${text('controllerNameJa', t.controllerNameJa, { max: 200 })}
${text('controllerNameEn', t.controllerNameEn, { max: 200, en: true })}
${text('controllerContact', t.controllerContact, { hint: t.controllerContactHint, max: 200 })}
<fieldset id="controllerType"${fieldAria(e, 'controllerType', 'controllerType-hint')}><legend>${t.controllerType[lang]}</legend>
<p class="hint" id="controllerType-hint">${t.controllerTypeHint[lang]}</p>${fieldError(e, 'controllerType')}
${CONTROLLER_TYPE_CODES.map((c) => html`<label class="check"><input type="radio" name="controllerType" value="${c}"${v.controllerType === c ? html` checked` : ''}> <span><strong>${CONTROLLER_TYPES[c].label[lang]}</strong><br><span class="hint">${t.lawfulBasis[lang]}: ${CONTROLLER_TYPES[c].lawfulBasis[lang]}</span></span></label>`)}
</fieldset>
${text('privacyNoticeUrl', t.privacyNoticeUrl, { hint: t.privacyNoticeHint, max: 500, inputmode: 'url' })}
<fieldset id="requiresVerifiedIdentity"><legend>${t.requiresVerifiedIdentity[lang]}</legend>
<label class="check"><input type="checkbox" name="requiresVerifiedIdentity" value="true"${v.requiresVerifiedIdentity === 'true' ? html` checked` : ''} aria-describedby="requiresVerifiedIdentity-hint"> <span>${t.requiresVerifiedIdentityLabel[lang]}<br><span class="hint" id="requiresVerifiedIdentity-hint">${t.requiresVerifiedIdentityHint[lang]}</span></span></label>
</fieldset>
<div class="actions"><button class="button" type="submit">${use ? t.save[lang] : t.create[lang]}</button>
<a class="button secondary" href="${use ? `/admin/data-uses/${use.id}` : '/admin/data-uses'}">${t.cancel[lang]}</a></div>
</form>`,
  });
}

const days = (lang: Lang, n: number | null) => (n === null ? t.untilWithdrawn[lang] : fill(t.days, lang, { n }));

/** The terms as label/value pairs (the detail page and the revision diffs). */
function termRows(lang: Lang, terms: DataUseTermsRecord, names: ItemNames): [Msg, SafeHtml | string][] {
  return [
    [t.titleJa, terms.titleJa], [t.titleEn, terms.titleEn], [t.purposeCategory, PURPOSE_CATEGORIES[terms.purposeCategory]?.[lang] ?? terms.purposeCategory],
    [t.purposeJa, terms.purposeJa], [t.purposeEn, terms.purposeEn], [t.items, itemList(lang, terms.items, names)],
    [t.retentionDays, days(lang, terms.retentionDays)], [t.consentValidDays, days(lang, terms.consentValidDays)],
    [t.controllerNameJa, terms.controllerNameJa], [t.controllerNameEn, terms.controllerNameEn], [t.controllerContact, terms.controllerContact],
    [t.controllerType, CONTROLLER_TYPES[terms.controllerType]?.label[lang] ?? terms.controllerType],
    [t.lawfulBasis, CONTROLLER_TYPES[terms.controllerType]?.lawfulBasis[lang] ?? '—'],
    [t.privacyNoticeUrl, terms.privacyNoticeUrl],
    [t.requiresVerifiedIdentity, terms.requiresVerifiedIdentity ? t.requiresVerifiedIdentityYes[lang] : t.requiresVerifiedIdentityNo[lang]],
    [t.kind, DATA_USE_KIND_LABELS[terms.kind ?? 'exchange'][lang]],
    [t.statisticsDefinition, statisticsSummary(lang, terms, names)],
  ];
}

/** What changed from one revision to the next, in words. */
function revisionChanges(lang: Lang, before: DataUseTermsRecord | undefined, after: DataUseTermsRecord, names: ItemNames): SafeHtml {
  if (!before) return html`${t.firstRevision[lang]}`;
  const lines: SafeHtml[] = [];
  const added = after.items.filter((i) => !before.items.includes(i));
  const removed = before.items.filter((i) => !after.items.includes(i));
  if (added.length) lines.push(html`<li>${t.itemsAdded[lang]}: ${itemList(lang, added, names)}</li>`);
  if (removed.length) lines.push(html`<li>${t.itemsRemoved[lang]}: ${itemList(lang, removed, names)}</li>`);
  const old = termRows(lang, before, names);
  const now = termRows(lang, after, names);
  for (let i = 0; i < now.length; i++) {
    if (now[i][0] === t.items || now[i][0] === t.lawfulBasis) continue;
    if (String(old[i][1]) !== String(now[i][1])) lines.push(html`<li><strong>${now[i][0][lang]}</strong>: <del>${old[i][1]}</del> → <ins>${now[i][1]}</ins></li>`);
  }
  if (before.purposeCode !== after.purposeCode) lines.push(html`<li><strong>${t.purposeCode[lang]}</strong>: <span class="mono">${before.purposeCode}</span> → <span class="mono">${after.purposeCode}</span></li>`);
  return lines.length ? html`<ul data-testid="revision-changes">${lines}</ul>` : html`${t.noChanges[lang]}`;
}

function stateTag(lang: Lang, state: AgreementRow['state']): SafeHtml {
  const cls = state === 'approved' ? 'tag-ok' : state === 'pending' ? 'tag-warn' : state === 'retired' ? 'tag-off' : 'tag-bad';
  return html`<span class="tag ${cls}" data-state="${state}">${AGREEMENT_STATE_LABELS[state]?.[lang] ?? state}</span>`;
}
export { stateTag as agreementStateTag };

export function dataUsePage(p: { lang: Lang; principal: AdminPrincipal; detail: DataUseDetail; notice?: SafeHtml | string }): SafeHtml {
  const { lang, principal, detail } = p;
  const u = detail.summary;
  const base = `/admin/data-uses/${u.id}`;
  const title = name(lang, u.title_ja, u.title_en);
  return adminPage({
    lang, title, path: base, principal, area: 'tenant', section: 'data-uses',
    body: html`<h1>${title}</h1>
${notice(p.notice)}
<dl class="props card" data-testid="data-use-summary">
<dt>${t.status[lang]}</dt><dd data-testid="data-use-status" data-status="${u.status}">${residentsLabel(lang, u, detail.agreements)}</dd>
<dt>${t.consumer[lang]}</dt><dd>${name(lang, u.service_name_ja, u.service_name_en)}</dd>
<dt>${t.revision[lang]}</dt><dd data-testid="data-use-revision">${u.revision}</dd>
<dt>${t.activeConsents[lang]}</dt><dd data-testid="active-consents">${u.active_consents}</dd>
</dl>
${supportDetails(lang, html`<p>${supportText.code[lang]}: <span class="mono" data-code>${u.code}</span> / <span class="mono">${detail.terms.purposeCode}</span> / <span class="mono">${detail.terms.purposeCategory}</span></p>`)}
${u.status === 'retired' ? html`<p class="notice" data-testid="retired-note">${t.retiredNote[lang]}</p>` : html`<div class="actions"><a class="button secondary" href="${base}/edit">${t.edit[lang]}</a>
<a class="button danger-secondary" href="${base}/retire">${t.retire[lang]}</a></div>`}
<h2>${t.terms[lang]}</h2>
<dl class="props card" data-testid="data-use-terms">${termRows(lang, detail.terms, detail.names).map(([label, value]) => html`<dt>${label[lang]}</dt><dd>${value}</dd>`)}</dl>
<h2>${t.agreements[lang]}</h2>
<p>${t.agreementsLead[lang]}</p>
${detail.agreements.length === 0 ? html`<p>${t.none[lang]}</p>` : dataTable({
  label: t.agreements[lang], testId: 'data-use-agreements',
  columns: [{ label: t.provider[lang] }, { label: t.state[lang] }, { label: t.approvedItems[lang], full: true }, { label: t.requestedItems[lang], full: true }, { label: t.reason[lang] }],
  rows: detail.agreements.map((a) => ({
    data: { agreement: a.id, state: a.state },
    cells: [html`<a href="/admin/agreements/${a.id}">${name(lang, a.provider_tenant_name_ja, a.provider_tenant_name_en)}</a>`, stateTag(lang, a.state),
      itemList(lang, a.items, detail.names), itemList(lang, a.requested_items, detail.names), a.reason ?? '—'],
  })),
})}
<h2>${t.history[lang]}</h2>
${revisionsTable(lang, detail.revisions, detail.names)}`,
  });
}

/** Every revision of a data use, newest first, with what changed from the one before (both tenants of an agreement see it). */
export function revisionsTable(lang: Lang, revisions: DataUseRevisionRow[], names: ItemNames): SafeHtml {
  const ordered = [...revisions].sort((a, b) => b.revision - a.revision);
  const previous = (r: DataUseRevisionRow) => ordered.find((x) => x.revision < r.revision);
  return dataTable({
    label: t.history[lang], testId: 'data-use-revisions',
    columns: [{ label: t.revision[lang], num: true }, { label: t.when[lang] }, { label: t.who[lang] }, { label: t.askedAgain[lang] }, { label: t.changes[lang], full: true }],
    rows: ordered.map((r) => ({
      data: { revision: String(r.revision), needsConsent: String(r.needs_consent) },
      cells: [r.revision, formatDate(lang, r.created_at), r.changed_by_login ?? t.platform[lang], r.needs_consent ? t.askedAgainYes[lang] : t.askedAgainNo[lang],
        revisionChanges(lang, previous(r)?.terms, r.terms, names)],
    })),
  });
}

/** The notice after a change: the revision, how many consents were paused, which providers must approve again. */
export function changedNotice(
  lang: Lang, change: { revision: number; needsConsent: boolean; paused: number; pendingAgreements: string[]; enforcement?: ConsentsEnforcementSummary | null }, detail: DataUseDetail, revised: boolean,
): SafeHtml {
  if (!revised) return html`${t.unchanged[lang]}`;
  const waiting = detail.agreements.filter((a) => change.pendingAgreements.includes(a.id)).map((a) => name(lang, a.provider_tenant_name_ja, a.provider_tenant_name_en));
  return html`<p>${fill(t.changed, lang, { revision: change.revision })}</p>
<p data-testid="paused">${change.needsConsent ? fill(t.paused, lang, { n: change.paused }) : t.kept[lang]}</p>
${change.enforcement?.consents ? html`<p data-testid="enforcement">${enforcementNotice(lang, change.enforcement)}</p>` : ''}
${waiting.length ? html`<p data-testid="waiting-again">${fill(t.waitingAgain, lang, { names: waiting.join('、') })}</p>` : ''}`;
}

export function retiredNotice(lang: Lang, ended: number, enforcement?: ConsentsEnforcementSummary | null): string {
  return `${fill(t.retiredDone, lang, { n: ended })}${enforcementNotice(lang, enforcement)}`;
}

/** The confirmation step before retiring a data use (a reason is required). */
export function retireDataUsePage(p: { lang: Lang; principal: AdminPrincipal; detail: DataUseDetail; error?: string }): SafeHtml {
  const { lang, principal, detail } = p;
  const u = detail.summary;
  const base = `/admin/data-uses/${u.id}`;
  return confirmPage({
    lang, principal, area: 'tenant', section: 'data-uses', path: `${base}/retire`, action: 'retire',
    title: t.retireTitle[lang], lead: t.retireLead[lang],
    facts: [[t.name[lang], name(lang, u.title_ja, u.title_en)], [t.consumer[lang], name(lang, u.service_name_ja, u.service_name_en)], [t.activeConsents[lang], u.active_consents]],
    consequences: [t.retireExchange[lang], fill(t.retireConsents, lang, { n: u.active_consents }), t.retireAgreements[lang], t.retireCode[lang]],
    button: t.retireButton[lang], cancel: base, reason: t.retireReason[lang], reasonRequired: true, error: p.error,
    blocked: u.status === 'retired' ? t.retiredNote[lang] : undefined,
  });
}
