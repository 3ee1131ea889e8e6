import type { Msg } from '@tsunagu/web';

/** The words of the audit-search screen, Japanese and English side by side. */
export const auditText = {
  title: { ja: '監査ログ', en: 'Audit log' },
  lead: { ja: 'ログイン、管理操作、同意、データ提供の許可・拒否などの記録です。各行は前の行のハッシュを含み、改ざんは npm run audit:verify で検出できます。日付は日本時間です。', en: 'Sign-ins, admin changes, consent decisions, grants issued and refused, and more. Each row holds the hash of the one before; `npm run audit:verify` detects tampering. Dates are Japan time.' },
  filters: { ja: '検索条件', en: 'Filters' },
  from: { ja: '開始日', en: 'From' },
  to: { ja: '終了日', en: 'To' },
  type: { ja: '種類（例: admin.change、auth. で始まるもの全部）', en: 'Type (e.g. admin.change, or auth. for the whole area)' },
  tenant: { ja: 'テナント', en: 'Tenant' },
  any: { ja: 'すべて', en: 'Any' },
  actorKind: { ja: '操作した主体', en: 'Actor kind' },
  actorId: { ja: '主体のID', en: 'Actor ID' },
  subject: { ja: '対象のID', en: 'Subject ID' },
  outcome: { ja: '結果', en: 'Outcome' },
  success: { ja: '成功', en: 'Success' },
  failure: { ja: '失敗', en: 'Failure' },
  search: { ja: '検索する', en: 'Search' },
  exportNdjson: { ja: 'この条件で書き出す（NDJSON）', en: 'Export these rows (NDJSON)' },
  exportCsv: { ja: 'この条件で書き出す（CSV）', en: 'Export these rows (CSV)' },
  none: { ja: '該当する記録はありません。', en: 'No matching rows.' },
  more: { ja: '次の50件', en: 'Next 50 rows' },
  seq: { ja: '番号', en: 'Seq' },
  time: { ja: '日時', en: 'Time' },
  actor: { ja: '主体', en: 'Actor' },
  reason: { ja: '理由', en: 'Reason' },
  details: { ja: '詳細', en: 'Details' },
} satisfies Record<string, Msg>;
