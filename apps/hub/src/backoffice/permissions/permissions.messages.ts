import type { Msg } from '@tsunagu/web';

/** The words of the API-permission screen, Japanese and English side by side. */
export const permissionText = {
  title: { ja: 'API利用許可', en: 'API permissions' },
  lead: { ja: 'このテナントのどのサービスが、どの提供データを要求できるかを決めます。許可のない組み合わせはすべて拒否されます（既定で拒否）。変更は次のデータ要求から有効になり、監査ログに記録されます。', en: 'Decide which of this tenant\'s services may request which data offers. Anything not allowed here is refused (default deny). Changes hold from the next request and are kept in the audit log.' },
  consumer: { ja: '利用するサービス', en: 'Consumer service' },
  offer: { ja: '提供データ', en: 'Data offer' },
  provider: { ja: '提供元', en: 'Provider' },
  grantedBy: { ja: '許可した管理者', en: 'Granted by' },
  since: { ja: '許可日時', en: 'Granted at' },
  revoke: { ja: '取り消す', en: 'Revoke' },
  grant: { ja: '利用を許可する', en: 'Grant' },
  addTitle: { ja: '許可を追加', en: 'Add a permission' },
  none: { ja: '許可はまだありません（すべて拒否されます）。', en: 'No permissions yet (everything is refused).' },
  noConsumers: { ja: '許可を追加するには、先にサービスを登録してください。', en: 'Register a service first to grant it permissions.' },
  noOffers: { ja: '公開されている提供データがありません。', en: 'No data offers are published.' },
  inactive: { ja: '提供終了', en: 'ended' },
  specialCare: { ja: '要配慮', en: 'special care' },
  granted: { ja: '利用を許可しました。', en: 'The permission was granted.' },
  revoked: { ja: '許可を取り消しました。', en: 'The permission was revoked.' },
  choose: { ja: '選択してください', en: 'Choose' },
  list: { ja: 'API利用許可の一覧', en: 'API permissions granted' },
  actions: { ja: '操作', en: 'Actions' },
} satisfies Record<string, Msg>;
