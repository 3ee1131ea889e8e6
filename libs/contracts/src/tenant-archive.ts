import { ErrorReason } from './errors';

/**
 * A tenant leaving the platform (docs/erasure.md "Tenants leaving"): the signed archive the system
 * admin exports first (特記事項第10条第1項, return of personal information at the end of a
 * contract) with its handover record, the error codes of the export and of the deletion, and the
 * forms they take.
 *
 * The archive is a compact JWS (ES256, `typ` {@link TENANT_ARCHIVE_JWS_TYPE}) signed with the keys
 * that sign consent receipts, so anyone holding the hub's public keys verifies it offline
 * (`npm run archive:verify`). It holds what the tenant legitimately holds at the hub: its own
 * records (services without secrets, connectors with their public keys, offers, data uses,
 * agreements) and the consents of residents to its data uses — each resident named only by the
 * pairwise subject the tenant's service already knows, never a name or a common ID.
 */

/** `typ` of a tenant archive's JWS (it can never pass for a receipt or a certificate). */
export const TENANT_ARCHIVE_JWS_TYPE = 'tenant-archive+jws';

/** One item of the handover record (項目) with its count. */
export interface HandoverItem {
  item: 'tenant' | 'services' | 'connectors' | 'offers' | 'dataUses' | 'agreements' | 'consents';
  name: { ja: string; en: string };
  count: number;
}

/** The handover record (引渡記録): 名称, 受領者, 契約名, 項目, 日時. */
export interface HandoverRecord {
  /** 名称: the tenant's name. */
  name: { ja: string; en: string };
  /** 受領者: who receives the archive, as the system admin typed it. */
  recipient: string;
  /** 契約名: the contract the return is made under, as typed. */
  contractName: string;
  /** 項目: what the archive holds, with counts. */
  items: HandoverItem[];
  /** 日時 (ISO 8601). */
  handedOverAt: string;
  /** The system admin who exported it (login ID). */
  exportedBy: string;
}

/** The signed payload of a tenant archive. */
export interface TenantArchive {
  archiveId: string;
  issuer: string;
  issuedAt: string;
  handover: HandoverRecord;
  tenant: { id: string; code: string; nameJa: string; nameEn: string; kind: string; createdAt: string };
  /** OIDC clients, without secrets (only whether one is set). */
  services: {
    id: string; clientId: string; nameJa: string; nameEn: string; redirectUris: string[]; postLogoutRedirectUris: string[]; tokenEndpointAuthMethod: string;
    hasSecret: boolean; jwks: unknown; active: boolean; deletedAt: string | null;
  }[];
  connectors: { id: string; serviceId: string; name: string; publicJwk: unknown; status: string; baseUrl: string; createdAt: string }[];
  offers: { id: string; code: string; nameJa: string; nameEn: string; status: string; schema: unknown }[];
  dataUses: { id: string; code: string; titleJa: string; titleEn: string; purposeJa: string; purposeEn: string; items: string[]; retentionDays: number; status: string; revision: number }[];
  agreements: { id: string; dataUse: string; consumerTenant: string; providerTenant: string; state: string; items: string[]; decidedAt: string | null }[];
  /** Current versions of residents' consents to the tenant's data uses; `subject` is the pairwise subject at the data use's service. */
  consents: { consentId: string; dataUse: string; subject: string; version: number; state: string; items: string[]; validFrom: string; validUntil: string | null }[];
}

/** What the JSON download holds: the JWS, its SHA-256 (hex, as the export record stores it), and the decoded payload. */
export interface TenantArchiveDocument {
  jws: string;
  digest: string;
  archive: TenantArchive;
}

export const TenantExitErrorCodes = {
  /** No tenant has this ID. */
  tenant_exit_not_found: ErrorReason.NotFound,
  /** The tenant was deleted already: deletion is not repeated. */
  tenant_already_deleted: ErrorReason.Conflict,
  /** The recipient (受領者) or the contract name (契約名) of the export is empty or holds markup. */
  tenant_export_invalid: ErrorReason.BadRequest,
  /** The name typed to confirm the deletion is not the tenant's. */
  tenant_delete_not_confirmed: ErrorReason.BadRequest,
  /** Deletion needs an export of the tenant first, or a reason why none is wanted. */
  tenant_export_required: ErrorReason.BadRequest,
  /** Only a system admin exports or deletes a tenant. */
  tenant_exit_forbidden: ErrorReason.Forbidden,
  /** Residents' consents changed while the deletion was written, again and again: try once more. */
  tenant_exit_conflict: ErrorReason.Conflict,
  /** No tenant erasure certificate has this ID. */
  tenant_certificate_not_found: ErrorReason.NotFound,
  /** The certificate is not issued yet (connectors' acknowledgements awaited). */
  tenant_certificate_pending: ErrorReason.Conflict,
} as const;
/** One code of {@link TenantExitErrorCodes}. */
export type TenantExitErrorCode = keyof typeof TenantExitErrorCodes;

/** The message of each code, Japanese first. */
export const TENANT_EXIT_ERROR_MESSAGES: Record<TenantExitErrorCode, { ja: string; en: string }> = {
  tenant_exit_not_found: { ja: 'このテナントは見つかりません。', en: 'No such tenant.' },
  tenant_already_deleted: { ja: 'このテナントはすでに削除されています。', en: 'This tenant has already been deleted.' },
  tenant_export_invalid: {
    ja: '受領者と契約名を入力してください（HTMLは入力できません）。',
    en: 'Please enter the recipient and the contract name (no HTML).',
  },
  tenant_delete_not_confirmed: {
    ja: '削除すると元に戻せません。確認のため、テナントの名称を正確に入力してください。',
    en: 'Deletion cannot be undone. Type the tenant\'s name exactly to confirm.',
  },
  tenant_export_required: {
    ja: '削除の前にテナントのデータを書き出すか、書き出しが不要な理由を入力してください。',
    en: 'Export the tenant\'s data before deleting it, or give the reason why no export is wanted.',
  },
  tenant_exit_forbidden: { ja: 'テナントの書き出しと削除はシステム管理者だけが行えます。', en: 'Only a system admin exports or deletes a tenant.' },
  tenant_exit_conflict: { ja: '手続きの途中で同意の状態が変わりました。もう一度お試しください。', en: 'Consents changed while the deletion was written. Please try again.' },
  tenant_certificate_not_found: { ja: 'この番号のテナント消去証明書は見つかりません。', en: 'No tenant erasure certificate has this number.' },
  tenant_certificate_pending: {
    ja: '消去証明書はまだ発行されていません。各コネクタからの消去完了の通知を待っています。',
    en: 'The erasure certificate is not issued yet: the connectors\' confirmations are awaited.',
  },
};

const csrf = { type: 'string', maxLength: 200, nullable: true } as const;

/** The system admin's export form. */
export interface TenantExportForm {
  csrf?: string;
  /** 受領者. */
  recipient: string;
  /** 契約名. */
  contractName: string;
}

/** JSON Schema of {@link TenantExportForm}: emptiness and markup are checked by the service with typed errors. */
export const tenantExportFormSchema = {
  type: 'object',
  properties: { csrf, recipient: { type: 'string', maxLength: 200 }, contractName: { type: 'string', maxLength: 300 } },
  required: ['recipient', 'contractName'],
  additionalProperties: false,
} as const;

/** The system admin's deletion form (the confirmation step of the irreversible action). */
export interface TenantDeleteForm {
  csrf?: string;
  /** The tenant's name (Japanese or English), typed to confirm. */
  confirmName: string;
  /** Why no export is wanted (only when the tenant was never exported). */
  noExportReason?: string;
}

/** JSON Schema of {@link TenantDeleteForm}. */
export const tenantDeleteFormSchema = {
  type: 'object',
  properties: { csrf, confirmName: { type: 'string', maxLength: 200 }, noExportReason: { type: 'string', maxLength: 500, nullable: true } },
  required: ['confirmName'],
  additionalProperties: false,
} as const;

const str = (maxLength: number) => ({ type: 'string', maxLength } as const);
const names = { type: 'object', required: ['ja', 'en'], additionalProperties: false, properties: { ja: str(300), en: str(300) } } as const;
const strings = (maxItems: number) => ({ type: 'array', maxItems, items: str(500) } as const);
const instant = { type: 'string', format: 'date-time' } as const;
const nullableInstant = { type: ['string', 'null'], format: 'date-time' } as const;
const rows = (required: readonly string[], properties: Record<string, unknown>) => ({
  type: 'array', items: { type: 'object', required, additionalProperties: false, properties },
} as const);

/**
 * JSON Schema of {@link TenantArchive}: `archive:verify` and {@link verifyTenantArchive} refuse a
 * payload of any other shape, so a signed document of another kind never passes for an archive.
 */
export const tenantArchiveSchema = {
  $id: 'https://tsunagu.example/schemas/tenant-archive.json',
  type: 'object',
  required: ['archiveId', 'issuer', 'issuedAt', 'handover', 'tenant', 'services', 'connectors', 'offers', 'dataUses', 'agreements', 'consents'],
  additionalProperties: false,
  properties: {
    archiveId: { type: 'string', minLength: 1, maxLength: 128 },
    issuer: { type: 'string', minLength: 1, maxLength: 500 },
    issuedAt: instant,
    handover: {
      type: 'object', required: ['name', 'recipient', 'contractName', 'items', 'handedOverAt', 'exportedBy'], additionalProperties: false,
      properties: {
        name: names, recipient: str(200), contractName: str(300), handedOverAt: instant, exportedBy: str(200),
        items: rows(['item', 'name', 'count'], {
          item: { type: 'string', enum: ['tenant', 'services', 'connectors', 'offers', 'dataUses', 'agreements', 'consents'] }, name: names, count: { type: 'integer', minimum: 0 },
        }),
      },
    },
    tenant: {
      type: 'object', required: ['id', 'code', 'nameJa', 'nameEn', 'kind', 'createdAt'], additionalProperties: false,
      properties: { id: str(128), code: str(64), nameJa: str(300), nameEn: str(300), kind: str(64), createdAt: instant },
    },
    services: rows(['id', 'clientId', 'nameJa', 'nameEn', 'redirectUris', 'postLogoutRedirectUris', 'tokenEndpointAuthMethod', 'hasSecret', 'jwks', 'active', 'deletedAt'], {
      id: str(128), clientId: str(200), nameJa: str(300), nameEn: str(300), redirectUris: strings(100), postLogoutRedirectUris: strings(100),
      tokenEndpointAuthMethod: str(64), hasSecret: { type: 'boolean' }, jwks: {}, active: { type: 'boolean' }, deletedAt: nullableInstant,
    }),
    connectors: rows(['id', 'serviceId', 'name', 'publicJwk', 'status', 'baseUrl', 'createdAt'], {
      id: str(128), serviceId: str(128), name: str(200), publicJwk: {}, status: str(32), baseUrl: str(2000), createdAt: instant,
    }),
    offers: rows(['id', 'code', 'nameJa', 'nameEn', 'status', 'schema'], { id: str(128), code: str(128), nameJa: str(300), nameEn: str(300), status: str(32), schema: {} }),
    dataUses: rows(['id', 'code', 'titleJa', 'titleEn', 'purposeJa', 'purposeEn', 'items', 'retentionDays', 'status', 'revision'], {
      id: str(128), code: str(128), titleJa: str(300), titleEn: str(300), purposeJa: str(4000), purposeEn: str(4000), items: strings(256),
      retentionDays: { type: 'integer', minimum: 0 }, status: str(32), revision: { type: 'integer', minimum: 0 },
    }),
    agreements: rows(['id', 'dataUse', 'consumerTenant', 'providerTenant', 'state', 'items', 'decidedAt'], {
      id: str(128), dataUse: str(128), consumerTenant: str(64), providerTenant: str(64), state: str(32), items: strings(256), decidedAt: nullableInstant,
    }),
    consents: rows(['consentId', 'dataUse', 'subject', 'version', 'state', 'items', 'validFrom', 'validUntil'], {
      consentId: str(128), dataUse: str(128), subject: str(256), version: { type: 'integer', minimum: 1 }, state: str(32), items: strings(256),
      validFrom: instant, validUntil: nullableInstant,
    }),
  },
} as const;
