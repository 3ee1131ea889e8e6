import type { JSONSchemaType } from 'ajv';
import { ErrorReason } from './errors';
import { TEXT_BLOCK_FORMAT, TEXT_LINE_FORMAT } from './input';

/**
 * The administration screens (`/admin/…` for tenant admins, `/system/…` for system admins) are
 * server-rendered HTML forms. The same routes answer JSON to a client that sends
 * `Accept: application/json`: errors become an {@link ErrorBody} with one of the codes below,
 * successful form posts answer `303 See Other` with the next page in `Location`. Bodies may be
 * `application/x-www-form-urlencoded` or JSON; every field is a string, as a form sends it.
 *
 * Every state-changing request must carry the session's CSRF token, as the `csrf` field or the
 * {@link ADMIN_CSRF_HEADER} header.
 */
export const ADMIN_CSRF_HEADER = 'x-csrf-token';

/** Codes of the administration screens and the reason each maps to. */
export const AdminErrorCodes = {
  /** No admin session: sign in at `/admin/login`. */
  admin_sign_in_required: ErrorReason.Unauthorized,
  /** The session ended (idle timeout, maximum lifetime, sign-out elsewhere, account changed). */
  admin_session_expired: ErrorReason.Unauthorized,
  /** Wrong login ID, password or one-time code (which one is not said). */
  admin_invalid_credentials: ErrorReason.Unauthorized,
  /** Changing one's own password: the current password typed is wrong (the session goes on; ask for it again). */
  current_password_incorrect: ErrorReason.Unauthorized,
  /** The request comes from a network the tenant (or the platform, for system admins) does not allow. */
  admin_ip_not_allowed: ErrorReason.Forbidden,
  /** The admin's tenant is deactivated. */
  admin_tenant_inactive: ErrorReason.Forbidden,
  /** A tenant admin asked for a system admin screen. */
  admin_area_forbidden: ErrorReason.Forbidden,
  /** A system admin asked for a tenant screen without choosing a tenant first (`POST /system/tenants/{id}/act`). */
  admin_tenant_not_chosen: ErrorReason.Forbidden,
  /** Missing or wrong CSRF token (reload the page and try again). */
  admin_csrf_invalid: ErrorReason.Forbidden,
  /** The resource named in the path does not exist in the admin's tenant. */
  admin_not_found: ErrorReason.NotFound,
  service_not_found: ErrorReason.NotFound,
  connector_not_found: ErrorReason.NotFound,
  permission_not_found: ErrorReason.NotFound,
  offer_not_found: ErrorReason.NotFound,
  tenant_not_found: ErrorReason.NotFound,
  admin_account_not_found: ErrorReason.NotFound,
  notice_not_found: ErrorReason.NotFound,
  /** An entry of a network list is not a CIDR, allows every address, or has host bits set. */
  invalid_cidr: ErrorReason.BadRequest,
  /** A redirect URI is not an absolute https URL (http is allowed for localhost in development only), or has a fragment. */
  invalid_redirect_uri: ErrorReason.BadRequest,
  /** The JWK Set for `private_key_jwt` is missing, malformed, or contains private key material. */
  invalid_jwks: ErrorReason.BadRequest,
  /** A platform setting is out of range. */
  invalid_setting: ErrorReason.BadRequest,
  /** A maintenance window ends before it starts, or is not announced early enough. */
  invalid_maintenance_window: ErrorReason.BadRequest,
  /** A domain-end notice ends the use less than six months ahead, or comes down before the end. */
  invalid_domain_end: ErrorReason.BadRequest,
  /** The new password is too short, too long, contains the login ID, or equals the old one. */
  weak_password: ErrorReason.BadRequest,
  /** The two new passwords typed differ. */
  password_mismatch: ErrorReason.BadRequest,
  /** Another tenant (or another service of this tenant) already has this name. */
  duplicate_name: ErrorReason.Conflict,
  /** The client ID is taken (client IDs are platform-wide and never reused, even after deletion). */
  duplicate_client_id: ErrorReason.Conflict,
  duplicate_tenant_code: ErrorReason.Conflict,
  duplicate_login_id: ErrorReason.Conflict,
  /** This consumer service may already request this offer. */
  permission_exists: ErrorReason.Conflict,
  /** The service still has active consents; the message and details give the count. Nothing was changed. */
  service_has_active_consents: ErrorReason.Conflict,
  /** The hub's own first-party clients (the resident portal) are managed by the platform, not by a tenant. */
  service_managed_by_platform: ErrorReason.Forbidden,
  /** The service does not authenticate with a client secret, so there is none to rotate. */
  secret_not_used: ErrorReason.Conflict,
  /** The connector cannot go from its current status to the one asked for (revoked is final). */
  connector_transition_invalid: ErrorReason.Conflict,
  /** The connector's service is deleted: it cannot be approved. */
  connector_service_inactive: ErrorReason.Conflict,
  /** A tenant with active services cannot be deactivated; the details give the count. */
  tenant_has_active_services: ErrorReason.Conflict,
  /** The last active system admin cannot be deactivated. */
  last_system_admin: ErrorReason.Conflict,
  /** An action that cannot be undone was posted without its confirmation (`confirm=<action>`, sent by its confirmation page). */
  confirmation_required: ErrorReason.BadRequest,
  /** The offer code belongs to another service's offer (codes are platform-wide). */
  offer_code_taken: ErrorReason.Conflict,
  /** The offer's schema is not a JSON Schema the platform can compile (details say where). */
  invalid_offer_schema: ErrorReason.BadRequest,
  offer_version_not_found: ErrorReason.NotFound,
  /** The offer (or its version) cannot go from its current state to the one asked for (e.g. activating a withdrawn offer). */
  offer_transition_invalid: ErrorReason.Conflict,
  data_use_not_found: ErrorReason.NotFound,
  /** The data use code is already taken (codes are platform-wide). */
  data_use_code_taken: ErrorReason.Conflict,
  /** An item of the data use is not an active offer of the catalog (details list them). */
  item_not_offered: ErrorReason.BadRequest,
  /** The data use is retired: it can no longer be changed. */
  data_use_retired: ErrorReason.Conflict,
  /** A statistics data use's definition is not one its offer allows, or not complete (details name each field and rule). */
  statistics_use_invalid: ErrorReason.BadRequest,
  /** A data use's kind (exchange or statistics) is chosen when it is written and cannot change. */
  data_use_kind_fixed: ErrorReason.Conflict,
  /** The consumer service is not an active, non-first-party service of the tenant. */
  consumer_service_invalid: ErrorReason.BadRequest,
  agreement_not_found: ErrorReason.NotFound,
  /** The agreement cannot go from its current state to the one asked for (e.g. approving twice). */
  agreement_transition_invalid: ErrorReason.Conflict,
  /** Rejecting, suspending or retiring needs a reason the other tenant will read. */
  reason_required: ErrorReason.BadRequest,
} as const;
/** Any code of {@link AdminErrorCodes}. */
export type AdminErrorCode = keyof typeof AdminErrorCodes;

/**
 * The message of each code, Japanese first: the words the admin screens show municipal staff and
 * the `message` of the JSON error body. Where a person needs a value (minutes, a count, days) the
 * hub sends the text of {@link ADMIN_ERROR_MESSAGES_WITH_VALUE} instead; the plain text here says
 * the same without it.
 */
export const ADMIN_ERROR_MESSAGES: Record<AdminErrorCode, { ja: string; en: string }> = {
  admin_sign_in_required: { ja: 'ログインしてください。', en: 'Please sign in.' },
  admin_session_expired: {
    ja: '一定時間操作がなかったか、ログインの有効期限が切れたため、ログアウトしました。もう一度ログインしてください。',
    en: 'You were signed out after a period of inactivity or because the session expired. Please sign in again.',
  },
  admin_invalid_credentials: { ja: 'ログインID、パスワードまたは確認コードが正しくありません。', en: 'The login ID, password or one-time code is incorrect.' },
  current_password_incorrect: { ja: '現在のパスワードが正しくありません。', en: 'The current password is incorrect.' },
  admin_ip_not_allowed: {
    ja: 'この場所（ネットワーク）からは管理画面を利用できません。許可されたネットワークから接続してください。',
    en: 'The admin screens cannot be used from this network. Connect from an allowed network.',
  },
  admin_tenant_inactive: { ja: 'この団体（テナント）は利用を停止しています。', en: 'This tenant is deactivated.' },
  admin_area_forbidden: { ja: 'この画面はシステム管理者専用です。', en: 'This screen is for system admins only.' },
  admin_tenant_not_chosen: {
    ja: 'テナントの管理画面を使うには、システム管理の「テナント」から対象のテナントを選んでください。',
    en: 'To use the tenant screens, choose a tenant under System admin › Tenants first.',
  },
  admin_csrf_invalid: {
    ja: '不正なリクエストです。画面を開き直してから、もう一度操作してください。',
    en: 'The request could not be verified. Reload the page and try again.',
  },
  admin_not_found: { ja: '指定されたものが見つかりません。', en: 'Not found.' },
  service_not_found: { ja: 'サービスが見つかりません。', en: 'The service was not found.' },
  connector_not_found: { ja: 'コネクタが見つかりません。', en: 'The connector was not found.' },
  permission_not_found: { ja: '許可が見つかりません。', en: 'The permission was not found.' },
  offer_not_found: { ja: '提供データが見つかりません（公開されていないか、終了しています）。', en: 'The data offer was not found (not published, or ended).' },
  tenant_not_found: { ja: 'テナントが見つかりません。', en: 'The tenant was not found.' },
  admin_account_not_found: { ja: '管理者アカウントが見つかりません。', en: 'The admin account was not found.' },
  notice_not_found: { ja: 'お知らせが見つかりません（取り消し済みか、終了しています）。', en: 'The notice was not found (cancelled or over).' },
  invalid_cidr: {
    ja: '管理画面を利用できるネットワークの指定に誤りがあります（例: 192.0.2.0/24）。',
    en: 'The admin networks contain an invalid entry (example: 192.0.2.0/24).',
  },
  invalid_redirect_uri: {
    ja: 'リダイレクトURIに誤りがあります。https で始まる完全なURLを1行に1つ入力してください（開発環境のみ localhost は http も可）。',
    en: 'A redirect URI is invalid. Enter one absolute https URL per line (http only for localhost in development).',
  },
  invalid_jwks: { ja: '公開鍵（JWK Set）に誤りがあります。', en: 'The public keys (JWK Set) are invalid.' },
  invalid_setting: { ja: '設定値が範囲外です。', en: 'A setting is out of range.' },
  invalid_domain_end: {
    ja: 'サービス終了の告知が正しくありません。利用終了日は6か月以上先にし、掲載終了日は利用終了日より後にしてください。',
    en: 'The end-of-service notice is not valid. The end of use must be at least six months ahead, and the notice must stay up until after it.',
  },
  invalid_maintenance_window: {
    ja: '停止期間が正しくありません。計画停止は決められた日数以上前に告知してください（緊急の停止は「緊急」を選んでください）。',
    en: 'The maintenance window is not valid. Planned stops must be announced the required number of days ahead (choose "urgent" for an unplanned stop).',
  },
  weak_password: {
    ja: 'このパスワードは使えません。長さの条件を満たし、ログインIDを含まない、現在とは別のパスワードにしてください。',
    en: 'This password cannot be used. Choose one of the required length that does not contain the login ID and differs from the current one.',
  },
  password_mismatch: { ja: '新しいパスワードが一致しません。', en: 'The new passwords do not match.' },
  duplicate_name: { ja: 'この名前はすでに使われています。別の名前にしてください。', en: 'This name is already in use. Please choose another.' },
  duplicate_client_id: {
    ja: 'このクライアントIDはすでに使われています（削除済みのサービスのIDも再利用できません）。',
    en: 'This client ID is taken (IDs of deleted services are not reused either).',
  },
  duplicate_tenant_code: { ja: 'このテナントコードはすでに使われています。', en: 'This tenant code is already taken.' },
  duplicate_login_id: { ja: 'このログインIDはすでに使われています。', en: 'This login ID is already taken.' },
  permission_exists: { ja: 'このサービスには、この提供データの利用がすでに許可されています。', en: 'This service may already request this offer.' },
  service_has_active_consents: {
    ja: 'このサービスには有効な同意があります。同意がすべて撤回されるか、データ利用が終了するまで削除できません。',
    en: 'This service still has active consents. It can be deleted once they are all withdrawn or the data use has ended.',
  },
  service_managed_by_platform: {
    ja: 'このサービスは基盤自身のもの（県民等向けポータル）で、管理画面からは変更できません。',
    en: 'This is the platform\'s own client (the resident portal); it cannot be changed here.',
  },
  secret_not_used: { ja: 'このサービスはクライアントシークレットを使いません。', en: 'This service does not authenticate with a client secret.' },
  connector_transition_invalid: {
    ja: 'このコネクタの現在の状態では、この操作はできません（失効したコネクタは元に戻せません）。',
    en: 'This action is not possible in the connector\'s current status (a revoked connector cannot be restored).',
  },
  connector_service_inactive: { ja: 'このコネクタのサービスは削除されているため、承認できません。', en: 'The connector\'s service is deleted: it cannot be approved.' },
  tenant_has_active_services: {
    ja: 'このテナントには有効なサービスがあります。先にサービスを削除してから停止してください。',
    en: 'This tenant still has active services. Delete them before deactivating the tenant.',
  },
  last_system_admin: { ja: '最後のシステム管理者は停止できません。', en: 'The last system admin cannot be deactivated.' },
  confirmation_required: {
    ja: '元に戻せない操作のため、確認画面で内容を確かめてから実行してください。何も変更していません。',
    en: 'This cannot be undone, so it is done only from its confirmation page. Nothing was changed.',
  },
  offer_code_taken: { ja: 'このデータ項目コードは、別のサービスの提供データで使われています。', en: 'This item code is already used by another service\'s offer.' },
  invalid_offer_schema: {
    ja: 'データの形式（JSON Schema）に誤りがあります。詳細に示した箇所を直してください。何も変更していません。',
    en: 'The data format (JSON Schema) is not valid. Fix the places listed in the details. Nothing was changed.',
  },
  offer_version_not_found: { ja: '提供データのこの版は見つかりません。', en: 'This version of the offer was not found.' },
  offer_transition_invalid: {
    ja: '提供データの現在の状態では、この操作はできません（公開を終了した提供データは再公開できません）。',
    en: 'This is not possible in the offer\'s current state (a withdrawn offer cannot be published again).',
  },
  data_use_not_found: { ja: 'データ利用が見つかりません。', en: 'The data use was not found.' },
  data_use_code_taken: { ja: 'このデータ利用コードはすでに使われています。', en: 'This data use code is already taken.' },
  item_not_offered: {
    ja: '選んだデータ項目のうち、公開中の提供データではないものがあります（詳細を参照）。何も変更していません。',
    en: 'Some of the chosen items are not published offers (see the details). Nothing was changed.',
  },
  data_use_retired: { ja: 'このデータ利用は終了しているため、変更できません。', en: 'This data use has been retired and can no longer be changed.' },
  statistics_use_invalid: {
    ja: '統計の定義が、提供データで認められている範囲を超えているか、不足しています（詳細を参照）。何も変更していません。',
    en: 'The statistics definition goes beyond what the offer allows, or is incomplete (see the details). Nothing was changed.',
  },
  data_use_kind_fixed: {
    ja: 'データ利用の種類（データ連携／統計）は作成後に変更できません。新しいデータ利用として作成してください。',
    en: 'A data use\'s kind (exchange or statistics) cannot change once written. Write a new data use instead.',
  },
  consumer_service_invalid: {
    ja: '利用するサービスには、この団体の有効なサービスを選んでください。',
    en: 'Choose an active service of this tenant as the service that uses the data.',
  },
  agreement_not_found: { ja: '利用申請（合意）が見つかりません。', en: 'The agreement was not found.' },
  agreement_transition_invalid: {
    ja: 'この利用申請の現在の状態では、この操作はできません（すでに処理済みの可能性があります）。画面を再読み込みしてください。',
    en: 'This is not possible in the agreement\'s current state (it may have been handled already). Reload the page.',
  },
  reason_required: {
    ja: '却下・一時停止・終了には、相手の団体に伝える理由を入力してください。',
    en: 'Rejecting, suspending or retiring needs a reason for the other tenant.',
  },
};

/**
 * The messages that carry a value a person needs to act on. The hub answers with these instead
 * of the plain text of the same code in {@link ADMIN_ERROR_MESSAGES}; a count is also in `details`.
 */
export const ADMIN_ERROR_MESSAGES_WITH_VALUE = {
  /** `days`: how many days ahead a planned stop must be announced (a platform setting). */
  invalid_maintenance_window: (days: number) => ({
    ja: `停止期間が正しくありません。計画停止は${days}日以上前に告知してください（緊急の停止は「緊急」を選んでください）。`,
    en: `The maintenance window is not valid. Planned stops must be announced at least ${days} days ahead (choose "urgent" for an unplanned stop).`,
  }),
  /** `consents`: how many active consents the service still has. */
  service_has_active_consents: (consents: number) => ({
    ja: `このサービスには有効な同意が${consents}件あります。同意がすべて撤回されるか、データ利用が終了するまで削除できません。`,
    en: `This service still has ${consents} active consent(s). It can be deleted once they are all withdrawn or the data use has ended.`,
  }),
  /** `services`: how many active services the tenant still has. */
  tenant_has_active_services: (services: number) => ({
    ja: `このテナントには有効なサービスが${services}件あります。先にサービスを削除してから停止してください。`,
    en: `This tenant still has ${services} active service(s). Delete them before deactivating the tenant.`,
  }),
} satisfies Partial<Record<AdminErrorCode, (value: number) => { ja: string; en: string }>>;

/** OIDC client authentication methods a tenant admin may choose for a service. */
export const SERVICE_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'] as const;
/** One of {@link SERVICE_AUTH_METHODS} (the OIDC `token_endpoint_auth_method`). */
export type ServiceAuthMethod = (typeof SERVICE_AUTH_METHODS)[number];

const csrf = { type: 'string', maxLength: 200, nullable: true } as const;
/** A name or title: one line, not blank (an all-space name would break the tables' CHECK constraints). */
const name = { type: 'string', minLength: 1, maxLength: 100, format: TEXT_LINE_FORMAT } as const;
/** One URI per line, up to 10 lines (checked one by one by the hub). */
const uriLines = { type: 'string', maxLength: 20000 } as const;

/**
 * The JSON Schema of an admin form: exactly `properties` plus the optional CSRF token, which every
 * form may carry; unknown fields are refused. The literal types are kept, so that assigning the
 * result to a `JSONSchemaType<Form>` still checks it against the form's interface.
 */
function formSchema<const P extends object, const R extends readonly string[]>(properties: P, required: R) {
  return { type: 'object', properties: { ...properties, csrf }, required, additionalProperties: false } as const;
}

/**
 * The schemas of the form that creates a thing and of the one that changes it: the same fields,
 * but the key (`clientId`, `code`) is chosen once, at creation, and never changes.
 */
function createAndUpdateSchemas<const K extends string, const KS extends object, const P extends object, const R extends readonly string[]>(
  key: K, keySchema: KS, fields: P, required: R,
) {
  const keyField = { [key]: keySchema } as Record<K, KS>;
  return { create: formSchema({ ...keyField, ...fields }, [key, ...required]), update: formSchema(fields, required) };
}

/** Sign-in form: login ID, password and the 6-digit code of the authenticator app. */
export interface AdminSignInForm {
  loginId: string;
  password: string;
  code: string;
  /** Where to go afterwards (an admin path; anything else is ignored). */
  next?: string;
  csrf?: string;
}

/** JSON Schema of {@link AdminSignInForm}. */
export const adminSignInFormSchema: JSONSchemaType<AdminSignInForm> = formSchema({
  loginId: { type: 'string', minLength: 1, maxLength: 64 },
  password: { type: 'string', minLength: 1, maxLength: 128 },
  code: { type: 'string', minLength: 1, maxLength: 10 },
  next: { type: 'string', maxLength: 500, nullable: true },
}, ['loginId', 'password', 'code']);

/** A form that carries nothing but the CSRF token (sign-out, delete, approve, rotate…). */
export interface AdminActionForm {
  csrf?: string;
  /** Optional free-text reason, kept in the audit chain (connector suspension, revocation). */
  reason?: string;
}

/** JSON Schema of {@link AdminActionForm}. */
export const adminActionFormSchema: JSONSchemaType<AdminActionForm> = formSchema({ reason: { type: 'string', maxLength: 500, nullable: true } }, []);

/** Registering a service (OIDC relying party) of the admin's tenant. */
export interface ServiceCreateForm {
  /** Platform-wide, never reused: lower case letters, digits, `.`, `_`, `-`; 3–64 characters. */
  clientId: string;
  nameJa: string;
  nameEn: string;
  /** One absolute URI per line. */
  redirectUris: string;
  postLogoutRedirectUris?: string;
  /** One absolute URI where the hub POSTs back-channel logout tokens; empty for none. */
  backchannelLogoutUri?: string;
  authMethod: ServiceAuthMethod;
  /** A JWK Set (public keys) for `private_key_jwt`. */
  jwks?: string;
  csrf?: string;
}

const serviceSchemas = createAndUpdateSchemas('clientId', { type: 'string', minLength: 3, maxLength: 64, pattern: '^[a-z0-9][a-z0-9._-]{2,63}$' }, {
  nameJa: name,
  nameEn: name,
  redirectUris: uriLines,
  postLogoutRedirectUris: { ...uriLines, nullable: true },
  backchannelLogoutUri: { type: 'string', maxLength: 2000, nullable: true },
  authMethod: { type: 'string', enum: [...SERVICE_AUTH_METHODS] },
  jwks: { type: 'string', maxLength: 16000, nullable: true },
}, ['nameJa', 'nameEn', 'redirectUris', 'authMethod']);

/** JSON Schema of {@link ServiceCreateForm}. */
export const serviceCreateFormSchema: JSONSchemaType<ServiceCreateForm> = serviceSchemas.create;

/** Changing a service: everything but its client ID. */
export type ServiceUpdateForm = Omit<ServiceCreateForm, 'clientId'>;

/** JSON Schema of {@link ServiceUpdateForm}. */
export const serviceUpdateFormSchema: JSONSchemaType<ServiceUpdateForm> = serviceSchemas.update;

/** Allowing a consumer service of the admin's tenant to request a data offer. */
export interface PermissionGrantForm {
  consumerServiceId: string;
  offerId: string;
  csrf?: string;
}

/** JSON Schema of {@link PermissionGrantForm}. */
export const permissionGrantFormSchema: JSONSchemaType<PermissionGrantForm> = formSchema({
  consumerServiceId: { type: 'string', format: 'uuid' },
  offerId: { type: 'string', format: 'uuid' },
}, ['consumerServiceId', 'offerId']);

/** A tenant (the prefecture or a municipality), as the system admin creates it. */
export interface TenantCreateForm {
  /** Lower case letters and digits in hyphen-separated words, up to 32 characters; never changes. */
  code: string;
  nameJa: string;
  nameEn: string;
  kind: 'prefecture' | 'municipality';
  /** Networks the tenant's admins may work from: CIDRs separated by new lines or commas. */
  allowedCidrs: string;
  csrf?: string;
}

const tenantSchemas = createAndUpdateSchemas('code', { type: 'string', minLength: 2, maxLength: 32, pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' }, {
  nameJa: name,
  nameEn: name,
  kind: { type: 'string', enum: ['prefecture', 'municipality'] },
  allowedCidrs: { type: 'string', maxLength: 4000 },
}, ['nameJa', 'nameEn', 'kind', 'allowedCidrs']);

/** JSON Schema of {@link TenantCreateForm}. */
export const tenantCreateFormSchema: JSONSchemaType<TenantCreateForm> = tenantSchemas.create;

/** Changing a tenant: everything but its code. */
export type TenantUpdateForm = Omit<TenantCreateForm, 'code'>;

/** JSON Schema of {@link TenantUpdateForm}. */
export const tenantUpdateFormSchema: JSONSchemaType<TenantUpdateForm> = tenantSchemas.update;

/** A new admin account of a tenant (the password and TOTP secret are generated and shown once). */
export interface AdminAccountCreateForm {
  loginId: string;
  displayName: string;
  csrf?: string;
}

/** JSON Schema of {@link AdminAccountCreateForm}. */
export const adminAccountCreateFormSchema: JSONSchemaType<AdminAccountCreateForm> = formSchema({
  loginId: { type: 'string', minLength: 3, maxLength: 64, pattern: '^[a-z0-9][a-z0-9._-]{2,63}$' },
  displayName: name,
}, ['loginId', 'displayName']);

/** An admin changing their own password. */
export interface PasswordChangeForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
  csrf?: string;
}

/** JSON Schema of {@link PasswordChangeForm}. */
export const passwordChangeFormSchema: JSONSchemaType<PasswordChangeForm> = formSchema({
  currentPassword: { type: 'string', minLength: 1, maxLength: 128 },
  newPassword: { type: 'string', minLength: 1, maxLength: 128 },
  confirmPassword: { type: 'string', minLength: 1, maxLength: 128 },
}, ['currentPassword', 'newPassword', 'confirmPassword']);

/**
 * Platform settings the system admin may change at run time (deployment settings such as
 * networks and secrets stay in the environment). Values arrive as form strings.
 */
export interface PlatformSettingsForm {
  /** A connector not heard from for this many minutes is shown as offline (1–1440). */
  connectorOfflineMinutes: string;
  /** A connector whose last revocation-feed sync is older than this many seconds is flagged (5–3600). */
  revocationSyncWarnSeconds: string;
  /** A revocation not acknowledged within this many seconds is overdue (1–3600). */
  revocationAckOverdueSeconds: string;
  /** Days the dashboard charts cover (7–366). */
  dashboardDays: string;
  /** How many days before a planned stop the notice must be published (0–60; the procurement spec asks for 7). */
  maintenanceNoticeDays: string;
  /** Who residents contact about the platform, shown with maintenance notices (Japanese, English). */
  supportContactJa: string;
  supportContactEn: string;
  csrf?: string;
}

const intText = { type: 'string', pattern: '^\\d{1,5}$' } as const;

/** JSON Schema of {@link PlatformSettingsForm}. */
export const platformSettingsFormSchema: JSONSchemaType<PlatformSettingsForm> = formSchema({
  connectorOfflineMinutes: intText,
  revocationSyncWarnSeconds: intText,
  revocationAckOverdueSeconds: intText,
  dashboardDays: intText,
  maintenanceNoticeDays: intText,
  supportContactJa: { type: 'string', maxLength: 300 },
  supportContactEn: { type: 'string', maxLength: 300 },
}, ['connectorOfflineMinutes', 'revocationSyncWarnSeconds', 'revocationAckOverdueSeconds', 'dashboardDays', 'maintenanceNoticeDays', 'supportContactJa', 'supportContactEn']);

/** A planned-maintenance notice. Times are Japan time, as a `datetime-local` input sends them. */
export interface MaintenanceNoticeForm {
  /** `YYYY-MM-DDTHH:mm`, Japan time. */
  startsAt: string;
  endsAt: string;
  titleJa: string;
  titleEn: string;
  bodyJa: string;
  bodyEn: string;
  /** `on` for an unplanned stop announced with less notice than the platform setting asks. */
  urgent?: string;
  /**
   * `maintenance` (default): a planned stop. `domain_end`: the end of the platform's use
   * (2-3(7)イ), `startsAt` being the end and at least six months ahead; never urgent.
   */
  kind?: 'maintenance' | 'domain_end';
  csrf?: string;
}

const localTime = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?$' } as const;

/** JSON Schema of {@link MaintenanceNoticeForm}. */
export const maintenanceNoticeFormSchema: JSONSchemaType<MaintenanceNoticeForm> = formSchema({
  startsAt: localTime,
  endsAt: localTime,
  titleJa: name,
  titleEn: name,
  bodyJa: { type: 'string', minLength: 1, maxLength: 2000, format: TEXT_BLOCK_FORMAT },
  bodyEn: { type: 'string', minLength: 1, maxLength: 2000, format: TEXT_BLOCK_FORMAT },
  urgent: { type: 'string', enum: ['on'], nullable: true },
  kind: { type: 'string', enum: ['maintenance', 'domain_end'], nullable: true },
}, ['startsAt', 'endsAt', 'titleJa', 'titleEn', 'bodyJa', 'bodyEn']);

/** Filters of the audit search (`GET /system/audit`, and its `.ndjson` / `.csv` exports). All optional. */
export interface AuditSearchQuery {
  /** `YYYY-MM-DD` (Japan time), inclusive. */
  from?: string;
  to?: string;
  /** Exact event type (`admin.change`) or an area prefix ending with a dot (`auth.`). */
  type?: string;
  /** Tenant code. */
  tenant?: string;
  actorKind?: 'resident' | 'admin' | 'service' | 'connector' | 'system';
  actorId?: string;
  subject?: string;
  outcome?: 'success' | 'failure';
  /** Keyset paging: rows with a seq below this one. */
  before?: string;
  lang?: string;
}

const dateText = { type: 'string', pattern: '^(\\d{4}-\\d{2}-\\d{2})?$', nullable: true } as const;
const optionalEmpty = (values: string[]) => ({ type: 'string', enum: ['', ...values], nullable: true }) as const;

/** JSON Schema of {@link AuditSearchQuery} (empty strings, as an unfilled form sends, count as absent). */
export const auditSearchQuerySchema: JSONSchemaType<AuditSearchQuery> = {
  type: 'object',
  properties: {
    from: dateText,
    to: dateText,
    type: { type: 'string', maxLength: 64, pattern: '^[a-z0-9._]*$', nullable: true },
    tenant: { type: 'string', maxLength: 32, pattern: '^[a-z0-9-]*$', nullable: true },
    actorKind: optionalEmpty(['resident', 'admin', 'service', 'connector', 'system']) as never,
    actorId: { type: 'string', maxLength: 200, nullable: true },
    subject: { type: 'string', maxLength: 200, nullable: true },
    outcome: optionalEmpty(['success', 'failure']) as never,
    before: { type: 'string', pattern: '^\\d{0,18}$', nullable: true },
    lang: { type: 'string', enum: ['ja', 'en'], nullable: true },
  },
  required: [],
  additionalProperties: false,
};
