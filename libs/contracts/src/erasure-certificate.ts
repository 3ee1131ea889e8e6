/**
 * The erasure certificate (消去証明書, docs/erasure.md): what the hub states, signed, when a
 * resident's personal information has been erased down to every connector — the facts the
 * 特記事項 (第10条) ask for: 情報の項目, 媒体の名称, 数量, 廃棄又は消去の方法, 責任者, 廃棄又は消去の年月日,
 * and for what a rule requires to be kept, 情報の項目, 根拠, 予定される消去の年月日.
 *
 * A compact JWS (ES256, `typ` {@link ERASURE_CERTIFICATE_JWS_TYPE}) signed with the keys that sign
 * consent receipts, so anyone holding the hub's public keys verifies it offline
 * (`npm run certificate:verify`, `verifyErasureCertificate`). It names the resident only by the
 * pseudonym the hub keeps (never a name or a common ID).
 */

/** `typ` of an erasure certificate's JWS (it can never pass for a receipt). */
export const ERASURE_CERTIFICATE_JWS_TYPE = 'erasure-certificate+jws';

/** A text in both languages, Japanese first. */
export interface CertificateText {
  ja: string;
  en: string;
}

/** One item (情報の項目) and its quantity (数量) on one medium. */
export interface CertificateItem {
  /** Item code of the catalog, or a kind of record of the hub (`hub.credentials`, …). */
  item: string;
  name: CertificateText;
  count: number;
}

/** One medium (媒体): the hub's database, or one connector with its service. */
export interface CertificateMedium {
  kind: 'hub' | 'connector';
  /** The connector's ID (kind `connector`). */
  connectorId?: string;
  /** 媒体の名称: e.g. 「Tsunagu ハブ データベース」, 「三朝温泉健康アプリ（コネクタ misasa-health）」. */
  name: CertificateText;
  /** 責任者: the controller of the medium (the tenant that runs the service, or the platform operator). */
  responsible: CertificateText;
  /** `erased`: done and acknowledged; `pending`: no acknowledgement within the bound. */
  state: 'erased' | 'pending';
  /** 廃棄又は消去の年月日 (ISO 8601); null while pending. */
  erasedAt: string | null;
  /** 廃棄又は消去の方法. */
  method: CertificateText;
  items: CertificateItem[];
  /** For a pending medium: what follows (the hub keeps sending the request; the tenant admin sees it as pending). */
  followUp?: CertificateText;
}

/** Information kept after the erasure, and why (保存する情報). */
export interface CertificateRetained {
  item: string;
  name: CertificateText;
  count: number;
  /** 根拠: the legal basis or the platform's retention rule. */
  basis: CertificateText;
  /** 予定される消去の年月日 (ISO 8601 date). */
  eraseBy: string;
}

/** The request on which a deceased resident's information was erased (死者情報, 特記事項第15条). */
export interface CertificateRequest {
  /** Who asked (e.g. the heir), as written on the request. */
  requester: string;
  /** The document shown (e.g. 死亡診断書の写し、除票). */
  document: string;
  /** ISO 8601 date of the request. */
  receivedOn: string;
}

/** The signed payload of an erasure certificate. */
export interface ErasureCertificate {
  certificateId: string;
  /** The hub (its public URL). */
  issuer: string;
  /** ISO 8601. */
  issuedAt: string;
  /** `tenant_left`: a tenant left the platform (its certificate names the tenant in {@link ErasureCertificate.tenant}). */
  reason: 'departure' | 'deceased' | 'tenant_left';
  /** The pseudonym the hub keeps for the resident (the retained records carry it); for a tenant, the tenant's ID. */
  pseudonym: string;
  /** ISO 8601: when the departure (and the withdrawal of every consent) committed. */
  requestedAt: string;
  /** True when every medium acknowledged its erasure. */
  complete: boolean;
  media: CertificateMedium[];
  retained: CertificateRetained[];
  request?: CertificateRequest;
  /** The tenant that left (reason `tenant_left`): its ID, code and names, and the export handed over before (if any). */
  tenant?: CertificateTenant;
}

/** The tenant named by a tenant erasure certificate. */
export interface CertificateTenant {
  id: string;
  code: string;
  name: CertificateText;
  /** The archive handed over before the deletion (its ID and SHA-256), or why none was wanted. */
  exportId?: string;
  exportDigest?: string;
  noExportReason?: string;
}

/** What the portal's and the back office's JSON download holds: the JWS and its decoded payload. */
export interface ErasureCertificateDocument {
  jws: string;
  certificate: ErasureCertificate;
}

const text = { type: 'object', required: ['ja', 'en'], additionalProperties: false, properties: { ja: { type: 'string', maxLength: 500 }, en: { type: 'string', maxLength: 500 } } };
const item = {
  type: 'object', required: ['item', 'name', 'count'], additionalProperties: false,
  properties: { item: { type: 'string', minLength: 1, maxLength: 128 }, name: text, count: { type: 'integer', minimum: 0 } },
};

/** JSON Schema of {@link ErasureCertificate}. */
export const erasureCertificateSchema = {
  $id: 'https://tsunagu.example/schemas/erasure-certificate.json',
  type: 'object',
  required: ['certificateId', 'issuer', 'issuedAt', 'reason', 'pseudonym', 'requestedAt', 'complete', 'media', 'retained'],
  additionalProperties: false,
  properties: {
    certificateId: { type: 'string', minLength: 1, maxLength: 128 },
    issuer: { type: 'string', minLength: 1, maxLength: 500 },
    issuedAt: { type: 'string', format: 'date-time' },
    reason: { type: 'string', enum: ['departure', 'deceased', 'tenant_left'] },
    pseudonym: { type: 'string', minLength: 1, maxLength: 128 },
    requestedAt: { type: 'string', format: 'date-time' },
    complete: { type: 'boolean' },
    media: {
      type: 'array', minItems: 1, maxItems: 500,
      items: {
        type: 'object', required: ['kind', 'name', 'responsible', 'state', 'erasedAt', 'method', 'items'], additionalProperties: false,
        properties: {
          kind: { type: 'string', enum: ['hub', 'connector'] },
          connectorId: { type: 'string', maxLength: 128 },
          name: text, responsible: text,
          state: { type: 'string', enum: ['erased', 'pending'] },
          erasedAt: { type: ['string', 'null'], format: 'date-time' },
          method: text,
          items: { type: 'array', maxItems: 500, items: item },
          followUp: text,
        },
      },
    },
    retained: {
      type: 'array', maxItems: 100,
      items: {
        type: 'object', required: ['item', 'name', 'count', 'basis', 'eraseBy'], additionalProperties: false,
        properties: { item: { type: 'string', minLength: 1, maxLength: 128 }, name: text, count: { type: 'integer', minimum: 0 }, basis: text, eraseBy: { type: 'string', format: 'date' } },
      },
    },
    request: {
      type: 'object', required: ['requester', 'document', 'receivedOn'], additionalProperties: false,
      properties: { requester: { type: 'string', maxLength: 200 }, document: { type: 'string', maxLength: 500 }, receivedOn: { type: 'string', format: 'date' } },
    },
    tenant: {
      type: 'object', required: ['id', 'code', 'name'], additionalProperties: false,
      properties: {
        id: { type: 'string', maxLength: 128 }, code: { type: 'string', maxLength: 64 }, name: text,
        exportId: { type: 'string', maxLength: 128 }, exportDigest: { type: 'string', maxLength: 128 }, noExportReason: { type: 'string', maxLength: 500 },
      },
    },
  },
} as const;
