import type { ConsentChangeReason, ControllerType, PurposeCategory } from './catalog';
import type { CollectionMethod, ConsentEventType, ConsentState } from './consent';

/** The `typ` header of a consent receipt JWS (RFC 7515 §4.1.9, media type without `application/`). */
export const RECEIPT_JWS_TYPE = 'consent-receipt+jws';
/** The receipt format version in `schemaVersion`. */
export const RECEIPT_SCHEMA_VERSION = 'tsunagu-consent-receipt/1.0';
/** The standard whose consent record fields the receipt carries. */
export const RECEIPT_STANDARD = 'ISO/IEC TS 27560:2023';
/** Hash algorithm of the chain: SHA-256 of the compact JWS (ASCII), base64url without padding. */
export const RECEIPT_HASH_ALGORITHM = 'sha-256';

/**
 * A consent receipt: the payload of the JWS the hub signs for every consent version. Its fields
 * follow the consent record of ISO/IEC TS 27560 (and the Kantara Consent Receipt it grew from).
 * Texts are in `language`, the language the resident read the terms in.
 *
 * Verify with {@link verifyReceipt} against the hub's JWKS (`/oidc/jwks`; keys that signed
 * receipts stay published at `/api/v1/receipts/jwks` after rotation).
 */
export interface ConsentReceipt {
  /** Receipt format version ({@link RECEIPT_SCHEMA_VERSION}). */
  schemaVersion: string;
  /** {@link RECEIPT_STANDARD}. */
  standard: string;
  /** Unique ID of this record (UUID). */
  recordId: string;
  /** The hub that issued and signed it (its public URL). */
  issuer: string;
  /** When the event was recorded (ISO 8601, UTC). */
  timestamp: string;
  /** Language of the texts (and of the notice the resident saw): `ja` or `en`. */
  language: 'ja' | 'en';
  /**
   * The data subject (PII principal) as the recipient knows them: the pairwise subject of the
   * recipient's sector — the OIDC `sub` that service sees. Never the common ID.
   */
  principal: { id: string; idType: 'pairwise-subject'; sector: string };
  /**
   * What happened: the event and the consent's resulting state and validity. `reason` says why
   * the platform (not the resident) paused or ended the consent (receipts of system changes since
   * the catalog gained agreements; absent otherwise, and in older receipts).
   */
  event: { type: ConsentEventType; state: ConsentState; validFrom: string; validUntil: string | null; reason?: ConsentChangeReason };
  /** Which consent, which version of it, and which data use (and its terms revision). */
  consent: { id: string; version: number; dataUse: string; dataUseRevision: number };
  /** The privacy notice of the recipient the resident was shown. */
  privacyNotice: { url: string; language: 'ja' | 'en' };
  /**
   * The purpose(s), each with its lawful basis: provision with the person's consent under the
   * APPI, Art. 27(1) when the controller is a private business, Art. 69(2)(i) when it is an
   * administrative organ or agency (行政機関等); `category` is the purpose category as a W3C DPV
   * purpose (absent in receipts issued before categories existed).
   */
  purposes: {
    code: string;
    description: string;
    category?: { code: PurposeCategory; iri: string };
    lawfulBasis: { type: 'consent'; jurisdiction: 'JP'; law: 'APPI'; article: string; description: string };
  }[];
  /** The data items covered, each with the service that holds and provides it. */
  dataItems: { id: string; name: string; specialCare: boolean; source: { serviceId: string; name: string } }[];
  /**
   * Who decides on the processing at the recipient, and how to reach them; `type` says whether it
   * is a private business or a public body (行政機関等), from which the lawful basis follows
   * (absent in older receipts).
   */
  controllers: { name: string; contact: string; privacyNoticeUrl: string; type?: ControllerType }[];
  /** How the decision was collected. */
  collectionMethod: CollectionMethod;
  /** What is done with the data. */
  processing: { operation: string; description: string }[];
  /** Who receives the data. */
  recipients: { serviceId: string; name: string; sector: string }[];
  /** How long the recipient keeps what it receives (ISO 8601 duration and days). */
  retention: { duration: string; days: number };
  /** How the resident can withdraw at any time. */
  withdrawal: { description: string; url: string };
  /** Place in the resident's receipt chain: a deleted or reordered receipt breaks it. */
  chain: { sequence: number; previousReceiptHash: string | null; hashAlgorithm: string };
}

/** A receipt as the hub hands it out: the signed JWS and, for reading, its decoded payload. */
export interface ReceiptEnvelope {
  recordId: string;
  /** Compact JWS (ES256). This is what is verified; `receipt` is a convenience copy. */
  jws: string;
  receipt: ConsentReceipt;
}

/** A resident's whole receipt chain, oldest first (the download format `receipt:verify` reads). */
export interface ReceiptChainDocument {
  receipts: ReceiptEnvelope[];
}

/**
 * `POST /api/v1/receipts/verify` when the document verified against the hub's keys: one receipt,
 * or a whole chain with none missing or reordered. A document that does not verify is answered
 * with the error `receipt_not_verified`.
 */
export interface ReceiptVerificationView {
  valid: true;
  kind: 'receipt' | 'chain';
  /** What each receipt says, in file order. */
  receipts: { recordId: string; sequence: number; event: ConsentEventType; timestamp: string; consentId: string; version: number; dataUse: string }[];
}

/** JSON Schema of {@link ConsentReceipt} (draft 07); verifiers check decoded payloads against it. */
export const consentReceiptSchema = {
  $id: 'https://tsunagu.example/schemas/consent-receipt.json',
  type: 'object',
  required: ['schemaVersion', 'standard', 'recordId', 'issuer', 'timestamp', 'language', 'principal', 'event', 'consent',
    'privacyNotice', 'purposes', 'dataItems', 'controllers', 'collectionMethod', 'processing', 'recipients', 'retention',
    'withdrawal', 'chain'],
  additionalProperties: false,
  properties: {
    schemaVersion: { type: 'string' },
    standard: { type: 'string' },
    recordId: { type: 'string', format: 'uuid' },
    issuer: { type: 'string', format: 'uri' },
    timestamp: { type: 'string', format: 'date-time' },
    language: { type: 'string', enum: ['ja', 'en'] },
    principal: {
      type: 'object', required: ['id', 'idType', 'sector'], additionalProperties: false,
      properties: { id: { type: 'string', minLength: 1 }, idType: { const: 'pairwise-subject' }, sector: { type: 'string' } },
    },
    event: {
      type: 'object', required: ['type', 'state', 'validFrom', 'validUntil'], additionalProperties: false,
      properties: {
        type: { type: 'string', enum: ['given', 'withdrawn', 'expired', 'paused', 'ended'] },
        state: { type: 'string', enum: ['active', 'withdrawn', 'expired', 'paused', 'ended'] },
        validFrom: { type: 'string', format: 'date-time' },
        validUntil: { type: ['string', 'null'], format: 'date-time' },
        // Open-ended like the category: new reasons must not make older verifiers refuse a genuine receipt.
        reason: { type: 'string', pattern: '^[a-z_]+$' },
      },
    },
    consent: {
      type: 'object', required: ['id', 'version', 'dataUse', 'dataUseRevision'], additionalProperties: false,
      properties: { id: { type: 'string', format: 'uuid' }, version: { type: 'integer', minimum: 1 }, dataUse: { type: 'string' }, dataUseRevision: { type: 'integer', minimum: 1 } },
    },
    privacyNotice: {
      type: 'object', required: ['url', 'language'], additionalProperties: false,
      properties: { url: { type: 'string' }, language: { type: 'string', enum: ['ja', 'en'] } },
    },
    purposes: {
      type: 'array', minItems: 1,
      items: {
        type: 'object', required: ['code', 'description', 'lawfulBasis'], additionalProperties: false,
        properties: {
          code: { type: 'string' }, description: { type: 'string' },
          category: {
            type: 'object', required: ['code', 'iri'], additionalProperties: false,
            // A plain string, not an enum: a receipt must still verify after the list of categories grows.
            properties: { code: { type: 'string', pattern: '^[A-Za-z]+$' }, iri: { type: 'string', format: 'uri' } },
          },
          lawfulBasis: {
            type: 'object', required: ['type', 'jurisdiction', 'law', 'article', 'description'], additionalProperties: false,
            properties: { type: { const: 'consent' }, jurisdiction: { const: 'JP' }, law: { const: 'APPI' }, article: { type: 'string' }, description: { type: 'string' } },
          },
        },
      },
    },
    dataItems: {
      type: 'array', minItems: 1,
      items: {
        type: 'object', required: ['id', 'name', 'specialCare', 'source'], additionalProperties: false,
        properties: {
          id: { type: 'string' }, name: { type: 'string' }, specialCare: { type: 'boolean' },
          source: { type: 'object', required: ['serviceId', 'name'], additionalProperties: false, properties: { serviceId: { type: 'string' }, name: { type: 'string' } } },
        },
      },
    },
    controllers: {
      type: 'array', minItems: 1,
      items: {
        type: 'object', required: ['name', 'contact', 'privacyNoticeUrl'], additionalProperties: false,
        properties: { name: { type: 'string' }, contact: { type: 'string' }, privacyNoticeUrl: { type: 'string' }, type: { type: 'string', enum: ['private', 'public'] } },
      },
    },
    collectionMethod: { type: 'string', enum: ['portal-form', 'portal-api', 'system'] },
    processing: {
      type: 'array',
      items: { type: 'object', required: ['operation', 'description'], additionalProperties: false, properties: { operation: { type: 'string' }, description: { type: 'string' } } },
    },
    recipients: {
      type: 'array', minItems: 1,
      items: {
        type: 'object', required: ['serviceId', 'name', 'sector'], additionalProperties: false,
        properties: { serviceId: { type: 'string' }, name: { type: 'string' }, sector: { type: 'string' } },
      },
    },
    retention: {
      type: 'object', required: ['duration', 'days'], additionalProperties: false,
      properties: { duration: { type: 'string', pattern: '^P\\d+D$' }, days: { type: 'integer', minimum: 1 } },
    },
    withdrawal: {
      type: 'object', required: ['description', 'url'], additionalProperties: false,
      properties: { description: { type: 'string' }, url: { type: 'string' } },
    },
    chain: {
      type: 'object', required: ['sequence', 'previousReceiptHash', 'hashAlgorithm'], additionalProperties: false,
      properties: {
        sequence: { type: 'integer', minimum: 1 },
        previousReceiptHash: { type: ['string', 'null'], pattern: '^[A-Za-z0-9_-]{43}$' },
        hashAlgorithm: { const: RECEIPT_HASH_ALGORITHM },
      },
    },
  },
} as const;

/** The `typ` header of the signed statement of how a consent change was enforced (same keys as receipts). */
export const ENFORCEMENT_JWS_TYPE = 'consent-enforcement+jws';

/**
 * What the hub states, signed, when it answers a change that stops data (ARCHITECTURE.md §6):
 * the receipt it belongs to, the moment the change was committed, and the moment it was enforced
 * everywhere — or, when a connector had not acknowledged yet, the moment by which it is at the
 * latest. Signed when the answer is given; the receipt itself was signed before the commit and
 * cannot hold these moments.
 */
export interface EnforcementStatement {
  issuer: string;
  /** ISO 8601: when this statement was signed (the answer). */
  issuedAt: string;
  /** The receipt of the change: its record ID and chain hash (SHA-256 of its JWS). */
  receipt: { recordId: string; hash: string };
  consent: { id: string; version: number };
  committedAt: string;
  complete: boolean;
  enforcedAt: string | null;
  enforcedBy: string;
  connectors: { id: string; role: 'provider' | 'consumer'; state: 'enforced' | 'pending' | 'lapsed'; at: string }[];
}

export const enforcementStatementSchema = {
  type: 'object',
  required: ['issuer', 'issuedAt', 'receipt', 'consent', 'committedAt', 'complete', 'enforcedAt', 'enforcedBy', 'connectors'],
  additionalProperties: false,
  properties: {
    issuer: { type: 'string', format: 'uri' },
    issuedAt: { type: 'string', format: 'date-time' },
    receipt: {
      type: 'object', required: ['recordId', 'hash'], additionalProperties: false,
      properties: { recordId: { type: 'string', format: 'uuid' }, hash: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' } },
    },
    consent: { type: 'object', required: ['id', 'version'], additionalProperties: false, properties: { id: { type: 'string', format: 'uuid' }, version: { type: 'integer', minimum: 1 } } },
    committedAt: { type: 'string', format: 'date-time' },
    complete: { type: 'boolean' },
    enforcedAt: { type: ['string', 'null'], format: 'date-time' },
    enforcedBy: { type: 'string', format: 'date-time' },
    connectors: {
      type: 'array', maxItems: 1000,
      items: {
        type: 'object', required: ['id', 'role', 'state', 'at'], additionalProperties: false,
        properties: {
          id: { type: 'string', format: 'uuid' }, role: { type: 'string', enum: ['provider', 'consumer'] },
          state: { type: 'string', enum: ['enforced', 'pending', 'lapsed'] }, at: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
} as const;
