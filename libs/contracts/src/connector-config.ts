import { type OfferStatisticsDeclaration, offerStatisticsDeclarationSchema } from './catalog';
/**
 * The connector configuration file (`connector-configs/*.yaml`, docs/connector.md): one per
 * installed connector. Validated with ajv against {@link connectorFileConfigSchema} at boot and by
 * the register command; a bad file stops the process with every problem listed by its path
 * (`/offers/0/fetch/url: …`). Secrets (the SDK token, the service token) never go in the file:
 * they come from the environment.
 */

/** Variables a URL template may use, each URL-encoded when substituted. */
export const URL_TEMPLATE_VARIABLES = ['localId', 'from', 'to', 'today'] as const;
/** One variable of {@link URL_TEMPLATE_VARIABLES}. */
export type UrlTemplateVariable = (typeof URL_TEMPLATE_VARIABLES)[number];

/** A JSON Pointer (RFC 6901); `""` is the whole document. */
export const JSON_POINTER_PATTERN = '^(/([^/~]|~[01])*)*$';

/**
 * How the connector fetches one item from its service: one HTTP call and a mapping from the
 * service's JSON to the item. The mapping language is deliberately tiny (JSON Pointers, no code):
 *
 * - `select` picks the item's value out of the response;
 * - `fields` (optional) reshapes it: when the selected value is an array, each element becomes an
 *   object `{ name: element at pointer }`; when it is an object, that object does. A pointer that
 *   finds nothing leaves the field out (the item's JSON Schema then decides).
 */
export interface HttpAdapterConfig {
  /** `GET` (variables in the URL only) or `POST` (also sent as a JSON body `{ localId, from, to }`). */
  method: 'GET' | 'POST';
  /**
   * Path template appended to `service.url`, e.g. `/internal/v1/users/{localId}/daily-steps?from={from}&to={to}`.
   * Variables: {@link URL_TEMPLATE_VARIABLES}. It cannot change the host: values are URL-encoded.
   */
  url: string;
  /** JSON Pointer to the item's value in the response, e.g. `/steps`; `""` for the whole response. */
  select: string;
  /** Output field name → JSON Pointer inside the selected value (or each of its elements). */
  fields?: Record<string, string>;
}

/** Days an item with a time window covers. */
export interface OfferWindowConfig {
  /** Days up to today used when the request names no period. */
  defaultDays: number;
  /** The longest period a request may name. */
  maxDays: number;
}

/** A text of an offer in both languages (Japanese first). */
export interface OfferTextConfig {
  ja: string;
  en: string;
}

/** One item this connector provides (the hub's data offer of the same code). */
export interface ConnectorOfferConfig {
  /** The item code, as in the hub's catalog: `<provider>.<item>`, e.g. `misasa-health.daily-steps`. */
  code: string;
  /**
   * What residents and admins read as the item's name (plain words, no `<` or `>`). Published to
   * the hub with the offer; without it the draft is named by its code, and the tenant admin should
   * name it before activating it.
   */
  name?: OfferTextConfig;
  /**
   * What the item is, in a sentence or two (plain words). `{ ja, en }`; a plain string (files
   * written before offers were published) stands for both languages.
   */
  description?: string | OfferTextConfig;
  /** 要配慮個人情報 (special care-required personal information, APPI Art. 2(3)); default false. */
  specialCare?: boolean;
  /** The item's JSON Schema (draft-07 subset ajv compiles): outgoing data is validated against it. */
  schema: Record<string, unknown>;
  /** Required when the URL template uses `{from}` or `{to}`. */
  window?: OfferWindowConfig;
  /**
   * What a statistics data use may do with the item (issue #20), published with the offer: whether
   * it is a number, the largest monthly figure of one resident, the dimensions this service can
   * group its residents by. Absent: the item is not offered for statistics.
   */
  statistics?: ConnectorOfferStatisticsConfig;
  fetch: HttpAdapterConfig;
}

/**
 * An offer's statistics: the declaration published to the hub, and `source` (this connector's
 * only): where it reads the granted residents' monthly rows. The connector `POST`s
 * `{ "localIds": [...], "from": "YYYY-MM", "to": "YYYY-MM" }` (at most
 * {@link STATISTICS_SOURCE_BATCH} local IDs per call) and maps each element at `select` with
 * `fields` to `{ localId, month, value?, municipality?, age_band? }`: one row per resident and
 * month (several are averaged, or added for sums). Only the table computed from them leaves.
 */
export interface ConnectorOfferStatisticsConfig extends OfferStatisticsDeclaration {
  source: { url: string; select: string; fields: Record<string, string> };
}

/** The most local IDs one call of a statistics source names (a grant's residents are read in batches). */
export const STATISTICS_SOURCE_BATCH = 1_000;

/** One item a data use asks for, with the schema this connector accepts it in. */
export interface ConnectorDataUseItemConfig {
  code: string;
  /** Received data is validated against it before the service sees it (the provider's schema or stricter). */
  schema: Record<string, unknown>;
}

/** A data use the consuming service may request through this connector (the hub's data use of the same code). */
export interface ConnectorDataUseConfig {
  /** e.g. `cashless.health-points`. */
  code: string;
  /** Its purpose code, e.g. `health-points`. */
  purpose: string;
  items: ConnectorDataUseItemConfig[];
}

/** The whole connector configuration file. */
export interface ConnectorFileConfig {
  /** Format version of this file: 1. */
  version: 1;
  connector: {
    /** Unique within the tenant; lower case, digits and hyphens. */
    name: string;
    /**
     * The ID the hub assigned at registration. Normally left out: the register command writes it
     * to the registration record beside the key file, and the connector reads it from there.
     */
    id?: string;
  };
  /** Code of the tenant that runs the service (e.g. `misasa`). */
  tenant: string;
  service: {
    /** The service's OIDC client_id at the hub. */
    clientId: string;
    /** Base URL of the service's internal API the adapters call. */
    url: string;
    /** Per call to the service (default 3000). */
    timeoutMs: number;
    /** Larger responses are refused as `provider_unavailable` (default 1 MiB). */
    maxResponseBytes: number;
    /**
     * Path (appended to `url`) of the service's erasure callback, which the connector POSTs the
     * hub's erasure requests to (`ErasureCallbackRequest`, docs/manuals/vendor.md). Default
     * `/internal/v1/erasure`.
     */
    erasurePath?: string;
  };
  hub: {
    /** Base URL of the hub's connector API (`{url}/connect/v1/…`). */
    url: string;
    /** The `iss` of the hub's grants and events (default: `url`). */
    issuer?: string;
    /** The hub's JWKS for grants and events (default: `{url}/connect/v1/jwks`). */
    jwksUrl?: string;
    /** Per call to the hub (default 3000). */
    timeoutMs: number;
  };
  /** Calls to provider connectors (consumer side). */
  peer: {
    /** Per exchange, from sending the grant to the last byte of the answer (default 5000). */
    timeoutMs: number;
  };
  /** Where this connector listens (environment `CONNECTOR_HOST`/`CONNECTOR_PORT` override it). */
  listen: { host: string; port: number };
  /** How peers and the hub reach this connector (behind a proxy: the proxy's URL). The DPoP `htu` is checked against it. */
  publicUrl: string;
  keys: {
    /** The private key file (JSON, mode 0600), written by the register command. Relative paths are from the working directory. */
    file: string;
    /** The registration record (connector ID, status). Default: beside the key file, `<name>.registration.json`. */
    registrationFile?: string;
  };
  revocations: {
    /** How often the revocation feed is pulled (default 1). */
    pullIntervalSeconds: number;
    /**
     * With no successful pull for this long the peer endpoint refuses to serve (default 6: five
     * missed pulls in a row are tolerated; fail closed). The hub may impose a shorter bound in its
     * signed feed; the smaller one applies.
     */
    stalenessSeconds: number;
    /** How long a consent change is kept after it was learnt (default 600; at least 2 grant lifetimes). */
    retainSeconds: number;
  };
  /** The items this connector provides (empty for a consumer-only connector). */
  offers: ConnectorOfferConfig[];
  /** The data uses this connector may request (empty for a provider-only connector). */
  dataUses: ConnectorDataUseConfig[];
}

const slug = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' } as const;
const code = { type: 'string', maxLength: 128, pattern: '^[a-z0-9]+(-[a-z0-9]+)*\\.[a-z0-9]+(-[a-z0-9]+)*$' } as const;
const httpUrl = { type: 'string', maxLength: 500, pattern: '^https?://[^\\s?#]+$' } as const;
const pointer = { type: 'string', maxLength: 500, pattern: JSON_POINTER_PATTERN } as const;
const jsonSchema = { type: 'object', minProperties: 1 } as const;
/** Plain words for residents: not blank, no markup, no control characters (the hub checks the same when the offer is published). */
const plainText = (maxLength: number, lines = false) => ({
  type: 'string', minLength: 1, maxLength,
  pattern: lines ? '^(?=[\\s\\S]*\\S)[^<>\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$' : '^(?=.*\\S)[^<>\\u0000-\\u001f\\u007f]*$',
}) as const;
const bilingualText = (maxLength: number, lines = false) => ({
  type: 'object',
  properties: { ja: plainText(maxLength, lines), en: plainText(maxLength, lines) },
  required: ['ja', 'en'],
  additionalProperties: false,
}) as const;

/** JSON Schema of {@link ConnectorFileConfig} (with defaults); unknown fields are refused. */
export const connectorFileConfigSchema = {
  $id: 'https://tsunagu.example/schemas/connector-config.json',
  type: 'object',
  properties: {
    version: { type: 'integer', const: 1 },
    connector: {
      type: 'object',
      properties: {
        name: { ...slug, minLength: 2 },
        id: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$' },
      },
      required: ['name'],
      additionalProperties: false,
    },
    tenant: { ...slug, maxLength: 32 },
    service: {
      type: 'object',
      properties: {
        clientId: { type: 'string', minLength: 3, maxLength: 64, pattern: '^[a-z0-9._-]+$' },
        url: httpUrl,
        timeoutMs: { type: 'integer', minimum: 100, maximum: 60000, default: 3000 },
        maxResponseBytes: { type: 'integer', minimum: 1024, maximum: 16777216, default: 1048576 },
        erasurePath: { type: 'string', minLength: 1, maxLength: 500, pattern: '^/[^\\s#?]*$' },
      },
      required: ['clientId', 'url'],
      additionalProperties: false,
    },
    hub: {
      type: 'object',
      properties: {
        url: httpUrl,
        issuer: { type: 'string', minLength: 1, maxLength: 500 },
        jwksUrl: { type: 'string', maxLength: 500, pattern: '^https?://[^\\s#]+$' },
        timeoutMs: { type: 'integer', minimum: 100, maximum: 60000, default: 3000 },
      },
      required: ['url'],
      additionalProperties: false,
    },
    peer: {
      type: 'object',
      properties: { timeoutMs: { type: 'integer', minimum: 100, maximum: 60000, default: 5000 } },
      required: [],
      additionalProperties: false,
      default: {},
    },
    listen: {
      type: 'object',
      properties: {
        host: { type: 'string', minLength: 1, maxLength: 255 },
        port: { type: 'integer', minimum: 0, maximum: 65535 },
      },
      required: ['host', 'port'],
      additionalProperties: false,
    },
    publicUrl: httpUrl,
    keys: {
      type: 'object',
      properties: {
        file: { type: 'string', minLength: 1, maxLength: 500 },
        registrationFile: { type: 'string', minLength: 1, maxLength: 500 },
      },
      required: ['file'],
      additionalProperties: false,
    },
    revocations: {
      type: 'object',
      properties: {
        pullIntervalSeconds: { type: 'number', minimum: 0.1, maximum: 300, default: 1 },
        stalenessSeconds: { type: 'number', minimum: 1, maximum: 3600, default: 6 },
        retainSeconds: { type: 'integer', minimum: 120, maximum: 86400, default: 600 },
      },
      required: [],
      additionalProperties: false,
      default: {},
    },
    offers: {
      type: 'array',
      maxItems: 64,
      default: [],
      items: {
        type: 'object',
        properties: {
          code,
          name: bilingualText(100),
          description: { anyOf: [plainText(1000, true), bilingualText(1000, true)] },
          specialCare: { type: 'boolean', default: false },
          schema: jsonSchema,
          statistics: {
            type: 'object',
            properties: {
              ...offerStatisticsDeclarationSchema.properties,
              source: {
                type: 'object',
                properties: {
                  url: { type: 'string', minLength: 1, maxLength: 1000, pattern: '^/[^\\s#{}]*$' },
                  select: pointer,
                  fields: {
                    type: 'object', additionalProperties: false, required: ['localId', 'month'],
                    properties: { localId: pointer, month: pointer, value: pointer, municipality: pointer, age_band: pointer },
                  },
                },
                required: ['url', 'select', 'fields'],
                additionalProperties: false,
              },
            },
            required: [...offerStatisticsDeclarationSchema.required, 'source'],
            additionalProperties: false,
          },
          window: {
            type: 'object',
            properties: {
              defaultDays: { type: 'integer', minimum: 1, maximum: 3660 },
              maxDays: { type: 'integer', minimum: 1, maximum: 3660 },
            },
            required: ['defaultDays', 'maxDays'],
            additionalProperties: false,
          },
          fetch: {
            type: 'object',
            properties: {
              method: { type: 'string', enum: ['GET', 'POST'] },
              url: { type: 'string', minLength: 1, maxLength: 1000, pattern: '^/[^\\s#]*$' },
              select: pointer,
              fields: { type: 'object', maxProperties: 64, additionalProperties: pointer, propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' } },
            },
            required: ['method', 'url', 'select'],
            additionalProperties: false,
          },
        },
        required: ['code', 'schema', 'fetch'],
        additionalProperties: false,
      },
    },
    dataUses: {
      type: 'array',
      maxItems: 64,
      default: [],
      items: {
        type: 'object',
        properties: {
          code,
          purpose: { ...slug },
          items: {
            type: 'array', minItems: 1, maxItems: 64,
            items: {
              type: 'object',
              properties: { code, schema: jsonSchema },
              required: ['code', 'schema'],
              additionalProperties: false,
            },
          },
        },
        required: ['code', 'purpose', 'items'],
        additionalProperties: false,
      },
    },
  },
  required: ['version', 'connector', 'tenant', 'service', 'hub', 'listen', 'publicUrl', 'keys'],
  additionalProperties: false,
} as const;
