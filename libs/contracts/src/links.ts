import type { JSONSchemaType } from 'ajv';
import { ErrorReason } from './errors';

/**
 * Body of `POST /api/v1/links`: the calling service links its own local account ID (個別ID) to the
 * resident identified by the bearer access token the hub issued to that service.
 */
export interface CreateLinkRequest {
  /** The service's own account number for the resident (e.g. a cashless member number). */
  localId: string;
}

/** JSON Schema of {@link CreateLinkRequest}; unknown fields are rejected. */
export const createLinkRequestSchema: JSONSchemaType<CreateLinkRequest> = {
  $id: 'https://tsunagu.example/schemas/create-link-request.json',
  type: 'object',
  properties: {
    localId: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:@-]+$' },
  },
  required: ['localId'],
  additionalProperties: false,
};

/** One service-local account linked to a resident. */
export interface LinkView {
  /** The hub's identifier of the service (its OIDC client_id). */
  serviceId: string;
  /** The service's local account ID. */
  localId: string;
  /** ISO 8601 time the link was made. */
  linkedAt: string;
}

/** Codes returned by the ID-linking API. */
export const LinkErrorCodes = {
  /** The local ID is already linked to another resident at this service. */
  link_conflict: ErrorReason.Conflict,
  /** The resident is already linked to a different local ID at this service. */
  resident_already_linked: ErrorReason.Conflict,
  /** No link exists for this resident at this service. */
  link_not_found: ErrorReason.NotFound,
  /** The bearer token is missing, expired, revoked or not an access token of this hub, or its service is no longer active. */
  invalid_token: ErrorReason.Unauthorized,
  /**
   * The access token is bound to a key (DPoP, RFC 9449) and the request does not prove possession
   * of it: sent as `Bearer`, or with a `DPoP` proof that is missing, malformed, replayed, for
   * another method or URL, too old, or signed by another key.
   */
  invalid_dpop_proof: ErrorReason.Unauthorized,
} as const;
/** One code of {@link LinkErrorCodes}. */
export type LinkErrorCode = keyof typeof LinkErrorCodes;

/**
 * The message of each code, Japanese first. A service may show it to the resident as it is; it
 * never names the resident or the other account.
 */
export const LINK_ERROR_MESSAGES: Record<LinkErrorCode, { ja: string; en: string }> = {
  link_conflict: {
    ja: 'この会員番号（個別ID）は、すでに別の方の Tottori ID と連携されています。',
    en: 'This local account ID is already linked to another resident.',
  },
  resident_already_linked: {
    ja: 'このサービスでは、すでに別の会員番号（個別ID）と連携済みです。連携を解除してからやり直してください。',
    en: 'You are already linked to a different local account at this service. Remove that link first.',
  },
  link_not_found: { ja: '連携が見つかりません。', en: 'The link was not found.' },
  invalid_token: {
    ja: 'アクセストークンが無効です（期限切れ、取り消し済み、不正な形式、またはサービスの利用停止）。',
    en: 'The access token is invalid, expired or revoked, or the service is no longer active.',
  },
  invalid_dpop_proof: {
    ja: 'このアクセストークンは鍵に結び付けられています（DPoP）。その鍵で署名した DPoP 証明を付けて、Authorization: DPoP で送ってください。',
    en: 'This access token is bound to a key (DPoP): send it as Authorization: DPoP with a DPoP proof signed by that key.',
  },
};
