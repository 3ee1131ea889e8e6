import { ErrorReason } from './errors';

/**
 * The closed set of codes of the data-exchange path (ARCHITECTURE.md §5–6): the hub's grant
 * endpoint, the provider connector's peer endpoint, the consumer connector's SDK endpoints and the
 * revocation endpoints. Each code maps to exactly one reason; the HTTP edge turns reasons into
 * statuses. A consumer connector passes a code it received from the hub or the provider through to
 * its service unchanged, so a vendor sees one list.
 *
 * Where each code comes from:
 * - hub, `POST /connect/v1/grants`: `consent_*`, `items_not_consented`, `purpose_mismatch`,
 *   `permission_denied`, `data_use_not_found`, `resident_not_linked`, `connector_not_approved`,
 *   `client_assertion_invalid`;
 * - provider, `POST /peer/v1/exchange`: `grant_*`, `proof_*`, `consent_revoked`, `connector_revoked`,
 *   `revocations_stale`, `offer_not_provided`, `provider_record_not_found`, `schema_violation`,
 *   `provider_unavailable`, `provision_unrecorded`;
 * - consumer, `POST /sdk/v1/requests`: all of the above, plus `data_use_not_configured`,
 *   `hub_unavailable`, `sdk_unauthorized` (and `provision_unrecorded` of its own);
 * - connector, `POST /revocations/v1/events`: `event_invalid`;
 * - hub, `PUT /connect/v1/offers`: `offer_code_taken`, `invalid_offer_schema`, `invalid_request`.
 */
export const ConnectorErrorCodes = {
  /** The body, a header or a query parameter is malformed (details list the fields). */
  invalid_request: ErrorReason.BadRequest,
  /** The grant's lifetime is over (grants live at most 60 seconds): ask the hub for a new one. */
  grant_expired: ErrorReason.Unauthorized,
  /** The grant (single use) or the proof was presented before: every request needs a fresh proof. */
  grant_replayed: ErrorReason.Unauthorized,
  /** The grant is missing, malformed, not signed by the hub, signed with a refused algorithm, or its claims are invalid. */
  grant_invalid: ErrorReason.Unauthorized,
  /** The grant was issued for another connector. */
  grant_wrong_audience: ErrorReason.Unauthorized,
  /** The DPoP proof is missing, malformed, badly signed, or does not match this request (method, URL, time, grant hash). */
  proof_invalid: ErrorReason.Unauthorized,
  /** The proof is signed by a key other than the one the grant is bound to (`cnf.jkt`). */
  proof_key_mismatch: ErrorReason.Unauthorized,
  /** The resident withdrew or changed the consent after the grant was issued: the provider refuses. */
  consent_revoked: ErrorReason.Forbidden,
  /**
   * The consumer connector the grant was issued to has been revoked by its tenant's admin after the
   * grant was issued: the provider refuses every grant issued to it. Its service must install a
   * new connector, which the admin approves anew.
   */
  connector_revoked: ErrorReason.Forbidden,
  /** The provider could not confirm its revocation set recently enough, so it refuses to serve (fail closed). */
  revocations_stale: ErrorReason.Unavailable,
  /** The provider's data does not match the item's JSON Schema; nothing is returned. */
  schema_violation: ErrorReason.Unavailable,
  /** The provider connector or the service behind it did not answer correctly. */
  provider_unavailable: ErrorReason.Unavailable,
  /**
   * The connector could not store the exchange's provision report (its outbox could not be
   * written), so it kept the data back: no provision without a record. Raised by the provider
   * (nothing left it) and by the consumer (nothing reached the service). Retry later.
   */
  provision_unrecorded: ErrorReason.Unavailable,
  /** The providing service has no record for the resident's local ID. */
  provider_record_not_found: ErrorReason.NotFound,
  /** The provider connector does not offer one of the granted items. */
  offer_not_provided: ErrorReason.NotFound,
  /** The hub could not be reached or did not answer correctly. */
  hub_unavailable: ErrorReason.Unavailable,
  /** The resident has never consented to this data use. */
  consent_required: ErrorReason.Forbidden,
  /** The resident withdrew the consent (オプトアウト). */
  consent_withdrawn: ErrorReason.Forbidden,
  /** The data use changed its terms; nothing flows until the resident decides again. */
  consent_paused: ErrorReason.Forbidden,
  /**
   * The consent does not cover every requested item (nothing is served, not even the covered ones);
   * with `consentedOnly`, it covers none of them.
   */
  items_not_consented: ErrorReason.Forbidden,
  /** The purpose named is not the purpose of the data use the resident consented to. */
  purpose_mismatch: ErrorReason.Forbidden,
  /**
   * The tenants' API permissions do not let this consumer service request this offer (default
   * deny), or the data use belongs to another service.
   */
  permission_denied: ErrorReason.Forbidden,
  /** The hub has no data use with this code, or it was retired: there is nothing to consent to or to ask under. */
  data_use_not_found: ErrorReason.NotFound,
  /** The resident has not linked an account at the consuming or the providing service. */
  resident_not_linked: ErrorReason.NotFound,
  /** The connector is pending approval, suspended or revoked. */
  connector_not_approved: ErrorReason.Forbidden,
  /** The connector's client assertion (RFC 7523) is missing, expired, replayed or not signed by its registered key. */
  client_assertion_invalid: ErrorReason.Unauthorized,
  /** The connector's configuration does not declare this data use with these items and this purpose. */
  data_use_not_configured: ErrorReason.Forbidden,
  /** The SDK call lacks the connector's SDK token, or comes from a non-local address when no token is configured. */
  sdk_unauthorized: ErrorReason.Unauthorized,
  /** A pushed revocation event (Security Event Token) is malformed, not signed by the hub, or for another connector. */
  event_invalid: ErrorReason.BadRequest,
  /** `PUT /connect/v1/offers`: an item code belongs to another service's offer (codes are platform-wide and kept forever). */
  offer_code_taken: ErrorReason.Conflict,
  /** `PUT /connect/v1/offers`: an item's schema does not compile as a JSON Schema (details name `offers/<i>/schema`). Nothing was published. */
  invalid_offer_schema: ErrorReason.BadRequest,
} as const;

/** One code of {@link ConnectorErrorCodes}. */
export type ConnectorErrorCode = keyof typeof ConnectorErrorCodes;

/** Every code of {@link ConnectorErrorCodes}, for exhaustive checks. */
export const CONNECTOR_ERROR_CODES = Object.keys(ConnectorErrorCodes) as ConnectorErrorCode[];

/** True when `code` is one of the published connector codes (used to pass remote codes through). */
export function isConnectorErrorCode(code: unknown): code is ConnectorErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ConnectorErrorCodes, code);
}

/**
 * The standard message of each code, Japanese first. Connectors answer with these; a vendor may
 * show them to staff. They never name a resident, a local ID or an item's value.
 */
export const CONNECTOR_ERROR_MESSAGES: Record<ConnectorErrorCode, { ja: string; en: string }> = {
  invalid_request: { ja: 'リクエストの内容が正しくありません。', en: 'The request is not valid.' },
  grant_expired: { ja: '提供許可（グラント）の有効期限が切れています。', en: 'The grant has expired.' },
  grant_replayed: { ja: 'この提供許可または証明はすでに使用されています。', en: 'The grant or its proof was already used.' },
  grant_invalid: { ja: '提供許可（グラント）を検証できませんでした。', en: 'The grant could not be verified.' },
  grant_wrong_audience: { ja: 'この提供許可は別のコネクタ宛てです。', en: 'The grant was issued for another connector.' },
  proof_invalid: { ja: '鍵の所持証明（DPoP）を検証できませんでした。', en: 'The proof of possession (DPoP) could not be verified.' },
  proof_key_mismatch: { ja: '鍵の所持証明が提供許可に紐づく鍵で署名されていません。', en: 'The proof is not signed by the key the grant is bound to.' },
  consent_revoked: { ja: '本人の同意が撤回または変更されたため、提供できません。', en: 'The consent was withdrawn or changed; the data cannot be provided.' },
  connector_revoked: { ja: 'この提供許可を受けたコネクタは失効しているため、提供できません。', en: 'The connector this grant was issued to has been revoked; the data cannot be provided.' },
  revocations_stale: { ja: '同意撤回情報を最新の状態に保てていないため、提供を停止しています。', en: 'The revocation list is not up to date, so the provider refuses to serve.' },
  schema_violation: { ja: '提供データが項目の定義（スキーマ）に合致しないため、提供を中止しました。', en: 'The data does not match the item schema; nothing was provided.' },
  provider_unavailable: { ja: '提供元のサービスに接続できません。時間をおいて再度お試しください。', en: 'The providing service is not available. Please try again later.' },
  provision_unrecorded: { ja: '提供記録を保存できなかったため、データを渡していません。時間をおいて再度お試しください。', en: 'The provision record could not be stored, so no data was handed over. Please try again later.' },
  provider_record_not_found: { ja: '提供元のサービスに該当する利用者の記録がありません。', en: 'The providing service has no record for this resident.' },
  offer_not_provided: { ja: 'このコネクタは指定された項目を提供していません。', en: 'This connector does not provide the requested item.' },
  hub_unavailable: { ja: '連携基盤（ハブ）に接続できません。時間をおいて再度お試しください。', en: 'The hub is not available. Please try again later.' },
  consent_required: { ja: '本人の同意がありません。', en: 'The resident has not consented.' },
  consent_withdrawn: { ja: '本人が同意を撤回しています。', en: 'The resident withdrew the consent.' },
  consent_paused: { ja: '利用条件の変更により、本人の再同意を待っています。', en: 'The terms changed; the resident has not yet consented again.' },
  items_not_consented: { ja: '本人が同意していない項目が含まれています。', en: 'Some items are not covered by the consent.' },
  purpose_mismatch: { ja: '利用目的が同意の内容と一致しません。', en: 'The purpose does not match the consent.' },
  permission_denied: { ja: 'このサービスにはこのデータを要求する権限がありません。', en: 'This service is not permitted to request this data.' },
  data_use_not_found: { ja: 'このデータ利用は連携基盤に登録されていないか、終了しています。', en: 'The data use does not exist at the hub, or it has ended.' },
  resident_not_linked: { ja: '利用者のアカウントがサービスと連携されていません。', en: 'The resident has not linked an account at the service.' },
  connector_not_approved: { ja: 'コネクタが承認されていません（承認待ち・停止中・失効）。', en: 'The connector is not approved (pending, suspended or revoked).' },
  client_assertion_invalid: { ja: 'コネクタの認証に失敗しました。', en: 'The connector could not be authenticated.' },
  data_use_not_configured: { ja: 'このコネクタの設定にない利用目的・項目の要求です。', en: 'This connector is not configured for this data use, these items or this purpose.' },
  sdk_unauthorized: { ja: 'コネクタ SDK の認証に失敗しました。', en: 'The SDK call is not authorized.' },
  event_invalid: { ja: '撤回イベントを検証できませんでした。', en: 'The revocation event could not be verified.' },
  offer_code_taken: { ja: 'このデータ項目コードは、別のサービスの提供データで使われています。', en: 'This item code is already used by another service\'s offer.' },
  invalid_offer_schema: { ja: '提供データのスキーマ（JSON Schema）に誤りがあるため、何も登録していません。', en: 'An offer\'s schema is not a valid JSON Schema; nothing was published.' },
};
