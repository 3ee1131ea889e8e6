import type { JSONSchemaType } from 'ajv';
import { type OfferStatisticsDeclaration, offerStatisticsDeclarationSchema, STATISTICS_GROUPING_DIMENSIONS } from './catalog';
import type { BilingualText } from './consent';
import { PLAIN_BLOCK_FORMAT, PLAIN_LINE_FORMAT } from './input';

/**
 * Publishing data offers (ARCHITECTURE.md §4, docs/connector.md §7): a provider connector sends
 * the offers of its configuration to the hub, which keeps each as a draft version until a tenant
 * admin of the provider's tenant activates it. The same shapes serve the admin screens.
 */

/** The format of an item code: `<provider>.<item>`, lower case, digits and hyphens (as `data_offers_code_format`). */
export const OFFER_CODE_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*\\.[a-z0-9]+(-[a-z0-9]+)*$';
/** The most offers one publication may carry. */
export const MAX_PUBLISHED_OFFERS = 100;
/** The longest window an offer may declare, in days (as the `data_offers_window_check` constraint). */
export const MAX_OFFER_WINDOW_DAYS = 3660;
/** The largest item schema accepted, as JSON text (characters). */
export const MAX_OFFER_SCHEMA_CHARS = 16_000;

/** One offer as a connector publishes it. */
export interface OfferPublication {
  /** The item code, e.g. `misasa-health.daily-steps`. Belongs to one provider service forever. */
  code: string;
  /** What residents read as the item's name (plain text, no markup). */
  name: BilingualText;
  /** What the item is, in one or a few sentences (plain text, no markup). */
  description: BilingualText;
  /** 要配慮個人情報 (special care-required personal information, APPI Art. 2(3)). */
  specialCare: boolean;
  /** The item's JSON Schema (compiled by the hub with ajv, strict; a schema that does not compile is refused). */
  schema: Record<string, unknown>;
  /** The longest period a request may name, in days, or null when the item has no time window. */
  maxWindowDays: number | null;
  /** What a statistics data use may do with the item (issue #20); absent: not offered for statistics. */
  statistics?: OfferStatisticsDeclaration;
}

/** `PUT /connect/v1/offers`: every offer of the connector's configuration. */
export interface OfferPublishRequest {
  offers: OfferPublication[];
}

/** What publishing did to one offer. */
export type OfferPublishOutcome = 'created' | 'new_version' | 'draft_updated' | 'unchanged';

/** The answer of `PUT /connect/v1/offers`: per offer, what happened and the version it is now at. */
export interface OfferPublishResponse {
  offers: { code: string; outcome: OfferPublishOutcome; version: number }[];
}

const bilingual = (format: string, maxLength: number) => ({
  type: 'object',
  properties: { ja: { type: 'string', minLength: 1, maxLength, format }, en: { type: 'string', minLength: 1, maxLength, format } },
  required: ['ja', 'en'],
  additionalProperties: false,
}) as const;

/** JSON Schema of one {@link OfferPublication}; unknown fields are refused. */
export const offerPublicationSchema = {
  type: 'object',
  properties: {
    code: { type: 'string', minLength: 3, maxLength: 128, pattern: OFFER_CODE_PATTERN },
    name: bilingual(PLAIN_LINE_FORMAT, 100),
    description: bilingual(PLAIN_BLOCK_FORMAT, 1000),
    specialCare: { type: 'boolean' },
    schema: { type: 'object', minProperties: 1, maxProperties: 64 },
    maxWindowDays: { type: 'integer', minimum: 1, maximum: MAX_OFFER_WINDOW_DAYS, nullable: true },
    statistics: offerStatisticsDeclarationSchema,
  },
  required: ['code', 'name', 'description', 'specialCare', 'schema', 'maxWindowDays'],
  additionalProperties: false,
} as const;

/** JSON Schema of {@link OfferPublishRequest} (at most {@link MAX_PUBLISHED_OFFERS} offers, codes unique). */
export const offerPublishRequestSchema = {
  type: 'object',
  properties: { offers: { type: 'array', maxItems: MAX_PUBLISHED_OFFERS, items: offerPublicationSchema } },
  required: ['offers'],
  additionalProperties: false,
} as const;

const csrf = { type: 'string', maxLength: 200, nullable: true } as const;
const line = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength, format: PLAIN_LINE_FORMAT }) as const;
const block = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength, format: PLAIN_BLOCK_FORMAT }) as const;

/** The admin form of an offer's texts and schema (a new offer, or a new version of one). */
export interface OfferVersionForm {
  nameJa: string;
  nameEn: string;
  descriptionJa: string;
  descriptionEn: string;
  /** A checkbox: present (any value) means 要配慮個人情報. */
  specialCare?: string;
  /** Days, or empty for an item with no time window. */
  maxWindowDays?: string;
  /** The JSON Schema as JSON text (checked by the hub: JSON first, then ajv). */
  schema: string;
  /** Statistics (issue #20): the dimensions ticked; none ticked: not offered for statistics. */
  statisticsDimensions?: string | string[];
  /** A checkbox: present means a number statistics may sum and average. */
  statisticsNumeric?: string;
  /** The largest monthly figure of one resident, or empty. */
  statisticsMaximum?: string;
  csrf?: string;
}

/** The admin form that creates an offer: a code, the providing service, and the fields of {@link OfferVersionForm}. */
export interface OfferCreateForm extends OfferVersionForm {
  code: string;
  /** One of the tenant's own services (not a platform-managed one). */
  serviceId: string;
}

const versionFields = {
  nameJa: line(100),
  nameEn: line(100),
  descriptionJa: block(1000),
  descriptionEn: block(1000),
  specialCare: { type: 'string', maxLength: 10, nullable: true },
  maxWindowDays: { type: 'string', maxLength: 4, pattern: '^([1-9][0-9]{0,3})?$', nullable: true },
  schema: { type: 'string', minLength: 1, maxLength: MAX_OFFER_SCHEMA_CHARS },
  // A form sends one ticked box as a string and several as an array; JSONSchemaType cannot type that anyOf, hence the cast.
  statisticsDimensions: {
    anyOf: [{ type: 'string', enum: STATISTICS_GROUPING_DIMENSIONS }, { type: 'array', maxItems: STATISTICS_GROUPING_DIMENSIONS.length, uniqueItems: true, items: { type: 'string', enum: STATISTICS_GROUPING_DIMENSIONS } }],
  } as unknown as { type: 'string'; nullable: true },
  statisticsNumeric: { type: 'string', maxLength: 10, nullable: true },
  statisticsMaximum: { type: 'string', maxLength: 10, pattern: '^([1-9][0-9]{0,8})?$', nullable: true },
  csrf,
} as const;
const versionRequired = ['nameJa', 'nameEn', 'descriptionJa', 'descriptionEn', 'schema'] as const;

/** JSON Schema of {@link OfferVersionForm}. */
export const offerVersionFormSchema: JSONSchemaType<OfferVersionForm> = {
  type: 'object', properties: versionFields, required: versionRequired, additionalProperties: false,
};

/** JSON Schema of {@link OfferCreateForm}. */
export const offerCreateFormSchema: JSONSchemaType<OfferCreateForm> = {
  type: 'object',
  properties: {
    code: { type: 'string', minLength: 3, maxLength: 128, pattern: OFFER_CODE_PATTERN },
    serviceId: { type: 'string', format: 'uuid' },
    ...versionFields,
  },
  required: ['code', 'serviceId', ...versionRequired],
  additionalProperties: false,
};

/** The admin form that withdraws an offer (after its confirmation page): the reason is required. */
export interface OfferWithdrawForm {
  reason: string;
  /** `withdraw`, sent by the confirmation page. */
  confirm?: string;
  csrf?: string;
}

/** JSON Schema of {@link OfferWithdrawForm}. */
export const offerWithdrawFormSchema: JSONSchemaType<OfferWithdrawForm> = {
  type: 'object',
  properties: { reason: line(500), confirm: { type: 'string', maxLength: 64, nullable: true }, csrf },
  required: ['reason'],
  additionalProperties: false,
};
