import { type BilingualText, CONTROLLER_TYPES, PURPOSE_CATEGORIES, type TermsDifferenceView } from '@tsunagu/contracts';
import type { DataUseRevisionTerms } from '../catalog/data-use-revisions.repository';
import { termsChangeText as t } from './portal.messages';

const same = (a: BilingualText, b: BilingualText) => a.ja === b.ja && a.en === b.en;
const fill = (text: BilingualText, n: number): BilingualText => ({ ja: text.ja.replace('{n}', String(n)), en: text.en.replace('{n}', String(n)) });
const words = <K extends string>(table: Record<K, BilingualText>, code: string): BilingualText =>
  Object.hasOwn(table, code) ? { ...table[code as K] } : { ja: code, en: code };

function controller(terms: DataUseRevisionTerms): BilingualText {
  return { ja: `${terms.controllerNameJa}（${terms.controllerContact}）`, en: `${terms.controllerNameEn} (${terms.controllerContact})` };
}

function validity(days: number | null): BilingualText {
  return days ? fill(t.days, days) : { ...t.untilWithdrawn };
}

/**
 * What changed between the terms a resident agreed to (`before`) and the current ones (`after`),
 * in words: items added and removed by name, then each other term whose value differs — title,
 * purpose, purpose category, retention, consent validity, controller, controller type, privacy
 * notice — with both values. Pure; `itemName` names an item code (the code itself when unknown).
 */
export function termsDiff(before: DataUseRevisionTerms, after: DataUseRevisionTerms, itemName: (code: string) => BilingualText): TermsDifferenceView[] {
  const out: TermsDifferenceView[] = [];
  const named = (code: string) => ({ code, name: itemName(code) });
  const added = after.items.filter((code) => !before.items.includes(code));
  const removed = before.items.filter((code) => !after.items.includes(code));
  if (added.length || removed.length) out.push({ term: 'items', added: added.map(named), removed: removed.map(named) });
  const change = (term: TermsDifferenceView['term'], a: BilingualText | null, b: BilingualText | null) => {
    if (a === null || b === null ? a !== b : !same(a, b)) out.push({ term, before: a, after: b });
  };
  change('title', { ja: before.titleJa, en: before.titleEn }, { ja: after.titleJa, en: after.titleEn });
  // The purpose code alone can change while the words stay (a re-filing): still a new purpose.
  if (before.purposeCode !== after.purposeCode || before.purposeJa !== after.purposeJa || before.purposeEn !== after.purposeEn) {
    out.push({ term: 'purpose', before: { ja: before.purposeJa, en: before.purposeEn }, after: { ja: after.purposeJa, en: after.purposeEn } });
  }
  change('purposeCategory', words(PURPOSE_CATEGORIES, before.purposeCategory), words(PURPOSE_CATEGORIES, after.purposeCategory));
  if (before.retentionDays !== after.retentionDays) out.push({ term: 'retentionDays', before: fill(t.days, before.retentionDays), after: fill(t.days, after.retentionDays) });
  if ((before.consentValidDays ?? null) !== (after.consentValidDays ?? null)) {
    out.push({ term: 'consentValidDays', before: validity(before.consentValidDays), after: validity(after.consentValidDays) });
  }
  change('controller', controller(before), controller(after));
  if (before.controllerType !== after.controllerType) {
    const label = (type: string) => (Object.hasOwn(CONTROLLER_TYPES, type) ? { ...CONTROLLER_TYPES[type as keyof typeof CONTROLLER_TYPES].label } : { ja: type, en: type });
    out.push({ term: 'controllerType', before: label(before.controllerType), after: label(after.controllerType) });
  }
  if (before.privacyNoticeUrl !== after.privacyNoticeUrl) {
    out.push({ term: 'privacyNoticeUrl', before: { ja: before.privacyNoticeUrl, en: before.privacyNoticeUrl }, after: { ja: after.privacyNoticeUrl, en: after.privacyNoticeUrl } });
  }
  return out;
}
