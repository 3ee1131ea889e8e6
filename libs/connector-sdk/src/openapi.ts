import {
  CONNECTOR_ERROR_CODES, CONNECTOR_ERROR_MESSAGES, ConnectorErrorCodes, SDK_PATH, sdkDataRequestSchema, sdkDataResponseSchema,
} from '@tsunagu/contracts';

/** Turns an ajv schema into an OpenAPI 3.1 (JSON Schema 2020-12) one: no `$id`, no ajv-only `nullable`. */
function openApiSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(openApiSchema);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(Object.entries(schema as Record<string, unknown>)
    .filter(([key]) => key !== '$id' && key !== 'nullable')
    .map(([key, value]) => [key, key === 'properties' || key === 'patternProperties'
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, openApiSchema(v)]))
      : openApiSchema(value)]));
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } } });

/**
 * The OpenAPI 3.1 description of a connector's SDK endpoints, served at
 * `GET {connector}/sdk/v1/openapi.json`. Built from the same JSON Schemas the connector validates
 * with, so the description cannot drift from the behaviour.
 */
export function sdkOpenApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tsunagu connector SDK API',
      version: '1',
      description: [
        'The endpoints a service calls on **its own** Tsunagu connector to receive a resident\'s data from another service, under the resident\'s consent.',
        'サービスが自らのコネクタを呼び出し、本人の同意の範囲で他サービスのデータを受け取るための API です。',
        '',
        'Authentication: `Authorization: Bearer <CONNECTOR_SDK_TOKEN>` when the connector is configured with a token; otherwise only callers on the same machine are accepted.',
        'Every error is an `ErrorBody` whose `error.code` is one of `x-tsunagu-error-codes`; nothing is ever returned partially.',
      ].join('\n'),
    },
    servers: [{ url: '/', description: 'The connector itself' }],
    security: [{ sdkToken: [] }, {}],
    paths: {
      [`${SDK_PATH}/requests`]: {
        post: {
          operationId: 'requestData',
          summary: 'Receive a resident\'s items from the providing service (grant from the hub, peer exchange, schema check)',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/SdkDataRequest' } } } },
          responses: {
            200: {
              description: 'Every requested item (with `consentedOnly`: those the consent covers, the others named in `notConsented`), each valid against its JSON Schema',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/SdkDataResponse' } } },
            },
            400: errorResponse('invalid_request'),
            401: errorResponse('sdk_unauthorized, or a grant/proof problem between the connectors'),
            403: errorResponse('consent_required, consent_withdrawn, consent_paused, consent_revoked, connector_revoked, items_not_consented, purpose_mismatch, permission_denied, connector_not_approved, data_use_not_configured'),
            404: errorResponse('resident_not_linked, provider_record_not_found, offer_not_provided, data_use_not_found'),
            503: errorResponse('hub_unavailable, provider_unavailable, revocations_stale, schema_violation, provision_unrecorded (retry later)'),
          },
        },
      },
      [`${SDK_PATH}/openapi.json`]: {
        get: { operationId: 'openapi', summary: 'This document', security: [{}], responses: { 200: { description: 'OpenAPI 3.1 document', content: { 'application/json': {} } } } },
      },
    },
    components: {
      securitySchemes: { sdkToken: { type: 'http', scheme: 'bearer', description: 'The connector\'s CONNECTOR_SDK_TOKEN' } },
      schemas: {
        SdkDataRequest: openApiSchema(sdkDataRequestSchema),
        SdkDataResponse: openApiSchema(sdkDataResponseSchema),
        ErrorBody: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message', 'messageEn'],
              properties: {
                code: { type: 'string', enum: [...CONNECTOR_ERROR_CODES, 'internal_error'] },
                message: { type: 'string', description: 'Japanese' },
                messageEn: { type: 'string' },
                details: { type: 'array', items: { type: 'object', required: ['field', 'problem'], properties: { field: { type: 'string' }, problem: { type: 'string' } } } },
                correlationId: { type: 'string', description: 'Echo of the x-correlation-id response header' },
              },
            },
          },
        },
      },
    },
    'x-tsunagu-error-codes': Object.fromEntries(CONNECTOR_ERROR_CODES.map((code) => [code, { reason: ConnectorErrorCodes[code], ...CONNECTOR_ERROR_MESSAGES[code] }])),
  };
}
