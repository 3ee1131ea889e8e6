import type { Msg } from '@tsunagu/web';
import type { OfferVersionSource, OfferVersionState } from '../../catalog/offers.repository';
import type { PublishOutcome } from '../../catalog/offers.service';

/** The words of the offer screens (提供データ), Japanese and English side by side. */
export const offerText = {
  title: { ja: '提供データ', en: 'Data offers' },
  lead: {
    ja: 'このテナントのサービスが他のサービスに提供できるデータの一覧です。コネクタが設定ファイルから登録した提供データは「下書き」として届きます。内容を確かめて公開すると、他のテナントのデータ利用で選べるようになります。',
    en: 'The data this tenant\'s services can provide to other services. Offers a connector publishes from its configuration arrive as drafts: check them and publish them, and other tenants\' data uses can choose them.',
  },
  list: { ja: 'このテナントの提供データ', en: 'This tenant\'s data offers' },
  none: { ja: '提供データはまだありません。コネクタを設置して登録するか、「提供データを追加」から登録してください。', en: 'No data offers yet. Install and register a connector, or add one here.' },
  add: { ja: '提供データを追加', en: 'Add a data offer' },
  name: { ja: '名前', en: 'Name' },
  service: { ja: '提供元のサービス', en: 'Providing service' },
  status: { ja: '状態', en: 'Status' },
  version: { ja: '公開中の版', en: 'Published version' },
  draft: { ja: '公開待ちの下書き', en: 'Pending draft' },
  draftVersion: { ja: '版 {version}', en: 'version {version}' },
  noDraft: { ja: 'なし', en: 'none' },
  connector: { ja: 'コネクタ', en: 'Connector' },
  noConnector: { ja: '（管理画面から登録）', en: '(entered here)' },
  specialCare: { ja: '要配慮個人情報', en: 'Special care-required' },
  yes: { ja: 'はい', en: 'Yes' },
  no: { ja: 'いいえ', en: 'No' },
  notPublishedYet: { ja: '未公開', en: 'not yet published' },
  description: { ja: '説明', en: 'Description' },
  maxWindow: { ja: '一度に提供できる最長期間', en: 'Longest period per request' },
  days: { ja: '{days}日', en: '{days} days' },
  noWindow: { ja: '期間の指定なし', en: 'No period' },
  code: { ja: 'データ項目コード', en: 'Item code' },
  codeHint: {
    ja: '「提供元.項目名」の形で、半角英小文字・数字・ハイフン（例: misasa-health.daily-steps）。一度決めると変更できず、他のサービスは使えません。',
    en: 'As "provider.item", in lower-case letters, digits and hyphens (e.g. misasa-health.daily-steps). It cannot change later, and no other service can use it.',
  },
  serviceHint: { ja: 'このテナントのサービスから選びます（プラットフォームが管理するサービスは選べません）。', en: 'One of this tenant\'s services (not a platform-managed one).' },
  noServices: { ja: '提供元にできるサービスがありません。先に「サービス」でサービスを登録してください。', en: 'There is no service that can provide data. Register a service first.' },
  nameJa: { ja: '名前（日本語）', en: 'Name (Japanese)' },
  nameEn: { ja: '名前（英語）', en: 'Name (English)' },
  nameHint: { ja: '住民が同意画面で読む名前です。記号「<」「>」は使えません。', en: 'The name residents read on the consent screen. "<" and ">" are not allowed.' },
  descriptionJa: { ja: '説明（日本語）', en: 'Description (Japanese)' },
  descriptionEn: { ja: '説明（英語）', en: 'Description (English)' },
  specialCareLabel: { ja: '要配慮個人情報を含む（健康診断の結果など）', en: 'Contains special care-required personal information (e.g. health checkup results)' },
  maxWindowLabel: { ja: '一度に提供できる最長期間（日数・任意）', en: 'Longest period per request (days, optional)' },
  maxWindowHint: { ja: '日ごとの記録など期間を指定して提供するデータの場合に、1〜3660 の数字で入力します。期間のないデータは空欄にします。', en: 'For data asked for over a period (daily records and the like): 1 to 3660. Leave it empty for data without a period.' },
  statisticsLegend: { ja: '統計での利用（任意）', en: 'Use in statistics (optional)' },
  statisticsHint: {
    ja: '統計のデータ利用で、この項目を集計してよい場合に、貴団体のサービスで住民を分けられる区分を選びます。集計はサービスの側（コネクタ）で行われ、10人未満の区分は伏せられます。何も選ばなければ統計には使われません。',
    en: 'If statistics data uses may aggregate this item, tick the groups your service can sort its residents into. The aggregation runs at your service (its connector) and groups of fewer than ten residents are hidden. Tick none and the item is not used for statistics.',
  },
  statisticsNumeric: { ja: '数値（合計・平均を求めてよい）', en: 'A number (may be summed and averaged)' },
  statisticsMaximum: { ja: '1人あたり月の値の上限（任意）', en: 'Largest monthly figure per resident (optional)' },
  statisticsMaximumHint: { ja: '合計に雑音（差分プライバシー）を加えるのに必要です。1〜999999999 の整数。', en: 'Needed to add noise (differential privacy) to sums. An integer from 1 to 999999999.' },
  statistics: { ja: '統計での利用', en: 'Use in statistics' },
  statisticsOff: { ja: '統計には使わない', en: 'Not used for statistics' },
  statisticsOn: { ja: '{dimensions}ごとに集計可', en: 'May be aggregated by {dimensions}' },
  statisticsNumber: { ja: '数値（上限 {maximum}）', en: 'a number (at most {maximum})' },
  statisticsNumberUnbounded: { ja: '数値（上限なし：雑音は人数にのみ）', en: 'a number (no bound: noise on counts only)' },
  schema: { ja: 'データの形式（JSON Schema）', en: 'Data format (JSON Schema)' },
  schemaHint: {
    ja: '提供するデータの形を JSON Schema で書きます。提供の際、データはこの形式で検査されます。知らないキーワードや誤りがあると登録できません。',
    en: 'The shape of the data, as a JSON Schema. Data is checked against it when it is provided. Unknown keywords and mistakes are refused.',
  },
  newTitle: { ja: '提供データの追加', en: 'Add a data offer' },
  newLead: { ja: '登録した内容は「下書き」になります。提供データの画面で内容を確かめてから公開してください。', en: 'What you enter becomes a draft. Check it on the offer\'s page, then publish it.' },
  editTitle: { ja: '提供データの変更（新しい版）', en: 'Change a data offer (new version)' },
  editLead: {
    ja: '変更は新しい版の下書きになり、公開するまで現在の版がそのまま使われます。公開待ちの下書きがある場合は、その下書きを書き換えます。',
    en: 'A change becomes a draft of a new version; the current version stays in use until you publish it. A pending draft is rewritten.',
  },
  register: { ja: '下書きとして登録する', en: 'Save as a draft' },
  saveDraft: { ja: '下書きを保存する', en: 'Save the draft' },
  cancel: { ja: 'キャンセル', en: 'Cancel' },
  edit: { ja: '変更する（新しい版）', en: 'Change (new version)' },
  activate: { ja: '下書き（版 {version}）を公開する', en: 'Publish the draft (version {version})' },
  activateHint: {
    ja: '公開すると、この版の名前・説明・形式が他のテナントのデータ利用で使われます。それまでの版は「過去の版」になります。',
    en: 'Once published, this version\'s name, description and format are what other tenants\' data uses see. The version before becomes a past version.',
  },
  withdraw: { ja: '公開を終了する（元に戻せません）…', en: 'Withdraw (final)…' },
  back: { ja: '提供データ一覧へ', en: 'All data offers' },
  versions: { ja: '版の履歴', en: 'Versions' },
  versionTitle: { ja: '版 {version}', en: 'Version {version}' },
  source: { ja: '登録元', en: 'Entered by' },
  createdAt: { ja: '登録日時', en: 'Entered' },
  activatedAt: { ja: '公開日時', en: 'Published' },
  by: { ja: '（{name}）', en: ' ({name})' },
  schemaOf: { ja: 'データの形式（JSON Schema）', en: 'Data format (JSON Schema)' },
  withdrawnNote: { ja: 'この提供データは公開を終了しています。再び公開することはできません。', en: 'This offer was withdrawn. It cannot be published again.' },
  created: { ja: '提供データを下書きとして登録しました。内容を確かめて公開してください。', en: 'The offer was saved as a draft. Check it and publish it.' },
  saved: { ja: '変更を下書きとして保存しました。公開するまで現在の版が使われます。', en: 'The change was saved as a draft. The current version stays in use until you publish it.' },
  unchanged: { ja: '内容に変更がなかったため、何も保存していません。', en: 'Nothing changed, so nothing was saved.' },
  activated: { ja: '下書きを公開しました。', en: 'The draft was published.' },
  withdrawn: { ja: '提供データの公開を終了しました。', en: 'The offer was withdrawn.' },
  withdrawnPaused: { ja: '提供データの公開を終了し、このデータを含むデータ利用への同意を一時停止しました。', en: 'The offer was withdrawn, and the consents to the data uses that include it were paused.' },
  withdrawTitle: { ja: '提供データの公開終了の確認', en: 'Confirm withdrawal' },
  withdrawLead: { ja: '次の提供データの公開を終了します。内容を確かめ、理由を入力してから「公開を終了する」を押してください。', en: 'This offer will be withdrawn. Check the details, give a reason, then press "Withdraw".' },
  withdrawCatalog: { ja: 'この提供データは一覧から外れ、新しいデータ利用で選べなくなります。', en: 'The offer leaves the catalog: no new data use can choose it.' },
  withdrawConsents: {
    ja: 'このデータを含むデータ利用（他のテナントのものも含む）への住民の同意は、すべて一時停止されます。住民にはポータルで知らせます。',
    en: 'Every resident\'s consent to a data use that includes it (other tenants\' too) is paused; residents are told in the portal.',
  },
  withdrawDraft: { ja: '公開待ちの下書きは破棄されます。', en: 'The pending draft is discarded.' },
  withdrawFinal: { ja: '公開を終了した提供データは再び公開できず、このデータ項目コードは他のサービスでも使えません。', en: 'A withdrawn offer cannot be published again, and its item code cannot be used by any other service.' },
  withdrawButton: { ja: '公開を終了する', en: 'Withdraw' },
  reason: { ja: '理由（必須・監査ログに記録）', en: 'Reason (required, kept in the audit log)' },
  alreadyWithdrawn: { ja: 'この提供データはすでに公開を終了しています。', en: 'This offer is already withdrawn.' },
  invalidJson: {
    ja: 'データの形式（JSON Schema）を JSON として読めません。括弧・引用符・カンマを確かめてください。何も変更していません。',
    en: 'The data format (JSON Schema) is not valid JSON. Check the brackets, quotes and commas. Nothing was changed.',
  },
  notAnObject: { ja: 'データの形式（JSON Schema）は { } で囲んだオブジェクトで書いてください。何も変更していません。', en: 'The data format (JSON Schema) must be a JSON object ({ … }). Nothing was changed.' },
} satisfies Record<string, Msg>;

/** Who entered a version. */
export const sourceText = {
  connector: { ja: 'コネクタの設定', en: 'Connector configuration' },
  admin: { ja: '管理画面', en: 'Admin screen' },
  seed: { ja: 'デモデータ', en: 'Demo data' },
  migration: { ja: '移行前から登録済み', en: 'Registered before versions existed' },
} satisfies Record<OfferVersionSource, Msg>;

/** The state of one version. */
export const versionStateText = {
  draft: { ja: '下書き（公開待ち）', en: 'Draft (awaiting publication)' },
  active: { ja: '公開中', en: 'Published' },
  superseded: { ja: '過去の版', en: 'Past version' },
  discarded: { ja: '破棄された下書き', en: 'Discarded draft' },
} satisfies Record<OfferVersionState, Msg>;

/** What saving a form did. */
export const outcomeText = {
  created: offerText.created,
  new_version: offerText.saved,
  draft_updated: offerText.saved,
  unchanged: offerText.unchanged,
} satisfies Record<PublishOutcome, Msg>;
